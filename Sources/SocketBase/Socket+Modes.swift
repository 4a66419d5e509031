#if canImport(Glibc)
import Glibc
#endif

// Timeout mode and inheritability: Python's settimeout/gettimeout/setblocking and set_inheritable.
extension Socket {
    /// How operations on this socket wait (Python's `gettimeout()`).
    public var timeout: SocketTimeout { state.withLock { $0.timeout } }

    /// Sets how operations wait (Python's `settimeout()`): `.blocking`, `.nonBlocking`, or `.after(duration)`.
    ///
    /// The descriptor is `O_NONBLOCK` in the last two modes; a timeout is implemented with `poll(2)`.
    /// - Throws: ``SystemCallError`` if `fcntl` fails or the socket is closed; ``InvalidArgumentError`` for a
    ///   duration ≤ 0 in `.after`.
    public func setTimeout(_ timeout: SocketTimeout) throws {
        if case .after(let d) = timeout, d <= .zero {
            throw InvalidArgumentError("timeout", value: "\(d)", reason: "not positive (use .nonBlocking for zero)")
        }
        let fd = try openDescriptor("settimeout")
        let flags = try Sys.fcntl(fd, F_GETFL).get("fcntl(F_GETFL)", target: label)
        let wanted = timeout.descriptorIsNonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags { _ = try Sys.fcntl(fd, F_SETFL, wanted).get("fcntl(F_SETFL)", target: label) }
        state.withLock { $0.timeout = timeout }
    }

    /// Sets a Python-style timeout: `nil` blocks, zero is non-blocking, a positive duration waits that long.
    public func setTimeout(_ duration: Duration?) throws {
        try setTimeout(SocketTimeout(duration))
    }

    /// Whether operations block (Python's `getblocking()`): true only in `.blocking` mode.
    public var isBlocking: Bool { timeout == .blocking }

    /// Python's `setblocking(flag)`: `.blocking` for true, `.nonBlocking` for false.
    public func setBlocking(_ blocking: Bool) throws {
        try setTimeout(blocking ? SocketTimeout.blocking : .nonBlocking)
    }

    /// Whether a child process started with `exec` inherits the descriptor (`FD_CLOEXEC` clear).
    /// Sockets the toolkit makes are not inheritable.
    public var isInheritable: Bool {
        get throws {
            let fd = try openDescriptor("get_inheritable")
            return try Sys.fcntl(fd, F_GETFD).get("fcntl(F_GETFD)", target: label) & FD_CLOEXEC == 0
        }
    }

    /// Sets whether a child process started with `exec` inherits the descriptor (clears or sets `FD_CLOEXEC`).
    public func setInheritable(_ inheritable: Bool) throws {
        let fd = try openDescriptor("set_inheritable")
        let flags = try Sys.fcntl(fd, F_GETFD).get("fcntl(F_GETFD)", target: label)
        let wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC
        _ = try Sys.fcntl(fd, F_SETFD, wanted).get("fcntl(F_SETFD)", target: label)
    }
}
