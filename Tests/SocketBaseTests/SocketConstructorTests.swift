#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SocketBase

extension SocketBaseTests {

/// Python's `socket.socket(family, type, proto)`.
@Suite("socket(): create from family, type and protocol")
struct SocketCreationTests {
    @Test("defaults are IPv4, stream, protocol 0, close-on-exec")
    func defaults() throws {
        let socket = try Socket()
        #expect(socket.family == .inet)
        #expect(socket.type == .stream)
        #expect(socket.protocol == .default)
        #expect(try socket.option(.domain) == AF_INET)
        #expect(try socket.option(.type) == CInt(SOCK_STREAM.rawValue))
        #expect(FD.isCloseOnExec(socket.fileDescriptor))
        #expect(try !socket.isInheritable)
    }

    @Test("families the toolkit needs", arguments: [
        (AddressFamily.inet, SocketKind.datagram, SocketProtocol.default),
        (.inet6, .stream, .default),
        (.unix, .datagram, .default),
        (.unix, .sequencedPacket, .default),
        (.netlink, .raw, .default),
        (.packet, .raw, SocketProtocol(rawValue: CInt(UInt16(0x0003).bigEndian))),
    ])
    func families(family: AddressFamily, type: SocketKind, proto: SocketProtocol) throws {
        if family == .packet && geteuid() != 0 { return } // AF_PACKET needs CAP_NET_RAW
        let socket = try Socket(family: family, type: type, protocol: proto)
        #expect(try socket.option(.domain) == family.rawValue)
        #expect(try socket.option(.type) == type.rawValue)
        #expect(socket.family == family)
    }

    @Test("a family the kernel lacks fails with an error naming it")
    func missingFamily() throws {
        // RDS is not built into this kernel; the error must say which family was refused.
        do {
            let socket = try Socket(family: .rds, type: .sequencedPacket)
            try socket.close() // a kernel with RDS: nothing to check
        } catch let error as SystemCallError {
            #expect(error.operation == "socket")
            #expect(error.description.hasPrefix("socket(rds, seqpacket, 0): "))
            #expect(error.description.hasSuffix("(errno \(error.errno.rawValue))"))
        }
    }

    @Test("flags given with the type are applied but not reported in the type")
    func flagsInType() throws {
        let socket = try Socket(family: .inet, type: .stream.with(.nonBlocking))
        #expect(socket.type == .stream)
        #expect(FD.isNonBlocking(socket.fileDescriptor))
        #expect(FD.isCloseOnExec(socket.fileDescriptor))
        #expect(socket.timeout == .nonBlocking)

        let flagged = try Socket(family: .unix, type: SocketKind(rawValue: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue)))
        #expect(flagged.type == .datagram)
        #expect(FD.isCloseOnExec(flagged.fileDescriptor))
        #expect(!FD.isNonBlocking(flagged.fileDescriptor))

        let viaFlags = try Socket(family: .unix, type: .datagram, flags: [.nonBlocking])
        #expect(viaFlags.type == .datagram && FD.isNonBlocking(viaFlags.fileDescriptor))
    }

    @Test("SocketType is the socket class, as in Python")
    func socketType() throws {
        let socket: SocketType = try Socket(family: .unix, type: .stream)
        #expect(type(of: socket) == Socket.self)
    }
}

/// Python's `socket.socket(fileno=fd)`.
@Suite("socket(fileno:): adopt a descriptor")
struct SocketAdoptionTests {
    @Test("family, type and protocol are detected; the same descriptor is used")
    func detects() throws {
        let raw = Glibc.socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        #expect(raw >= 0)
        let socket = try Socket(fileDescriptor: raw)
        #expect(socket.fileDescriptor == raw)
        #expect(socket.family == .inet)
        #expect(socket.type == .datagram)
        #expect(socket.protocol == .udp)
        try socket.close()
        #expect(!FD.isOpen(raw), "closing the adopted socket closes the descriptor")
    }

