#if canImport(Glibc)
import Glibc
#endif

// The other constructors of Python's socket module: fromfd, socketpair, dup.
extension Socket {
    /// Duplicates a socket descriptor and wraps the copy (Python's `socket.fromfd`).
    ///
    /// The copy is made with `fcntl(F_DUPFD_CLOEXEC)`, so it is close-on-exec; `fd` stays the caller's. Family,
    /// type and protocol are detected unless given. Python assumes the result blocks; here the mode is read from
    /// the descriptor, which is the same thing for the blocking descriptors `fromfd` is meant for.
    /// - Throws: ``SystemCallError``; the copy is closed again if it cannot be wrapped.
    public convenience init(
        duplicating fd: CInt, family: AddressFamily? = nil, type: SocketKind? = nil, protocol: SocketProtocol? = nil
    ) throws {
        let copy = try Sys.fcntl(fd, F_DUPFD_CLOEXEC, 0).get("dup", target: "fd \(fd)")
        do {
            try self.init(fileDescriptor: copy, family: family, type: type, protocol: `protocol`)
        } catch {
            _ = Sys.close(copy)
            throw error
        }
    }

    /// A close-on-exec duplicate of this socket (Python's `dup()`).
    public func duplicate() throws -> Socket {
        let fd = try openDescriptor("dup")
        let socket = try Socket(duplicating: fd, family: family, type: type, protocol: `protocol`)
        socket.label = label
        return socket
    }

    /// A pair of connected sockets (Python's `socket.socketpair`): `socketpair(2)`, both close-on-exec, both
    /// in ``defaultTimeout``'s mode, both full sockets.
    /// - Parameters:
    ///   - family: Unix domain by default.
    ///   - type: Stream by default; flags in the raw value are applied as in ``init(family:type:protocol:flags:)``.
    ///   - protocol: 0 by default.
    public static func pair(
        family: AddressFamily = .unix, type: SocketKind = .stream, protocol: SocketProtocol = .default
    ) throws -> (Socket, Socket) {
        let timeout: SocketTimeout = type.flags.contains(.nonBlocking) ? .nonBlocking : defaultTimeout
        var rawType = type.withoutFlags.rawValue | SocketFlags.closeOnExec.rawValue
        if timeout.descriptorIsNonBlocking { rawType |= SocketFlags.nonBlocking.rawValue }
        let (a, b) = try Sys.socketpair(family.rawValue, rawType, `protocol`.rawValue)
            .get("socketpair", target: "\(family), \(type.withoutFlags), \(`protocol`)")
        return (Socket(owning: a, family: family, type: type, protocol: `protocol`, timeout: timeout),
                Socket(owning: b, family: family, type: type, protocol: `protocol`, timeout: timeout))
    }
}
