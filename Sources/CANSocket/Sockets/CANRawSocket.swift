#if canImport(Glibc)
import Glibc
#endif
import CCANShims
import SocketBase
import Synchronization

/// A CAN_RAW socket: send and receive raw CAN and CAN FD frames on one interface or on all (`any`).
///
/// Each received frame comes with its interface, the kernel's timestamp (from the same `recvmsg`, not an
/// ioctl), who sent it, and the socket's drop counter. For high rates use ``receive(into:)`` with a reused
/// ``CANFrameBatch`` (one `recvmmsg` for many frames, nothing allocated per frame).
///
/// ```swift
/// let socket = try CANRawSocket(interface: "vcan0")
/// try socket.send(CANFrame(id: CANID(standard: 0x123), data: [0xDE, 0xAD]))
/// let received = try socket.receive()
/// print(received.interface, received.frame)
/// ```
public final class CANRawSocket: Sendable {
    /// The options a CAN_RAW socket is opened with; each can be changed later too.
    public struct Options: Sendable {
        /// Receive and send CAN FD frames as well as classic ones (`CAN_RAW_FD_FRAMES`). On by default, as in candump.
        public var fdFrames = true
        /// Frames sent by this host are seen by other sockets (`CAN_RAW_LOOPBACK`). The kernel's default is on.
        public var loopback = true
        /// This socket receives its own sent frames (`CAN_RAW_RECV_OWN_MSGS`).
        public var receiveOwnMessages = false
        /// Receive filters (`CAN_RAW_FILTER`); `nil` keeps the kernel's default (everything), `[]` receives nothing.
        public var filters: [CANFilter]? = nil
        /// Error classes to receive as error frames (`CAN_RAW_ERR_FILTER`); 0 receives none.
        public var errorMask: UInt32 = 0
        /// A frame must match every filter rather than any (`CAN_RAW_JOIN_FILTERS`).
        public var joinFilters = false
        /// Receive buffer size in bytes (`SO_RCVBUF`, or `SO_RCVBUFFORCE` when privileged); `nil` keeps the default.
        public var receiveBufferSize: Int? = nil
        /// Timestamp received frames (`SO_TIMESTAMPNS`).
        public var timestamps = true
        /// Use the controller's raw hardware timestamps instead (`SO_TIMESTAMPING` with
        /// `SOF_TIMESTAMPING_RAW_HARDWARE`); virtual interfaces have none and report zero.
        public var hardwareTimestamps = false
        /// Count frames the kernel dropped for this socket (`SO_RXQ_OVFL`).
        public var dropCounter = true

        public init() {}
    }

    /// What to do when the interface's transmit queue is full (`ENOBUFS`).
    public enum FullQueuePolicy: Sendable {
        /// Throw the `ENOBUFS` error.
        case fail
        /// Wait for room (`poll` for `POLLOUT`, then retry), at most this long (`nil`: no limit).
        case wait(Duration?)
    }

    /// The underlying socket (for options and descriptors this type does not wrap).
    public let socket: Socket
    /// The address bound: one interface or `any`.
    public let address: CANSocketAddress
    /// The bound interface's MTU (16 classic, 72 CAN FD); `nil` for `any`.
    public let mtu: Int?
    let fdFramesEnabled: Atomic<Bool>
    let names: Locked<[CInt: String]>

    /// Opens a CAN_RAW socket, applies `options`, and binds it.
    /// - Parameters:
    ///   - interface: An interface name such as `vcan0`, or `any` for every CAN interface.
    ///   - options: Socket options, applied before binding.
    /// - Throws: ``SystemCallError`` naming the call and interface, e.g. `bind(vcan9): No such device (errno 19)`
    ///   or `socket(can, raw, 1): Address family not supported by protocol (errno 97)` on a kernel without CAN.
    public init(interface: String, options: Options = Options()) throws {
        let address = try CANSocketAddress(interface: interface)
        let socket = try Socket(family: .can, type: .raw, protocol: .canRaw)
        socket.label = address.interfaceName
        self.socket = socket
        self.address = address
        self.fdFramesEnabled = Atomic(false)
        self.names = Locked([address.interfaceIndex: address.interfaceName])
        self.mtu = address.interfaceIndex == 0 ? nil : try Self.interfaceMTU(of: address.interfaceName, using: socket)
        try apply(options)
        try socket.bind(to: address)
    }

