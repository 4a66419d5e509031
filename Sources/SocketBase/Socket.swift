#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

/// An owned socket descriptor: Python's `socket.socket`, done for Swift on Linux.
///
/// A `Socket` owns its descriptor and closes it when it is closed, detached from, or deinitialised.
/// Every descriptor the toolkit creates, duplicates or receives is close-on-exec (non-inheritable).
/// Operations follow the socket's ``timeout``: block, fail at once with ``Errno/wouldBlock``, or wait at most
/// a duration and throw ``SocketTimeoutError``. EINTR is retried.
///
/// Constructors, after Python's `socket` module:
/// - ``init(family:type:protocol:flags:)``: `socket.socket(family, type, proto)`
/// - ``init(fileDescriptor:family:type:protocol:)``: `socket.socket(fileno=fd)`, adopting the descriptor
/// - ``init(duplicating:family:type:protocol:)``: `socket.fromfd(fd, …)`
/// - ``pair(family:type:protocol:)``: `socket.socketpair()`
/// - ``connect(toHost:port:timeout:sourceAddress:)``: `socket.create_connection()`
/// - ``init(sharedOver:)`` with ``share(over:)``: Linux's stand-in for `fromshare()` / `share()`
///
/// A socket may be used from several threads at once; closing it while another thread is inside an
/// operation on it is a race the caller must avoid, as with any descriptor.
public final class Socket: Sendable, CustomStringConvertible {
    struct State {
        var descriptor: CInt
        var timeout: SocketTimeout
        var label: String?
        /// Whether an async sequence registered the descriptor with the event loop (``close()`` then ends it).
        var hasStreams = false
    }

    let state: Locked<State>

    /// The address family, as given or as detected (`SO_DOMAIN`).
    public let family: AddressFamily
    /// The socket type without `SOCK_NONBLOCK` / `SOCK_CLOEXEC`, as given or as detected (`SO_TYPE`).
    public let type: SocketKind
    /// The protocol number, as given or as detected (`SO_PROTOCOL`).
    public let `protocol`: SocketProtocol

    /// The process-wide timeout new sockets start with (Python's `getdefaulttimeout`/`setdefaulttimeout`).
    public static var defaultTimeout: SocketTimeout {
        get { _defaultTimeout.withLock { $0 } }
        set { _defaultTimeout.withLock { $0 = newValue } }
    }
    private static let _defaultTimeout = Locked<SocketTimeout>(.blocking)

    /// Wraps a descriptor this socket now owns; `descriptor`'s O_NONBLOCK must already match `timeout`.
    init(owning descriptor: CInt, family: AddressFamily, type: SocketKind, protocol: SocketProtocol, timeout: SocketTimeout) {
        self.state = Locked(State(descriptor: descriptor, timeout: timeout, label: nil))
        self.family = family
        self.type = type.withoutFlags
        self.protocol = `protocol`
    }

    /// Creates a socket: `socket(2)`, close-on-exec.
    ///
    /// Flags may come in `flags` or in `type`'s raw value (`.stream.with(.nonBlocking)`); either way they are
    /// applied and ``type`` does not show them. Without `.nonBlocking` the socket starts in
    /// ``defaultTimeout``'s mode.
    /// - Parameters:
    ///   - family: The address family; IPv4 by default.
    ///   - type: The socket type; stream by default.
    ///   - protocol: The protocol number; 0 (the family's default) by default.
    ///   - flags: `SOCK_NONBLOCK` / `SOCK_CLOEXEC`; close-on-exec is always set.
    /// - Throws: ``SystemCallError`` naming the family, type and protocol, e.g.
    ///   `socket(can, raw, 1): Address family not supported by protocol (errno 97)`.
    public convenience init(
        family: AddressFamily = .inet, type: SocketKind = .stream, protocol: SocketProtocol = .default,
        flags: SocketFlags = []
    ) throws {
        let flags = flags.union(type.flags)
        let timeout: SocketTimeout = flags.contains(.nonBlocking) ? .nonBlocking : Socket.defaultTimeout
        var rawType = type.withoutFlags.rawValue | SocketFlags.closeOnExec.rawValue
        if timeout.descriptorIsNonBlocking { rawType |= SocketFlags.nonBlocking.rawValue }
        let fd = try Sys.socket(family.rawValue, rawType, `protocol`.rawValue).get(
            "socket", target: "\(family), \(type.withoutFlags), \(`protocol`)")
        self.init(owning: fd, family: family, type: type, protocol: `protocol`, timeout: timeout)
    }

