#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import SocketBase
import ToolkitTestSupport

/// The running kernel, and which CAN features it has. scripts/test runs this target on Linux 6.1 and 6.12: a test
/// of a feature checks it works where the kernel has it and is refused cleanly where it does not, so each kernel
/// runs every test (none is skipped).
///
/// CAN XL came with Linux 6.1 (measured on Debian's 6.1.0-57: vcan takes MTU 2060, `CAN_RAW_XL_FRAMES` works and
/// FD frames arrive with `CANFD_FDF`), so both kernels here run the XL tests; VCIDs (6.9) and ISO-TP's
/// `max_pdu_size` (6.4) are what 6.12 adds.
enum KernelFeatures {
    static let kernel = LinuxKernelVersion.running!
    /// CAN XL: `CAN_RAW_XL_FRAMES`, vcan MTU 76...2060, `CANFD_FDF` set on every FD frame (Linux 6.1).
    static let hasXL = kernel.isAtLeast(6, 1)
    /// CAN XL VCIDs: `CAN_RAW_XL_VCID_OPTS` (Linux 6.9).
    static let hasVCID = kernel.isAtLeast(6, 9)
    /// ISO-TP's `max_pdu_size` module parameter (Linux 6.4).
    static let hasISOTPMaxPDUSize = kernel.isAtLeast(6, 4)

    /// scripts/vm passes the X.Y it booted; it must be the kernel the tests see.
    static func checkBootedKernel() {
        if let booted = getenv("CANTOOLKIT_KERNEL").map({ String(cString: $0) }) {
            #expect(booted == "\(kernel.major).\(kernel.minor)", "scripts/vm booted \(booted), uname says \(kernel)")
        }
    }
}

/// A vcan interface of its own for one test, deleted afterwards.
struct ScratchVCAN: ~Copyable {
    let name: String
    init(_ name: String, mtu: Int? = nil) throws {
        self.name = name
        _ = try? Subprocess.run(["ip", "link", "del", name])
        #expect(try Subprocess.run(["ip", "link", "add", "dev", name, "type", "vcan"]).status == 0)
        if let mtu { #expect(try setMTU(mtu), "ip link set \(name) mtu \(mtu)") }
        #expect(try Subprocess.run(["ip", "link", "set", "up", name]).status == 0)
    }
    /// `ip link set NAME mtu N` on the interface (down while changing, as vcan wants for FD/XL MTUs).
    func setMTU(_ mtu: Int) throws -> Bool {
        _ = try Subprocess.run(["ip", "link", "set", "down", name])
        let status = try Subprocess.run(["ip", "link", "set", name, "mtu", String(mtu)]).status
        _ = try Subprocess.run(["ip", "link", "set", "up", name])
        return status == 0
    }
    deinit { _ = try? Subprocess.run(["ip", "link", "del", name]) }
}

extension CANBus {
@Suite("CAN XL and kernel differences (VM; Linux 6.1+ for XL, 6.9+ for VCID, 6.4+ for max_pdu_size)", .needsCAN, .serialized)
struct CANXLTests {
    static func xlFrame(_ priority: UInt32, _ count: Int, vcid: UInt8 = 0, flags: CANXLFlags = [], seed: Int = 0) throws -> CANXLFrame {
        try CANXLFrame(priority: priority, vcid: vcid, flags: flags, serviceDataUnitType: UInt8(truncatingIfNeeded: seed + 3),
                       acceptanceField: 0x1234_0000 | UInt32(count), data: (0..<count).map { UInt8(truncatingIfNeeded: $0 * 31 + seed) })
    }