    private func apply(_ options: Options) throws {
        if options.fdFrames { try setFDFrames(true) }
        if !options.loopback { try setLoopback(false) }
        if options.receiveOwnMessages { try setReceiveOwnMessages(true) }
        if let filters = options.filters { try setFilters(filters) }
        if options.errorMask != 0 { try setErrorMask(options.errorMask) }
        if options.joinFilters { try setJoinFilters(true) }
        if let size = options.receiveBufferSize { try setReceiveBufferSize(size) }
        if options.hardwareTimestamps {
            // SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_RAW_HARDWARE, as candump -H.
            try socket.setOption(.timestamping, (1 << 4) | (1 << 3) | (1 << 6))
        } else if options.timestamps {
            try socket.setOption(.timestampNanoseconds, true)
        }
        if options.dropCounter { try socket.setOption(.receiveQueueOverflow, true) }
    }

    // MARK: Options

    /// Receives and sends CAN FD frames too. The corresponding C constant is `CAN_RAW_FD_FRAMES`.
    public func setFDFrames(_ enabled: Bool) throws {
        try socket.setOption(CANRawOption.fdFrames, enabled)
        fdFramesEnabled.store(enabled, ordering: .relaxed)
    }

    /// Other sockets of this host see frames it sends. The corresponding C constant is `CAN_RAW_LOOPBACK`.
    public func setLoopback(_ enabled: Bool) throws { try socket.setOption(CANRawOption.loopback, enabled) }

    /// This socket receives the frames it sends. The corresponding C constant is `CAN_RAW_RECV_OWN_MSGS`.
    public func setReceiveOwnMessages(_ enabled: Bool) throws { try socket.setOption(CANRawOption.receiveOwnMessages, enabled) }

    /// A frame must match all filters instead of any. The corresponding C constant is `CAN_RAW_JOIN_FILTERS`.
    public func setJoinFilters(_ enabled: Bool) throws { try socket.setOption(CANRawOption.joinFilters, enabled) }

    /// Sets the receive filters (at most 512); an empty list receives no data frames.
    /// The corresponding C constant is `CAN_RAW_FILTER`.
    public func setFilters(_ filters: [CANFilter]) throws {
        let raw = filters.map { can_filter(can_id: $0.kernelID, can_mask: $0.kernelMask) }
        try socket.setOption(level: CCAN_SOL_CAN_RAW, name: CInt(CAN_RAW_FILTER), label: "CAN_RAW_FILTER", array: raw)
    }

    /// Sets which error classes arrive as error frames. The corresponding C constant is `CAN_RAW_ERR_FILTER`.
    public func setErrorMask(_ mask: UInt32) throws {
        try socket.setOption(SocketOption<UInt32>(level: CCAN_SOL_CAN_RAW, name: CInt(CAN_RAW_ERR_FILTER), label: "CAN_RAW_ERR_FILTER"), mask)
    }

    /// Sets the receive buffer: `SO_RCVBUFFORCE` when privileged (past `rmem_max`), else `SO_RCVBUF`.
    /// - Returns: The size the kernel reports afterwards (it doubles the request for bookkeeping).
    @discardableResult
    public func setReceiveBufferSize(_ bytes: Int) throws -> Int { try socket.setReceiveBufferSize(bytes) }

    // MARK: Sending

    /// Sends a frame on the bound interface: `write(2)` of the kernel's 16- or 72-byte layout.
    /// - Parameters:
    ///   - frame: The frame; FD frames need ``Options/fdFrames`` and an interface with MTU 72.
    ///   - onFullQueue: What `ENOBUFS` (a full transmit queue) does; waiting by default.
    /// - Throws: ``CANSocketError`` for a frame the interface can't carry; ``SystemCallError`` from the kernel.
    public func send(_ frame: CANFrame, onFullQueue: FullQueuePolicy = .wait(nil)) throws {
        try check(frame, interface: address.interfaceName, mtu: mtu)
        try withUnsafeTemporaryAllocation(byteCount: CANFrame.fdSize, alignment: 8) { buffer in
            let count = frame.encode(into: buffer)
            try transmit(UnsafeRawBufferPointer(rebasing: buffer[..<count]), to: nil, onFullQueue: onFullQueue)
        }
    }