    @Test("explicit values override what is reported, not the OS socket")
    func overrides() throws {
        let raw = Glibc.socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        let socket = try Socket(fileDescriptor: raw, family: .inet6, type: .datagram)
        #expect(socket.family == .inet6)
        #expect(socket.type == .datagram)
        #expect(try socket.option(.domain) == AF_UNIX, "the OS socket is unchanged")
    }

    @Test("a descriptor that is not a socket is refused and left open")
    func notASocket() throws {
        var pipeFDs: [CInt] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { Glibc.close(pipeFDs[0]); Glibc.close(pipeFDs[1]) }
        let error = #expect(throws: SystemCallError.self) { try Socket(fileDescriptor: pipeFDs[0]) }
        #expect(error?.errno == .notSocket)
        #expect(error?.description == "socket(fd \(pipeFDs[0])): Socket operation on non-socket (errno 88)")
        #expect(FD.isOpen(pipeFDs[0]))
    }

    @Test("a non-blocking descriptor is adopted in non-blocking mode")
    func nonBlockingMode() throws {
        let raw = Glibc.socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0)
        let socket = try Socket(fileDescriptor: raw)
        #expect(socket.timeout == .nonBlocking)
    }
}

/// Python's `socket.fromfd(fd, family, type)` and `dup()`.
@Suite("fromfd(): duplicate a descriptor")
struct SocketDuplicationTests {
    @Test("a close-on-exec copy with detected family, type and protocol")
    func duplicates() throws {
        let original = Glibc.socket(AF_INET6, CInt(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(original) }
        let copy = try Socket(duplicating: original)
        #expect(copy.fileDescriptor != original)
        #expect(FD.isCloseOnExec(copy.fileDescriptor))
        #expect(copy.family == .inet6 && copy.type == .stream && copy.protocol == .tcp)
        #expect(copy.isBlocking, "assumed blocking")
        try copy.close()
        #expect(FD.isOpen(original), "the original stays the caller's")
    }

    @Test("the copy refers to the same socket")
    func sameSocket() throws {
        let (a, b) = try Socket.pair()
        let copy = try a.duplicate()
        try a.close()
        try copy.sendAll(Array("via copy".utf8))
        #expect(try b.receive(maxBytes: 64) == Array("via copy".utf8))
    }

    @Test("duplicating something that is not a socket fails with ENOTSOCK")
    func notASocket() throws {
        var pipeFDs: [CInt] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { Glibc.close(pipeFDs[0]); Glibc.close(pipeFDs[1]) }
        let error = #expect(throws: SystemCallError.self) { try Socket(duplicating: pipeFDs[0]) }
        #expect(error?.errno == .notSocket)
    }
}

/// Python's `socket.socketpair()`.
@Suite("socketpair(): a connected pair")
struct SocketPairTests {
    @Test("Unix stream by default, both ends full sockets, both close-on-exec")
    func pair() throws {
        let (a, b) = try Socket.pair()
        #expect(a.family == .unix && a.type == .stream && b.family == .unix)
        #expect(FD.isCloseOnExec(a.fileDescriptor) && FD.isCloseOnExec(b.fileDescriptor))
        try a.sendAll(Array("ping".utf8))
        #expect(try b.receive(maxBytes: 16) == Array("ping".utf8))
        try b.sendAll(Array("pong".utf8))
        #expect(try a.receive(maxBytes: 16) == Array("pong".utf8))
        try a.shutdown(.write)
        #expect(try b.receive(maxBytes: 16).isEmpty, "end of stream after shutdown")
        #expect(try UnixSocketAddress(a.localAddress)?.path == "")
    }

    @Test("datagram pairs keep message boundaries")
    func datagramPair() throws {
        let (a, b) = try Socket.pair(type: .datagram)
        try a.send([1, 2, 3])
        try a.send([4])
        #expect(try b.receive(maxBytes: 16) == [1, 2, 3])
        #expect(try b.receive(maxBytes: 16) == [4])
    }
}
}