    @Test("vcan's MTU rules: 16 and 72 always; 76...2060 (CAN XL) from 6.1, refused before; others never")
    func mtuRules() throws {
        KernelFeatures.checkBootedKernel()
        let vcan = try ScratchVCAN("vcanmtu")
        for mtu in [16, 72] { #expect(try vcan.setMTU(mtu), "MTU \(mtu)") }
        for mtu in [76, 1000, 2060] {
            #expect(try vcan.setMTU(mtu) == KernelFeatures.hasXL, "MTU \(mtu) on Linux \(KernelFeatures.kernel)")
        }
        for mtu in [15, 73, 75, 2061] { #expect(try !vcan.setMTU(mtu), "MTU \(mtu)") }
        if KernelFeatures.hasXL {
            #expect(try vcan.setMTU(2060))
            #expect(try CANRawSocket(interface: vcan.name).mtu == 2060)
            #expect(CANRawSocket.isXLMTU(2060) && CANRawSocket.isXLMTU(76) && !CANRawSocket.isXLMTU(72))
        }
    }

    @Test("CAN_RAW_XL_FRAMES is on after setXLFrames on 6.1+; older kernels refuse it with a clear error")
    func xlOption() throws {
        let socket = try CANRawSocket(interface: "vcan0")
        #expect(try !socket.xlFramesEnabled())
        if KernelFeatures.hasXL {
            try socket.setXLFrames(true)
            #expect(try socket.xlFramesEnabled())
            try socket.setXLFrames(false)
            #expect(try !socket.xlFramesEnabled())
        } else {
            let expected = CANXLError.notSupportedByKernel(option: "CAN_RAW_XL_FRAMES", minimum: "6.1", running: KernelFeatures.kernel.release)
            #expect(throws: expected) { try socket.setXLFrames(true) }
            #expect(expected.description.contains("CAN XL needs Linux 6.1 or later"))
        }
    }

    @Test("an XL frame on an interface without an XL MTU is refused before the syscall, on every kernel")
    func xlOnFDInterface() throws {
        let socket = try CANRawSocket(interface: "vcan0")  // MTU 72
        let frame = try Self.xlFrame(0x123, 8)
        #expect(throws: CANXLError.interfaceNotXL(interface: "vcan0", mtu: 72)) { try socket.send(frame) }
        let any = try CANRawSocket(interface: "any")
        #expect(throws: CANXLError.interfaceNotXL(interface: "vcan1", mtu: 16)) { try any.send(frame, on: "vcan1") }
    }

    @Test("XL frames mixed with classic and FD go from one toolkit socket to another (6.1+)")
    func mixedTraffic() throws {
        guard KernelFeatures.hasXL else {
            // Before 6.1 no XL interface can exist, so the same traffic cannot start; say so as the tests above do.
            let vcan = try ScratchVCAN("vcanxl")
            #expect(try !vcan.setMTU(2060))
            #expect(throws: CANXLError.self) { try CANRawSocket(interface: vcan.name).setXLFrames(true) }
            return
        }
        let vcan = try ScratchVCAN("vcanxl", mtu: 2060)
        let sender = try CANRawSocket(interface: vcan.name)
        let receiver = try CANRawSocket(interface: vcan.name)
        let classicOnly = try CANRawSocket(interface: vcan.name)  // FD on, XL off: sees no XL frames
        try sender.setXLFrames(true)
        try receiver.setXLFrames(true)
        for socket in [receiver, classicOnly] { try socket.socket.setTimeout(.seconds(5)) }
        let frames: [CANAnyFrame] = [
            .can(try CANFrame(id: CANID(standard: 0x100), data: [1, 2, 3])),
            .xl(try Self.xlFrame(0x242, 1)),
            .can(try CANFrame(fd: CANID(extended: 0x1ABCDE), data: Array(0..<64), flags: [.bitRateSwitch])),
            .xl(try Self.xlFrame(0x243, 4, seed: 1)),      // 16 bytes on the wire, like a can_frame
            .xl(try Self.xlFrame(0x244, 60, seed: 2)),     // 72 bytes, like a canfd_frame
            .xl(try Self.xlFrame(0x7FF, 2048, flags: [.simpleExtendedContent], seed: 3)),
            .xl(try Self.xlFrame(0x000, 100, flags: [.remoteRequestSubstitution], seed: 4)),
            .can(try CANFrame(remote: CANID(standard: 0x7FF), length: 8)),
        ]
        for frame in frames { try sender.send(frame) }
        let received = try frames.map { _ in try receiver.receiveAny() }
        #expect(received.map(\.frame) == frames)
        #expect(received.allSatisfy { $0.interface == vcan.name && $0.origin == .localHost })
        let classic = try (0..<3).map { _ in try classicOnly.receiveAny().frame }
        #expect(classic == frames.filter { if case .can = $0 { true } else { false } })
        try classicOnly.socket.setTimeout(.milliseconds(200))
        #expect(throws: SocketTimeoutError.self) { _ = try classicOnly.receiveAny() }
        // A socket without CAN_RAW_XL_FRAMES may not send one either: the kernel's EINVAL, explained.
        #expect(throws: CANXLError.xlFramesNotEnabled(interface: vcan.name)) { try classicOnly.send(Self.xlFrame(0x1, 1)) }
    }

    @Test("an XL frame written by Python's raw socket decodes field by field (6.1+)")
    func pythonPeer() throws {
        guard KernelFeatures.hasXL else {
            #expect(throws: CANXLError.self) { try CANRawSocket(interface: "vcan0").setXLFrames(true) }
            return
        }
        let vcan = try ScratchVCAN("vcanpy", mtu: 2060)
        let receiver = try CANRawSocket(interface: vcan.name)
        try receiver.setXLFrames(true)
        try receiver.socket.setTimeout(.seconds(10))
        let script = """
        import socket, struct
        s = socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
        s.setsockopt(101, 7, 1)  # SOL_CAN_RAW, CAN_RAW_XL_FRAMES
        s.bind(("\(vcan.name)",))
        data = bytes((i * 5 + 1) & 0xFF for i in range(100))
        s.send(struct.pack("<IBBHI", 0x598, 0x81, 0x4A, len(data), 0x3239B34A) + data)
        """
        #expect(try Subprocess.run(["python3", "-c", script]).status == 0)
        let received = try receiver.receiveAny()
        guard case .xl(let frame) = received.frame else { Issue.record("got \(received.frame)"); return }
        #expect(frame.priority == 0x598 && frame.vcid == 0 && frame.flags == [.xlFormat, .simpleExtendedContent])
        #expect(frame.serviceDataUnitType == 0x4A && frame.acceptanceField == 0x3239_B34A)
        let expected: [UInt8] = (0..<100).map { (i: Int) -> UInt8 in UInt8(truncatingIfNeeded: i * 5 + 1) }
        #expect(frame.data == expected)
        #expect(CANFrameText.compact(frame).hasPrefix("00598#81:4A:3239B34A#0106"))
    }

    @Test("VCIDs: passed through and filtered with CAN_RAW_XL_VCID_OPTS on 6.9+, refused cleanly before")
    func vcid() throws {
        let socket = try CANRawSocket(interface: "vcan0")
        guard KernelFeatures.hasVCID else {
            let expected = CANXLError.notSupportedByKernel(option: "CAN_RAW_XL_VCID_OPTS", minimum: "6.9", running: KernelFeatures.kernel.release)
            #expect(throws: expected) { try socket.setXLVCIDOptions(.passAll) }
            return
        }
        // CAN_RAW has one VCID option (8); 9 is no option on 6.12 either.
        let error = #expect(throws: SystemCallError.self) {
            try socket.socket.setOption(SocketOption<CInt>(level: 101, name: 9, label: "CAN_RAW option 9"), 1)
        }
        #expect(error?.errno == .protocolNotAvailable)
        let vcan = try ScratchVCAN("vcanid", mtu: 2060)
        let sender = try CANRawSocket(interface: vcan.name)
        let all = try CANRawSocket(interface: vcan.name)
        let only39 = try CANRawSocket(interface: vcan.name)
        let untagged = try CANRawSocket(interface: vcan.name)
        for s in [sender, all, only39, untagged] { try s.setXLFrames(true) }
        try sender.setXLVCIDOptions(CANXLVCIDOptions(passTransmitVCID: true))
        try all.setXLVCIDOptions(.passAll)
        try only39.setXLVCIDOptions(CANXLVCIDOptions(receiveFilter: (0x39, 0xFF)))
        for s in [all, only39, untagged] { try s.socket.setTimeout(.milliseconds(500)) }
        let frames = try [Self.xlFrame(0x111, 8, vcid: 0x39), Self.xlFrame(0x112, 8, vcid: 0x00), Self.xlFrame(0x113, 8, vcid: 0x40)]
        for frame in frames { try sender.send(frame) }
        func drain(_ s: CANRawSocket) -> [CANXLFrame] {
            var out: [CANXLFrame] = []
            while let r = try? s.receiveAny() { if case .xl(let f) = r.frame { out.append(f) } }
            return out
        }
        #expect(drain(all) == frames)
        #expect(drain(only39).map(\.vcid) == [0x39])
        #expect(drain(untagged).map(\.vcid) == [0x00], "without the option only untagged frames arrive")
        // TX_SET overrides each frame's own VCID.
        try sender.setXLVCIDOptions(CANXLVCIDOptions(transmitVCID: 0x55, passTransmitVCID: true))
        try sender.send(Self.xlFrame(0x114, 8, vcid: 0x39))
        #expect(drain(all).map(\.vcid) == [0x55])
    }

    @Test("FD frames arrive with CANFD_FDF set on kernels with CAN XL (6.1+), as sent (without it) before")
    func fdfOnReceivedFDFrames() throws {
        let socket = try CANRawSocket(interface: "vcan0")
        try socket.socket.setTimeout(.seconds(5))
        // can-utils 2020.11's cansend writes flags 0x1 (BRS) without FDF.
        #expect(try Subprocess.run(["cansend", "vcan0", "123##1AABB"]).status == 0)
        let frame = try socket.receive().frame
        #expect(frame.isFD && frame.fdFlags.contains(.bitRateSwitch))
        #expect(frame.fdFlags.contains(.fdFormat) == KernelFeatures.hasXL, "Linux \(KernelFeatures.kernel): flags \(frame.rawFlagsByte)")
    }

    @Test("ISO-TP's PDU limit is the kernel's: max_pdu_size (6.4+) or the compiled-in 66000 (6.1); the kernel agrees")
    func isotpLimit() throws {
        let sysfs = "/sys/module/can_isotp/parameters/max_pdu_size"
        #expect((access(sysfs, R_OK) == 0) == KernelFeatures.hasISOTPMaxPDUSize)
        let limit = ISOTPSocket.maximumPDUSize
        if KernelFeatures.hasISOTPMaxPDUSize {
            let text = try Subprocess.run(["cat", sysfs]).stdout
            #expect(limit == Int(text.filter(\.isNumber)))
        } else {
            #expect(limit == 66000)
        }
        // Measure: the kernel takes `limit` bytes and refuses one more (EINVAL), as the toolkit says.
        let sender = try ISOTPSocket(interface: "vcan1", receiveID: CANID(standard: 0x7E8), transmitID: CANID(standard: 0x7E0))
        let bytes = [UInt8](repeating: 1, count: limit + 1)
        #expect(throws: SystemCallError("send", target: "vcan1", errno: .invalidArgument)) {
            _ = try bytes.withUnsafeBytes { try sender.socket.send($0) }
        }
        #expect(throws: ISOTPError.pduTooLarge(count: limit + 1, maximum: limit)) { try sender.send(bytes) }
    }