    /// Sends a frame on a given interface from a socket bound to `any`: `sendto(2)`.
    public func send(_ frame: CANFrame, on interface: String, onFullQueue: FullQueuePolicy = .wait(nil)) throws {
        let target = try CANSocketAddress(interface: interface)
        try check(frame, interface: interface, mtu: frame.isFD ? try Self.interfaceMTU(of: interface, using: socket) : nil)
        try withUnsafeTemporaryAllocation(byteCount: CANFrame.fdSize, alignment: 8) { buffer in
            let count = frame.encode(into: buffer)
            try transmit(UnsafeRawBufferPointer(rebasing: buffer[..<count]), to: target, onFullQueue: onFullQueue)
        }
    }

    private func check(_ frame: CANFrame, interface: String, mtu: Int?) throws {
        guard frame.isFD else { return }
        guard fdFramesEnabled.load(ordering: .relaxed) else { throw CANSocketError.fdFramesNotEnabled(interface: interface) }
        if let mtu, mtu < CANFrame.fdSize { throw CANSocketError.frameTooLong(interface: interface, mtu: mtu) }
    }

    func transmit(_ bytes: UnsafeRawBufferPointer, to target: CANSocketAddress?, onFullQueue: FullQueuePolicy) throws {
        var deadline: ContinuousClock.Instant?
        while true {
            do {
                if let target { try socket.send(bytes, to: target) } else { try socket.send(bytes) }
                return
            } catch let error as SystemCallError where error.errno == .noBufferSpace {
                guard case .wait(let limit) = onFullQueue else { throw error }
                if let limit {
                    let end = deadline ?? .now + limit
                    deadline = end
                    guard ContinuousClock.now < end else { throw error }
                }
                // The queue drains within a frame time; poll for room, with a short cap since POLLOUT on
                // CAN sockets reflects the socket's send buffer, not the device queue.
                _ = try socket.waitForWritable(timeout: .milliseconds(1))
            }
        }
    }

    // MARK: Receiving

    /// Receives one frame, following the socket's timeout mode (blocking by default; see `socket.setTimeout`).
    /// - Throws: ``SystemCallError`` (e.g. `ENETDOWN` when the interface goes down), ``SocketTimeoutError``.
    public func receive() throws -> CANReceivedFrame {
        try withUnsafeTemporaryAllocation(byteCount: CANFrame.fdSize, alignment: 8) { buffer in
            try withUnsafeTemporaryAllocation(byteCount: CANFrameBatch.controlSize, alignment: 16) { control in
                let message = try socket.receiveMessage(into: buffer, control: control)
                let ifindex = message.address.load(as: sockaddr_can.self).can_ifindex
                return try decode(UnsafeRawBufferPointer(rebasing: buffer[..<message.count]), ifindex: ifindex,
                                  flags: message.flags, control: message.controlMessages)
            }
        }
    }

    /// Receives as many frames as are queued, up to the batch's capacity, with one `recvmmsg(2)`; waits for the
    /// first according to the socket's timeout mode.
    /// - Returns: The number of frames now in `batch`.
    @discardableResult
    public func receive(into batch: CANFrameBatch, flags: MessageFlags = []) throws -> Int {
        decode(batch, count: try socket.receive(into: batch.messages, flags: flags))
    }

    /// Receives what is queued, up to the batch's capacity, without waiting: one `recvmmsg(2)` with
    /// `MSG_DONTWAIT`.
    /// - Returns: The number of frames now in `batch`, or ``IOResult/wouldBlock`` when none was queued.
    public func receiveAvailable(into batch: CANFrameBatch) throws -> IOResult<Int> {
        try socket.receiveAvailable(into: batch.messages).map { decode(batch, count: $0) }
    }

    /// Decodes the batch's first `n` messages into its frames.
    private func decode(_ batch: CANFrameBatch, count n: Int) -> Int {
        batch.count = 0
        for i in 0..<n {
            let message = batch.messages[i]
            let ifindex = UnsafeRawPointer(message.address).withMemoryRebound(to: sockaddr_can.self, capacity: 1) { $0.pointee.can_ifindex }
            // A frame of an unexpected size (never from the kernel) is skipped rather than failing the batch.
            guard let frame = try? decode(message.bytes, ifindex: ifindex, flags: message.flags,
                                          control: message.controlMessages) else { continue }
            batch.frames[batch.count] = frame
            batch.count += 1
        }
        return batch.count
    }

