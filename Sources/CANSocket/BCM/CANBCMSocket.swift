#if canImport(Glibc)
import Glibc
#endif
import CCANShims
import SocketBase

/// A CAN_BCM socket: the kernel's broadcast manager sends cyclic frames and filters received ones for you.
///
/// Transmit jobs (`TX_SETUP`) send frames at an interval from the kernel's timers, with no user-space thread;
/// receive jobs (`RX_SETUP`) report only content changes (`RX_CHANGED`), missing frames (`RX_TIMEOUT`), or
/// answer remote requests. Jobs are keyed by (id, interface, FD): see ``BCMJobKey``. Notifications arrive as
/// ``BCMEvent``s from ``receive()`` or ``events()``.
///
/// ```swift
/// let bcm = try CANBCMSocket(interface: "vcan0")
/// let job = try bcm.startTransmitting([CANFrame(id: CANID(standard: 0x123), data: [1, 2])], interval: .milliseconds(10))
/// try bcm.updateTransmitting(job, frames: [CANFrame(id: CANID(standard: 0x123), data: [3, 4])])
/// try bcm.stopTransmitting(job)
/// ```
public final class CANBCMSocket: Sendable {
    /// The underlying socket (for options and descriptors this type does not wrap).
    public let socket: Socket
    /// The interface connected to.
    public let address: CANSocketAddress
    /// The interface's MTU (16 classic, 72 CAN FD); `nil` for `any`.
    public let mtu: Int?
    /// The receive buffer, allocated once: a message can be 18,560 bytes (too big for a stack temporary, so a
    /// per-message buffer would be a heap allocation). Receivers take turns through the lock.
    private let receiveBuffer: Locked<UnsafeMutableRawBufferPointer>

    /// Opens `socket(AF_CAN, SOCK_DGRAM, CAN_BCM)` and connects it to an interface.
    /// - Parameter interface: An interface name such as `vcan0` (or `any`: receive jobs on every interface; transmit
    ///   jobs then fail with `ENODEV`).
    /// - Throws: ``SystemCallError`` naming the call and interface, e.g. `if_nametoindex(vcan9): No such device (errno 19)`.
    public init(interface: String) throws {
        let address = try CANSocketAddress(interface: interface)
        let socket = try Socket(family: .can, type: .datagram, protocol: .canBCM)
        socket.label = address.interfaceName
        mtu = try socket.closeOnError {
            let mtu = address.interfaceIndex == 0 ? nil : try CANRawSocket.interfaceMTU(of: address.interfaceName, using: socket)
            try socket.connect(to: address)
            return mtu
        }
        self.socket = socket
        self.address = address
        self.receiveBuffer = Locked(.allocate(byteCount: BCMMessage.maximumSize, alignment: 8))
    }

    deinit {
        receiveBuffer.withLock { $0.deallocate() }
    }

    /// Closes the socket; the kernel removes every job of it.
    public func close() throws { try socket.close() }

    // MARK: Messages

    /// Sends one message to the broadcast manager (`write(2)` of `bcm_msg_head` and its frames), after
    /// ``BCMMessage/validate()``.
    /// - Throws: ``BCMError`` before the call; ``SystemCallError`` from the kernel, naming the opcode and interface,
    ///   e.g. `write(TX_DELETE)(vcan0): Invalid argument (errno 22)` for a job that does not exist.
    public func send(_ message: BCMMessage) throws {
        try message.validate()
        try withUnsafeTemporaryAllocation(byteCount: message.encodedSize, alignment: 8) { buffer in
            let count = try message.encode(into: buffer)
            do {
                _ = try socket.send(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } catch var error as SystemCallError {
                error.operation = "write(\(message.opcode))"
                throw error
            }
        }
    }

    /// Receives one notification, following the socket's timeout mode (blocking by default; see `socket.setTimeout`).
    /// - Throws: ``SocketTimeoutError`` when the timeout runs out, ``SystemCallError``, ``BCMError`` for a
    ///   malformed message.
    public func receive() throws -> BCMEvent {
        try receive(flags: [])
    }

    func receive(flags: MessageFlags) throws -> BCMEvent {
        try receiveBuffer.withLock { buffer throws -> BCMEvent in
            try event(from: socket.receiveMessage(into: buffer, flags: flags), in: buffer)
        }
    }

    /// Receives one notification if one is queued, without waiting: `read(2)` with `MSG_DONTWAIT`.
    /// - Returns: The notification, or ``IOResult/wouldBlock`` when none was queued.
    public func receiveAvailable() throws -> IOResult<BCMEvent> {
        try receiveBuffer.withLock { buffer throws -> IOResult<BCMEvent> in
            try socket.receiveMessageAvailable(into: buffer).map { try event(from: $0, in: buffer) }
        }
    }

    private func event(from message: ReceivedMessage, in buffer: UnsafeMutableRawBufferPointer) throws -> BCMEvent {
        let reported = message.address.load(as: sockaddr_can.self).can_ifindex
        // The kernel reports the interface a frame came in on, and 0 for transmit jobs: prefer the bound one.
        let ifindex = address.interfaceIndex != 0 ? address.interfaceIndex : reported
        return try BCMEvent(kernelBytes: UnsafeRawBufferPointer(rebasing: buffer[..<message.count]), interfaceIndex: ifindex)
    }

    /// Notifications as an async sequence. It ends when the consuming task is cancelled, and when the interface
    /// goes down or disappears (`ENETDOWN`, `ENODEV`); other errors end it with that error.
    ///
    /// The process's one event-loop thread receives for every stream (never a thread of Swift's cooperative
    /// pool). At most `bufferLimit` events wait for the consumer; newer ones are dropped and counted in
    /// ``ReceiveStream/droppedCount``.
    public func events(bufferLimit: Int = ReceiveStream<BCMEvent>.defaultBufferLimit) -> ReceiveStream<BCMEvent> {
        socket.receiveStream(label: "CANBCMSocket.events(\(address.interfaceName))", bufferLimit: bufferLimit) { [self] yield in
            try receiveAvailable().map { yield($0) }
        }
    }

    // MARK: Helpers for the job methods

    /// The key of a job with `rawID` on this socket's interface.
    func key(_ rawID: UInt32, fd: Bool) -> BCMJobKey {
        BCMJobKey(rawID: rawID, interfaceIndex: address.interfaceIndex, isFD: fd)
    }

    /// Whether `frames` are FD, checking they are all of one kind and that the interface carries them.
    func frameKind(of frames: [CANFrame]) throws -> Bool {
        let fd = frames.first?.isFD ?? false
        if let index = frames.firstIndex(where: { $0.isFD != fd }) { throw BCMError.mixedFrameKinds(index: index, jobIsFD: fd) }
        if fd, let mtu, mtu < CANFrame.fdSize { throw CANSocketError.frameTooLong(interface: address.interfaceName, mtu: mtu) }
        return fd
    }
}
