#if canImport(Glibc)
import Glibc
#endif

// The socket calls: bind, connect, listen, accept, send/recv, sendto/recvfrom, shutdown, names.
extension Socket {
    /// Runs one socket call in the socket's timeout mode.
    ///
    /// EINTR is retried (``valueOrErrno``); EAGAIN in timeout mode waits with ``Readiness`` for `events` until the
    /// deadline, then throws ``SocketTimeoutError``; in non-blocking mode (or with `MSG_DONTWAIT`) it throws
    /// ``SystemCallError`` with ``Errno/wouldBlock``, as Python's sockets do. Use ``ioResult(_:events:target:_:)``
    /// to get ``IOResult/wouldBlock`` instead.
    @inline(__always)
    func io<R: FixedWidthInteger>(
        _ operation: @autoclosure () -> String, events: Int16 = Int16(POLLIN),
        target: @autoclosure () -> String? = nil, _ call: (CInt) -> R
    ) throws -> R {
        switch try ioResult(operation(), events: events, target: target(), call) {
        case .processed(let value): return value
        case .wouldBlock: throw SystemCallError(operation(), target: target() ?? label, errno: .wouldBlock)
        }
    }

    /// Runs one socket call in the socket's timeout mode; EAGAIN that is not waited for (non-blocking mode or
    /// `MSG_DONTWAIT`) is ``IOResult/wouldBlock``. Any other failure throws ``SystemCallError`` for `operation` on
    /// `target` (or the socket's ``label``).
    @inline(__always)
    func ioResult<R: FixedWidthInteger>(
        _ operation: @autoclosure () -> String, events: Int16 = Int16(POLLIN),
        target: @autoclosure () -> String? = nil, _ call: (CInt) -> R
    ) throws -> IOResult<R> {
        let (fd, timeout) = state.withLock { ($0.descriptor, $0.timeout) }
        guard fd >= 0 else { throw SystemCallError(operation(), target: target() ?? label, errno: .badFileDescriptor) }
        var deadline: ContinuousClock.Instant?
        while true {
            switch valueOrErrno({ call(fd) }) {
            case .success(let result): return .processed(result)
            case .failure(let errno) where errno == .wouldBlock || errno == .inProgress:
                guard case .after(let limit) = timeout else {
                    if errno == .wouldBlock { return .wouldBlock }
                    throw SystemCallError(operation(), target: target() ?? label, errno: errno)
                }
                let now = ContinuousClock.now
                let end = deadline ?? now + limit
                deadline = end
                if try Readiness.wait(fd, events: events, until: end, label: label) { continue }
                throw SocketTimeoutError(operation: operation(), target: target() ?? label, timeout: limit)
            case .failure(let errno):
                throw SystemCallError(operation(), target: target() ?? label, errno: errno)
            }
        }
    }

    /// Waits until the socket is readable, at most `timeout` (`nil`: no limit).
    /// - Returns: true when readable, false when the time ran out.
    public func waitForReadable(timeout: Duration?) throws -> Bool {
        let fd = try openDescriptor("poll")
        return try Readiness.wait(fd, events: Int16(POLLIN), until: timeout.map { .now + $0 }, label: label)
    }

    /// Waits until the socket can take more data, at most `timeout`.
    /// - Returns: true when writable, false when the time ran out.
    public func waitForWritable(timeout: Duration) throws -> Bool {
        let fd = try openDescriptor("poll")
        return try Readiness.wait(fd, events: Int16(POLLOUT), until: .now + timeout, label: label)
    }

    /// Binds the socket to a local address: `bind(2)`.
    /// - Throws: ``SystemCallError`` naming the address, e.g. `bind(vcan9): No such device (errno 19)`.
    public func bind(to address: some SocketAddress) throws {
        _ = try address.withSockAddr { addr, len in
            try io("bind", target: address.description) { Sys.bind($0, addr, len) }
        }
    }

