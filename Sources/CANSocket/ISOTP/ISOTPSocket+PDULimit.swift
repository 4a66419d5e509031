#if canImport(Glibc)
import Glibc
#endif
import Synchronization

extension ISOTPSocket {
    /// The largest PDU the running kernel's ISO-TP carries, checked before every send.
    ///
    /// From Linux 6.4 the limit is the can-isotp module parameter `max_pdu_size` (default `DEFAULT_MAX_PDU_SIZE`
    /// 8300; "can: isotp: add module parameter for maximum pdu size", net/can/isotp.c), read from
    /// `/sys/module/can_isotp/parameters/max_pdu_size` once the module is loaded. Before, net/can/isotp.c compiles
    /// it in as `MAX_MSG_LENGTH`: 66000 since Linux 5.18 ("can: isotp: set max PDU size to 64 kByte", March 2022;
    /// Debian 12's 6.1 measured: 66000 sent and received, 66001 refused with EINVAL), 8200 in 5.10 to 5.17.
    ///
    /// The sysfs value is read and kept once it exists (the module is loaded when an ISO-TP socket was opened);
    /// until then the kernel version decides. The corresponding C constants are `MAX_MSG_LENGTH` (before 6.4)
    /// and `DEFAULT_MAX_PDU_SIZE` (6.4 and later).
    public static var maximumPDUSize: Int {
        let cached = pduLimitCache.load(ordering: .relaxed)
        if cached != 0 { return cached }
        if let value = readMaximumPDUSize() {
            pduLimitCache.store(value, ordering: .relaxed)
            return value
        }
        let kernel = LinuxKernelVersion.running
        let compiledIn = compiledInMaximumPDUSize(for: kernel)
        // Before 6.4 no parameter will appear: keep the compiled-in value rather than look again on every send.
        if let kernel, !kernel.isAtLeast(6, 4) { pduLimitCache.store(compiledIn, ordering: .relaxed) }
        return compiledIn
    }

    /// The limit of a kernel without the `max_pdu_size` parameter, or that parameter's default from 6.4 when
    /// the module is not loaded yet.
    public static func compiledInMaximumPDUSize(for kernel: LinuxKernelVersion?) -> Int {
        guard let kernel else { return 66000 }
        if kernel.isAtLeast(6, 4) { return 8300 }
        if kernel.isAtLeast(5, 18) { return 66000 }
        return 8200
    }

    /// `max_pdu_size` of the can-isotp module (Linux 6.4 and later), if the running kernel has it and the module
    /// is loaded.
    static func readMaximumPDUSize() -> Int? {
        guard let text = try? FileDescriptor.open("/sys/module/can_isotp/parameters/max_pdu_size", .readOnly)
            .closeAfter({ try $0.readAll(limit: 32) }), !text.isEmpty else { return nil }
        let digits = text.prefix { $0 >= 0x30 && $0 <= 0x39 }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}

/// The sysfs limit once read (0: not yet).
private let pduLimitCache = Atomic<Int>(0)