    /// Adopts an existing socket descriptor, like Python's `socket.socket(fileno=fd)`: the same descriptor, not a
    /// copy, and closing this socket closes it.
    ///
    /// Family, type and protocol are read from the descriptor (`SO_DOMAIN`, `SO_TYPE`, `SO_PROTOCOL`); a value
    /// passed here overrides what is reported for this object, not the OS socket. The timeout mode follows the
    /// descriptor's `O_NONBLOCK`. On failure the descriptor is left open and still the caller's.
    /// - Throws: ``SystemCallError`` (`ENOTSOCK` when `fileDescriptor` is not a socket).
    public convenience init(
        fileDescriptor fd: CInt, family: AddressFamily? = nil, type: SocketKind? = nil, protocol: SocketProtocol? = nil
    ) throws {
        let target = "fd \(fd)"
        guard try Sys.fstatIsSocket(fd).get("fstat", target: target) else {
            throw SystemCallError("socket", target: target, errno: .notSocket)
        }
        func detect(_ name: CInt, _ label: String) throws -> CInt {
            var value: CInt = 0
            var length = socklen_t(MemoryLayout<CInt>.size)
            try Sys.getsockopt(fd, SOL_SOCKET, name, &value, &length).get("getsockopt(\(label))", target: target)
            return value
        }
        let family = try family ?? AddressFamily(rawValue: detect(SO_DOMAIN, "SO_DOMAIN"))
        let type = try type ?? SocketKind(rawValue: detect(SO_TYPE, "SO_TYPE"))
        let proto = try `protocol` ?? SocketProtocol(rawValue: detect(SO_PROTOCOL, "SO_PROTOCOL"))
        let status = try Sys.fcntl(fd, F_GETFL).get("fcntl(F_GETFL)", target: target)
        let timeout: SocketTimeout = status & O_NONBLOCK != 0 ? .nonBlocking : .blocking
        self.init(owning: fd, family: family, type: type, protocol: proto, timeout: timeout)
    }

    deinit {
        let fd = state.withLock { $0.descriptor }
        if fd >= 0 { _ = Sys.close(fd) }
    }

    // MARK: Ownership

    /// The descriptor, or -1 once closed or detached (Python's `fileno()`).
    public var fileDescriptor: CInt { state.withLock { $0.descriptor } }

    /// Whether the socket still owns an open descriptor.
    public var isOpen: Bool { fileDescriptor >= 0 }

    /// A name for this socket in error messages (an interface, a peer); set by the modules that bind it.
    public var label: String? {
        get { state.withLock { $0.label } }
        set { state.withLock { $0.label = newValue } }
    }

    /// Gives up ownership of the descriptor without closing it (Python's `detach()`).
    /// - Returns: The descriptor, now the caller's to close; -1 if the socket was already closed or detached.
    @discardableResult
    public func detach() -> CInt {
        state.withLock { state in
            defer { state.descriptor = -1 }
            return state.descriptor
        }
    }

    /// Closes the descriptor; calling it again does nothing. `close(2)` is not retried on EINTR.
    /// - Throws: ``SystemCallError`` if the kernel reports an error on close (the descriptor is released anyway).
    public func close() throws {
        let (fd, hasStreams) = state.withLock { state in
            defer { state.descriptor = -1 }
            return (state.descriptor, state.hasStreams)
        }
        guard fd >= 0 else { return }
        if hasStreams { EventLoop.shared.descriptorClosing(fd, label: label) }
        try Sys.close(fd).get("close", target: label)
    }

    /// Runs `setup` on the new socket and closes it when `setup` throws, so that a constructor that configures a
    /// socket before handing it out leaks no descriptor on its error paths.
    /// - Throws: What `setup` throws (an error from the close is dropped in its favour).
    package func closeOnError<R>(_ setup: () throws -> R) rethrows -> R {
        do {
            return try setup()
        } catch {
            try? close()
            throw error
        }
    }

    /// Marks the socket as watched by the event loop, so ``close()`` ends its streams first.
    func streamRegistered() {
        state.withLock { $0.hasStreams = true }
    }

    /// A descriptor of the open socket for a call, or EBADF naming `operation`.
    @inline(__always)
    func openDescriptor(_ operation: String) throws -> CInt {
        let fd = fileDescriptor
        guard fd >= 0 else { throw SystemCallError(operation, target: label, errno: .badFileDescriptor) }
        return fd
    }

    public var description: String {
        let fd = fileDescriptor
        let state = fd >= 0 ? "fd \(fd)" : "closed"
        return "Socket(\(state), \(family), \(type), protocol \(`protocol`)\(label.map { ", \($0)" } ?? ""))"
    }
}

/// Python's `socket.SocketType`: the type of every socket object.
public typealias SocketType = Socket

extension Result where Failure == Errno {
    /// The value, or a ``SystemCallError`` for `operation` on `target`.
    @inline(__always)
    func get(_ operation: @autoclosure () -> String, target: @autoclosure () -> String? = nil) throws(SystemCallError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let errno): throw SystemCallError(operation(), target: target(), errno: errno)
        }
    }
}