    /// Connects the socket: `connect(2)`, honouring the timeout mode (in timeout mode a pending connection is
    /// waited for with `poll` and its result read with `SO_ERROR`).
    public func connect(to address: some SocketAddress) throws {
        let pending: Bool = try address.withSockAddr { addr, len in
            let fd = try openDescriptor("connect")
            switch valueOrErrno({ Sys.connect(fd, addr, len) }) {
            case .success: return false
            case .failure(.inProgress) where timeout.descriptorIsNonBlocking && timeout != .nonBlocking: return true
            case .failure(let errno): throw SystemCallError("connect", target: address.description, errno: errno)
            }
        }
        guard pending, case .after(let limit) = timeout else { return }
        let fd = try openDescriptor("connect")
        guard try Readiness.wait(fd, events: Int16(POLLOUT), until: .now + limit, label: label) else {
            throw SocketTimeoutError(operation: "connect", target: address.description, timeout: limit)
        }
        let error = try option(.error)
        if error != 0 { throw SystemCallError("connect", target: address.description, errno: Errno(rawValue: error)) }
    }

    /// Marks the socket as accepting connections: `listen(2)`.
    public func listen(backlog: CInt = SOMAXCONN) throws {
        _ = try io("listen") { Sys.listen($0, backlog) }
    }

    /// Accepts a connection: `accept4(2)` with `SOCK_CLOEXEC`. The new socket starts in ``defaultTimeout``'s mode.
    /// - Returns: The connected socket and the peer's address.
    public func accept() throws -> (Socket, AnySocketAddress) {
        var fd: CInt = -1
        let peer = try AnySocketAddress.fill { addr, len in
            fd = try io("accept") { Sys.accept4($0, addr, &len, SocketFlags.closeOnExec.rawValue) }
        }
        let timeout = Socket.defaultTimeout
        let socket = Socket(owning: fd, family: family, type: type, protocol: `protocol`, timeout: .blocking)
        if timeout != .blocking { try socket.setTimeout(timeout) }
        return (socket, peer)
    }

    /// Sends bytes on a connected socket: `send(2)`.
    /// - Returns: The number of bytes sent.
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, flags: MessageFlags = []) throws -> Int {
        try io("send", events: Int16(POLLOUT)) { Sys.send($0, bytes.baseAddress, bytes.count, flags.rawValue) }
    }

    /// Sends the bytes of an array or other contiguous collection: `send(2)`.
    @discardableResult
    public func send(_ bytes: some Sequence<UInt8>, flags: MessageFlags = []) throws -> Int {
        let array = Array(bytes)
        return try array.withUnsafeBytes { try send($0, flags: flags) }
    }

    /// Sends every byte, calling `send(2)` until all are written (Python's `sendall`).
    public func sendAll(_ bytes: some Sequence<UInt8>, flags: MessageFlags = []) throws {
        let array = Array(bytes)
        try array.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                offset += try send(UnsafeRawBufferPointer(rebasing: raw[offset...]), flags: flags)
            }
        }
    }

    /// Sends a datagram to `address`: `sendto(2)`.
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, to address: some SocketAddress, flags: MessageFlags = []) throws -> Int {
        try address.withSockAddr { addr, len in
            try io("sendto", events: Int16(POLLOUT), target: address.description) {
                Sys.sendto($0, bytes.baseAddress, bytes.count, flags.rawValue, addr, len)
            }
        }
    }

    /// Receives into `buffer`: `recv(2)`.
    /// - Returns: The number of bytes received; 0 at end of stream.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, flags: MessageFlags = []) throws -> Int {
        try io("recv") { Sys.recv($0, buffer.baseAddress, buffer.count, flags.rawValue) }
    }

    /// Receives into `buffer` without waiting: `recv(2)` with `MSG_DONTWAIT`.
    /// - Returns: The number of bytes received (0 at end of stream), or ``IOResult/wouldBlock`` when nothing was
    ///   queued.
    public func receiveAvailable(into buffer: UnsafeMutableRawBufferPointer, flags: MessageFlags = []) throws -> IOResult<Int> {
        try ioResult("recv") { Sys.recv($0, buffer.baseAddress, buffer.count, flags.union(.dontWait).rawValue) }
    }

    /// Receives at most `maxBytes` bytes: `recv(2)`.
    public func receive(maxBytes: Int, flags: MessageFlags = []) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, count in
            count = try receive(into: UnsafeMutableRawBufferPointer(buffer), flags: flags)
        }
    }

    /// Receives a datagram and its sender: `recvfrom(2)`.
    /// - Returns: The number of bytes received and the sender's address.
    public func receiveFrom(into buffer: UnsafeMutableRawBufferPointer, flags: MessageFlags = []) throws -> (Int, AnySocketAddress) {
        var count = 0
        let sender = try AnySocketAddress.fill { addr, len in
            count = try io("recvfrom") { Sys.recvfrom($0, buffer.baseAddress, buffer.count, flags.rawValue, addr, &len) }
        }
        return (count, sender)
    }

    /// Shuts down one or both directions: `shutdown(2)`.
    public func shutdown(_ direction: ShutdownDirection) throws {
        _ = try io("shutdown") { Sys.shutdown($0, direction.rawValue) }
    }

    /// The address the socket is bound to: `getsockname(2)`.
    public var localAddress: AnySocketAddress {
        get throws {
            try AnySocketAddress.fill { addr, len in _ = try io("getsockname") { Sys.getsockname($0, addr, &len) } }
        }
    }

    /// The address of the connected peer: `getpeername(2)`.
    public var peerAddress: AnySocketAddress {
        get throws {
            try AnySocketAddress.fill { addr, len in _ = try io("getpeername") { Sys.getpeername($0, addr, &len) } }
        }
    }

    /// Calls `ioctl(2)` with a pointer argument, e.g. `SIOCGIFINDEX`.
    public func ioctl(_ request: CUnsignedLong, _ argument: UnsafeMutableRawPointer, name: String) throws {
        _ = try io("ioctl(\(name))") { Sys.ioctl($0, request, argument) }
    }
}