    func decode(_ bytes: UnsafeRawBufferPointer, ifindex: CInt, flags: MessageFlags, control: ControlMessages) throws -> CANReceivedFrame {
        let frame = try CANFrame(kernelBytes: bytes)
        let details = Self.details(of: control)
        return CANReceivedFrame(frame: frame, interface: interfaceName(ifindex), interfaceIndex: ifindex,
                                timestamp: details.timestamp, origin: .init(flags), dropCount: details.dropCount)
    }

    /// What the kernel said about a received frame in the control messages of its `recvmsg`: the receive time
    /// (`SO_TIMESTAMPNS`, or the raw hardware time of `SO_TIMESTAMPING`) and the socket's drop count
    /// (`SO_RXQ_OVFL`). The one parser for every receive path, classic, FD and XL.
    static func details(of control: ControlMessages) -> (timestamp: KernelTimestamp, dropCount: UInt32) {
        var timestamp = KernelTimestamp.zero
        var drops: UInt32 = 0
        for cmsg in control where cmsg.level == SOL_SOCKET {
            if cmsg.type == SO_TIMESTAMPNS, let ts = cmsg.load(as: timespec.self) {
                timestamp = KernelTimestamp(ts)
            } else if cmsg.type == SO_TIMESTAMPING, cmsg.data.count >= 3 * MemoryLayout<timespec>.size {
                // [0] software, [1] deprecated, [2] raw hardware.
                let raw = cmsg.data.loadUnaligned(fromByteOffset: 2 * MemoryLayout<timespec>.size, as: timespec.self)
                timestamp = KernelTimestamp(raw)
            } else if cmsg.type == SO_RXQ_OVFL, let count = cmsg.load(as: UInt32.self) {
                drops = count
            }
        }
        return (timestamp, drops)
    }

    /// The name of an interface index, cached after the first lookup.
    public func interfaceName(_ index: CInt) -> String {
        if let name = names.withLock({ $0[index] }) { return name }
        let name = (try? NetworkInterface(index: index).name) ?? "if\(index)"
        names.withLock { $0[index] = name }
        return name
    }

    /// Received frames as an async sequence. It ends when the consuming task is cancelled, and when the
    /// interface goes down or disappears (`ENETDOWN`, `ENODEV`); other errors end it with that error.
    ///
    /// The process's one event-loop thread receives for every stream (never a thread of Swift's cooperative
    /// pool), taking up to `batchSize` frames per `recvmmsg`. At most `bufferLimit` frames wait for the consumer;
    /// newer ones are dropped and counted in ``ReceiveStream/droppedCount``.
    public func frames(batchSize: Int = 64, bufferLimit: Int = ReceiveStream<CANReceivedFrame>.defaultBufferLimit)
        -> ReceiveStream<CANReceivedFrame> {
        socket.receiveStream(label: "CANRawSocket.frames(\(address.interfaceName))", bufferLimit: bufferLimit,
                             state: { CANFrameBatch(capacity: batchSize) }) { [self] batch, yield in
            try receiveAvailable(into: batch).map { n in for i in 0..<n { yield(batch[i]) } }
        }
    }

    /// Closes the socket.
    public func close() throws { try socket.close() }

    static func interfaceMTU(of name: String, using socket: Socket) throws -> Int {
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { raw in
            raw.copyBytes(from: name.utf8.prefix(raw.count - 1))
        }
        try withUnsafeMutableBytes(of: &request) { raw in
            try socket.ioctl(CUnsignedLong(SIOCGIFMTU), raw.baseAddress!, name: "SIOCGIFMTU")
        }
        return Int(request.ifr_ifru.ifru_mtu)
    }
}

/// CAN_RAW socket options (level `SOL_CAN_RAW`).
enum CANRawOption {
    static let loopback = SocketOption<CInt>(level: CCAN_SOL_CAN_RAW, name: CInt(CAN_RAW_LOOPBACK), label: "CAN_RAW_LOOPBACK")
    static let receiveOwnMessages = SocketOption<CInt>(level: CCAN_SOL_CAN_RAW, name: CInt(CAN_RAW_RECV_OWN_MSGS), label: "CAN_RAW_RECV_OWN_MSGS")
    static let fdFrames = SocketOption<CInt>(level: CCAN_SOL_CAN_RAW, name: CInt(CAN_RAW_FD_FRAMES), label: "CAN_RAW_FD_FRAMES")
    static let joinFilters = SocketOption<CInt>(level: CCAN_SOL_CAN_RAW, name: CInt(CAN_RAW_JOIN_FILTERS), label: "CAN_RAW_JOIN_FILTERS")
}
