#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SocketBase

extension SocketBaseTests {
@Suite("ownership: detach, close, no descriptor leaks")
struct SocketOwnershipTests {
    @Test("detach gives up the descriptor without closing it")
    func detach() throws {
        let socket = try Socket(family: .unix, type: .stream)
        let fd = socket.fileDescriptor
        #expect(socket.detach() == fd)
        #expect(socket.fileDescriptor == -1 && !socket.isOpen)
        #expect(socket.detach() == -1)
        #expect(FD.isOpen(fd))
        try socket.close() // nothing left to close
        #expect(FD.isOpen(fd))
        Glibc.close(fd)
    }

    @Test("closeOnError closes the socket when setup throws, and hands back setup's result otherwise")
    func closeOnError() throws {
        struct SetupFailed: Error {}
        let failing = try Socket(family: .unix, type: .datagram)
        let fd = failing.fileDescriptor
        #expect(throws: SetupFailed.self) { try failing.closeOnError { throw SetupFailed() } }
        #expect(!failing.isOpen && !FD.isOpen(fd))
        let working = try Socket(family: .unix, type: .datagram)
        #expect(working.closeOnError { 42 } == 42)
        #expect(working.isOpen && FD.isOpen(working.fileDescriptor))
        try working.close()
    }

    @Test("close is idempotent and later calls fail with EBADF")
    func closeTwice() throws {
        let socket = try Socket(family: .unix, type: .datagram)
        let fd = socket.fileDescriptor
        try socket.close()
        try socket.close()
        #expect(!FD.isOpen(fd))
        let error = #expect(throws: SystemCallError.self) { try socket.send([1]) }
        #expect(error?.errno == .badFileDescriptor)
    }

    @Test("a socket dropped without close closes its descriptor")
    func deinitCloses() throws {
        var fd: CInt = -1
        do {
            let socket = try Socket(family: .unix, type: .datagram)
            fd = socket.fileDescriptor
        }
        #expect(!FD.isOpen(fd))
    }

    @Test("10,000 rounds through every constructor, failing ones included, leak nothing")
    func noLeaks() throws {
        var pipeFDs: [CInt] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { Glibc.close(pipeFDs[0]); Glibc.close(pipeFDs[1]) }
        let (server, port) = try listener("127.0.0.1")
        let (closedServer, closedPort) = try listener("127.0.0.1")
        try closedServer.close()
        let before = FD.openCount()
        for round in 0..<10_000 {
            let created = try Socket(family: .inet, type: .datagram)
            let (a, b) = try Socket.pair()
            let copy = try Socket(duplicating: a.fileDescriptor)
            let adopted = try Socket(fileDescriptor: dup(b.fileDescriptor))
            try created.share(over: a)
            let shared = try Socket(sharedOver: b)
            _ = (copy, adopted, shared)
            // Failing paths.
            _ = try? Socket(family: .rds, type: .sequencedPacket)
            _ = try? Socket(duplicating: pipeFDs[0])
            _ = try? Socket(fileDescriptor: pipeFDs[0])
            _ = try? Socket(family: .unix, type: SocketKind(rawValue: 99))
            if round % 10 == 0 {
                _ = try? Socket.connect(toHost: "127.0.0.1", port: closedPort)
                let client = try Socket.connect(toHost: "127.0.0.1", port: port)
                let (accepted, _) = try server.accept()
                try accepted.close()
                try client.close()
            }
        }
        let after = FD.openCount()
        // Other test suites run in parallel and may hold a few descriptors; a leak here would be thousands.
        #expect(after - before < 50, "open descriptors went from \(before) to \(after)")
        #expect(!FD.isOpen(-1))
    }
}
}
