#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SocketBase

extension SocketBaseTests {

// These tests change process-wide state (the default timeout): one suite, run serially.
@Suite("timeouts and inheritability")
struct SocketModeTests {
    @Test("the default timeout applies to new sockets, pairs and accepted sockets")
    func defaultTimeout() throws {
        #expect(Socket.defaultTimeout == .blocking)
        Socket.defaultTimeout = .after(.seconds(60))
        defer { Socket.defaultTimeout = .blocking }
        let socket = try Socket(family: .unix, type: .datagram)
        #expect(socket.timeout == .after(.seconds(60)))
        #expect(FD.isNonBlocking(socket.fileDescriptor), "timeout mode is poll over a non-blocking descriptor")
        let (a, _) = try Socket.pair()
        #expect(a.timeout == .after(.seconds(60)))
        let explicit = try Socket(family: .unix, type: .datagram, flags: .nonBlocking)
        #expect(explicit.timeout == .nonBlocking)
    }

    @Test("none blocks, zero is non-blocking, positive times out")
    func modes() throws {
        let (a, b) = try Socket.pair(type: .datagram)
        #expect(a.timeout == .blocking && !FD.isNonBlocking(a.fileDescriptor))

        try a.setTimeout(.zero)
        #expect(a.timeout == .nonBlocking && FD.isNonBlocking(a.fileDescriptor))
        let wouldBlock = #expect(throws: SystemCallError.self) { try a.receive(maxBytes: 8) }
        #expect(wouldBlock?.errno == .wouldBlock)

        try a.setTimeout(.milliseconds(80))
        let start = ContinuousClock.now
        let timedOut = #expect(throws: SocketTimeoutError.self) { try a.receive(maxBytes: 8) }
        #expect(ContinuousClock.now - start >= .milliseconds(80))
        #expect(timedOut?.timeout == .milliseconds(80))
        #expect(timedOut?.description.hasPrefix("recv: timed out after") == true)

        try b.send([7])
        #expect(try a.receive(maxBytes: 8) == [7], "data that arrives in time is received in timeout mode")

        try a.setTimeout(nil as Duration?)
        #expect(a.isBlocking && !FD.isNonBlocking(a.fileDescriptor))
        // Refused before any system call: a validation error, not a SystemCallError with a made-up errno.
        let negative = #expect(throws: InvalidArgumentError.self) { try a.setTimeout(.milliseconds(-1)) }
        #expect(negative?.argument == "timeout")
    }

    @Test("a blocking receive waits for data from another thread")
    func blockingReceive() async throws {
        let (a, b) = try Socket.pair(type: .datagram)
        async let received = Task.detached { try a.receive(maxBytes: 8) }.value
        try await Task.sleep(for: .milliseconds(50))
        try b.send([42])
        #expect(try await received == [42])
    }

    @Test("sockets are not inherited by an exec'd child unless made inheritable")
    func inheritance() throws {
        let socket = try Socket(family: .unix, type: .stream)
        let fd = socket.fileDescriptor
        let probe = ["/bin/sh", "-c", "test -e /proc/self/fd/\(fd)"]
        #expect(spawn(probe) == 1, "close-on-exec: the child must not see fd \(fd)")
        try socket.setInheritable(true)
        #expect(try socket.isInheritable)
        #expect(!FD.isCloseOnExec(fd))
        #expect(spawn(probe) == 0, "inheritable: the child sees fd \(fd)")
        try socket.setInheritable(false)
        #expect(spawn(probe) == 1)
    }
}
}