    @Test("BCM on an XL interface: classic frames are watched, XL frames with the same priority never reach it (6.1+)")
    func bcmIgnoresXL() throws {
        guard KernelFeatures.hasXL else {
            let vcan = try ScratchVCAN("vcanbcm")
            #expect(try !vcan.setMTU(2060))
            return
        }
        let vcan = try ScratchVCAN("vcanbcm", mtu: 2060)
        let bcm = try CANBCMSocket(interface: vcan.name)
        try bcm.socket.setTimeout(.milliseconds(800))
        let id = try CANID(standard: 0x242)
        try bcm.startReceiving(id: id)
        let sender = try CANRawSocket(interface: vcan.name)
        try sender.setXLFrames(true)
        try sender.send(Self.xlFrame(0x242, 8))
        #expect(throws: SocketTimeoutError.self) { _ = try bcm.receive() }
        let classic = try CANFrame(id: id, data: [9, 8, 7])
        try sender.send(classic)
        guard case .rxChanged(_, let frame) = try bcm.receive() else { Issue.record("no RX_CHANGED"); return }
        #expect(frame == classic)
    }

    @Test("ISO-TP on an XL interface carries PDUs in classic and FD frames; XL frames on its id are not taken (6.1+)")
    func isotpOnXLInterface() throws {
        guard KernelFeatures.hasXL else {
            let vcan = try ScratchVCAN("vcantp")
            #expect(try !vcan.setMTU(2060))
            return
        }
        let vcan = try ScratchVCAN("vcantp", mtu: 2060)
        var options = ISOTPOptions()
        options.linkLayer = .fd(dataLength: 64)
        let a = try CANID(standard: 0x6A1), b = try CANID(standard: 0x6B1)
        let receiver = try ISOTPSocket(interface: vcan.name, receiveID: a, transmitID: b, options: options)
        let sender = try ISOTPSocket(interface: vcan.name, receiveID: b, transmitID: a, options: options)
        try receiver.socket.setTimeout(.seconds(20))
        let pdu = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        try sender.send(pdu)
        #expect(try receiver.receive() == pdu)
        // An XL frame whose priority is the ISO-TP id, carrying a single-frame PCI, is not an ISO-TP frame.
        let raw = try CANRawSocket(interface: vcan.name)
        try raw.setXLFrames(true)
        try raw.send(CANXLFrame(priority: a.rawValue, data: [0x03, 0x11, 0x22, 0x33]))
        try receiver.socket.setTimeout(.milliseconds(500))
        #expect(throws: SocketTimeoutError.self) { _ = try receiver.receive() }
    }
}
}
