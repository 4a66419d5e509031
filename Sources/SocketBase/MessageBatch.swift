#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

/// Buffers for receiving many messages with one `recvmmsg(2)` call, allocated once and reused.
///
/// Each of ``capacity`` slots has a payload buffer, a control buffer and room for the sender's address.
/// ``Socket/receive(into:flags:)-(MessageBatch,_)`` fills the first N slots; read them with ``subscript(_:)``
/// before the next receive overwrites them. Nothing is allocated per message.
public final class MessageBatch {
    /// The number of slots.
    public let capacity: Int
    /// Payload bytes per slot.
    public let messageSize: Int
    /// Control bytes per slot.
    public let controlSize: Int

    let headers: UnsafeMutablePointer<csb_mmsghdr>
    let iovecs: UnsafeMutablePointer<iovec>
    let payload: UnsafeMutableRawBufferPointer
    let control: UnsafeMutableRawBufferPointer
    let addresses: UnsafeMutablePointer<sockaddr_storage>
    /// How many slots the last receive filled.
    @exclusivity(unchecked) public private(set) var count = 0  // read per message; no runtime exclusivity checks

    /// Allocates `capacity` slots of `messageSize` payload bytes and `controlSize` control bytes each.
    public init(capacity: Int, messageSize: Int, controlSize: Int = 0) {
        precondition(capacity > 0 && messageSize > 0 && controlSize >= 0)
        self.capacity = capacity
        self.messageSize = messageSize
        self.controlSize = controlSize
        headers = .allocate(capacity: capacity)
        headers.initialize(repeating: csb_mmsghdr(), count: capacity)
        iovecs = .allocate(capacity: capacity)
        payload = .allocate(byteCount: capacity * messageSize, alignment: 16)
        payload.initializeMemory(as: UInt8.self, repeating: 0)
        control = .allocate(byteCount: max(1, capacity * controlSize), alignment: 16)
        control.initializeMemory(as: UInt8.self, repeating: 0)
        addresses = .allocate(capacity: capacity)
        addresses.initialize(repeating: sockaddr_storage(), count: capacity)
        for i in 0..<capacity {
            iovecs[i] = iovec(iov_base: payload.baseAddress! + i * messageSize, iov_len: messageSize)
            headers[i].msg_hdr.msg_iov = iovecs + i
            headers[i].msg_hdr.msg_iovlen = 1
        }
    }

    deinit {
        headers.deallocate()
        iovecs.deallocate()
        payload.deallocate()
        control.deallocate()
        addresses.deallocate()
    }

    /// Resets the lengths the kernel overwrites, before each `recvmmsg`.
    func prepare() {
        for i in 0..<capacity {
            headers[i].msg_hdr.msg_name = UnsafeMutableRawPointer(addresses + i)
            headers[i].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[i].msg_hdr.msg_control = controlSize == 0 ? nil : control.baseAddress! + i * controlSize
            headers[i].msg_hdr.msg_controllen = controlSize
            headers[i].msg_hdr.msg_flags = 0
            headers[i].msg_len = 0
        }
    }

    func filled(_ n: Int) { count = n }

    /// One received message: views into the batch's buffers, valid until the next receive.
    public struct Message {
        /// The payload bytes received.
        public let bytes: UnsafeRawBufferPointer
        /// Flags the kernel set on this message.
        public let flags: MessageFlags
        /// The sender's address as a C `sockaddr`.
        public let address: UnsafePointer<sockaddr>
        /// The sender's address length.
        public let addressLength: socklen_t
        /// The control messages.
        public let controlMessages: ControlMessages
    }

    /// The `index`th message of the last receive (0 ..< ``count``).
    public subscript(index: Int) -> Message {
        precondition(index >= 0 && index < count, "message \(index) of a batch of \(count)")
        let header = headers[index]
        let controlBuffer = controlSize == 0
            ? UnsafeMutableRawBufferPointer(start: nil, count: 0)
            : UnsafeMutableRawBufferPointer(start: control.baseAddress! + index * controlSize, count: controlSize)
        return Message(
            bytes: UnsafeRawBufferPointer(start: payload.baseAddress! + index * messageSize,
                                          count: min(Int(header.msg_len), messageSize)),
            flags: MessageFlags(rawValue: header.msg_hdr.msg_flags),
            address: UnsafeRawPointer(addresses + index).assumingMemoryBound(to: sockaddr.self),
            addressLength: header.msg_hdr.msg_namelen,
            controlMessages: ControlMessages(controlBuffer, length: header.msg_hdr.msg_controllen))
    }
}

extension Socket {
    /// Receives up to `batch.capacity` messages with one `recvmmsg(2)` call, following the timeout mode:
    /// it waits for the first message, then takes what is already queued (`MSG_WAITFORONE`).
    /// - Returns: The number of messages received, also in `batch.count`.
    @discardableResult
    public func receive(into batch: MessageBatch, flags: MessageFlags = []) throws -> Int {
        batch.prepare()
        let flags = flags.union(.waitForOne).union(closeOnExecForReceivedDescriptors)
        let n = try io("recvmmsg") { Sys.recvmmsg($0, batch.headers, CUnsignedInt(batch.capacity), flags.rawValue) }
        batch.filled(Int(n))
        return Int(n)
    }

    /// Receives what is queued, up to `batch.capacity` messages, without waiting: `recvmmsg(2)` with
    /// `MSG_DONTWAIT`.
    /// - Returns: The number of messages received (also in `batch.count`), or ``IOResult/wouldBlock`` when none
    ///   was queued (the batch is then empty).
    public func receiveAvailable(into batch: MessageBatch, flags: MessageFlags = []) throws -> IOResult<Int> {
        batch.prepare()
        let flags = flags.union(.dontWait).union(closeOnExecForReceivedDescriptors)
        let result = try ioResult("recvmmsg") { Sys.recvmmsg($0, batch.headers, CUnsignedInt(batch.capacity), flags.rawValue) }
        batch.filled(Int(result.value ?? 0))
        return result.map { Int($0) }
    }
}
