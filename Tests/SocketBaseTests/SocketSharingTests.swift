#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SocketBase

/// Linux's stand-in for Python's `share()` / `fromshare()`: SCM_RIGHTS over a Unix socket.
extension SocketBaseTests {
@Suite("share()/fromshare(): hand a socket to another process")
struct SocketSharingTests {
    @Test("within one process: the received socket is the same socket, detected and close-on-exec")
    func inProcess() throws {
        let (channelA, channelB) = try Socket.pair()
        let (left, right) = try Socket.pair(type: .datagram)
        try left.share(over: channelA)
        let received = try Socket(sharedOver: channelB)
        #expect(received.fileDescriptor != left.fileDescriptor)
        #expect(received.family == .unix && received.type == .datagram)
        #expect(FD.isCloseOnExec(received.fileDescriptor))
        try received.send([9, 9])
        #expect(try right.receive(maxBytes: 4) == [9, 9])
    }

    @Test("a closed channel gives a clear error, not a socket")
    func closedChannel() throws {
        let (channelA, channelB) = try Socket.pair()
        try channelA.close()
        let error = #expect(throws: SystemCallError.self) { try Socket(sharedOver: channelB) }
        #expect(error?.description.contains("channel closed") == true)
    }

    @Test("to another process: Python receives our socket and uses it", .enabled(if: havePython))
    func toPython() throws {
        let (channel, childEnd) = try Socket.pair()
        let (ours, theirs) = try Socket.pair(type: .datagram)
        let script = """
        import socket, sys
        ch = socket.socket(fileno=3)
        msg, fds, flags, addr = socket.recv_fds(ch, 16, 1)
        s = socket.socket(fileno=fds[0])
        assert s.family == socket.AF_UNIX and s.type == socket.SOCK_DGRAM, (s.family, s.type)
        s.send(b"from python")
        """
        try theirs.share(over: channel)
        #expect(spawn(["python3", "-c", script], passing: childEnd.fileDescriptor) == 0)
        #expect(try ours.receive(maxBytes: 32) == Array("from python".utf8))
    }

    @Test("from another process: Python shares a UDP socket, we detect and use it", .enabled(if: havePython))
    func fromPython() throws {
        let (channel, childEnd) = try Socket.pair()
        let script = """
        import socket
        ch = socket.socket(fileno=3)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        socket.send_fds(ch, [str(u.getsockname()[1]).encode()], [u.fileno()])
        """
        #expect(spawn(["python3", "-c", script], passing: childEnd.fileDescriptor) == 0)
        let received = try Socket(sharedOver: channel)
        #expect(received.family == .inet)
        #expect(received.type == .datagram)
        #expect(received.protocol == .udp)
        #expect(FD.isCloseOnExec(received.fileDescriptor))
        let local = try #require(IPv4SocketAddress(received.localAddress))
        #expect(local.host == "127.0.0.1" && local.port != 0, "the socket Python bound, still bound")
        // It works here: send to ourselves through it.
        let sent = try [UInt8]([1, 2, 3]).withUnsafeBytes { try received.send($0, to: local) }
        #expect(sent == 3)
        var buffer = [UInt8](repeating: 0, count: 8)
        let (n, _) = try buffer.withUnsafeMutableBytes { try received.receiveFrom(into: $0) }
        #expect(Array(buffer[..<n]) == [1, 2, 3])
    }
}
}