/// Which direction ``Socket/shutdown(_:)`` closes.
public enum ShutdownDirection: CInt, Sendable {
    /// Further receives are refused. The corresponding C constant is `SHUT_RD`.
    case read = 0
    /// Further sends are refused. The corresponding C constant is `SHUT_WR`.
    case write = 1
    /// Both. The corresponding C constant is `SHUT_RDWR`.
    case both = 2
}

/// Flags for send and receive calls (`MSG_*`), and flags the kernel reports on a received message.
@frozen
public struct MessageFlags: OptionSet, Hashable, Sendable {
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// Peek at data without consuming it. The corresponding C constant is `MSG_PEEK`.
    public static let peek = MessageFlags(rawValue: CInt(MSG_PEEK))
    /// Don't block for this call. The corresponding C constant is `MSG_DONTWAIT`.
    public static let dontWait = MessageFlags(rawValue: CInt(MSG_DONTWAIT))
    /// Wait for the full request. The corresponding C constant is `MSG_WAITALL`.
    public static let waitAll = MessageFlags(rawValue: CInt(MSG_WAITALL))
    /// Return the real length of a truncated datagram. The corresponding C constant is `MSG_TRUNC`.
    public static let truncated = MessageFlags(rawValue: CInt(MSG_TRUNC))
    /// Control data was truncated. The corresponding C constant is `MSG_CTRUNC`.
    public static let controlTruncated = MessageFlags(rawValue: CInt(MSG_CTRUNC))
    /// On CAN: the frame was sent from this host. The corresponding C constant is `MSG_DONTROUTE`.
    public static let dontRoute = MessageFlags(rawValue: CInt(MSG_DONTROUTE))
    /// On CAN: the frame was sent by this very socket. The corresponding C constant is `MSG_CONFIRM`.
    public static let confirm = MessageFlags(rawValue: CInt(MSG_CONFIRM))
    /// Don't raise SIGPIPE on a broken stream. The corresponding C constant is `MSG_NOSIGNAL`.
    public static let noSignal = MessageFlags(rawValue: CInt(MSG_NOSIGNAL))
    /// `recvmmsg`: block for the first message only. The corresponding C constant is `MSG_WAITFORONE`.
    public static let waitForOne = MessageFlags(rawValue: CInt(MSG_WAITFORONE))
    /// Descriptors received with SCM_RIGHTS are close-on-exec. The corresponding C constant is `MSG_CMSG_CLOEXEC`.
    public static let controlCloseOnExec = MessageFlags(rawValue: 0x4000_0000)
}
