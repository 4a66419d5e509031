#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SocketBase

/// A TCP listener on a loopback address with an OS-chosen port.
func listener(_ host: String) throws -> (Socket, UInt16) {
    let address = try Socket.resolve(host: host, port: 0).first!
    let socket = try Socket(family: address.family, type: .stream)
    try socket.setOption(.reuseAddress, true)
    try socket.bind(to: address)
    try socket.listen()
    let local = try socket.localAddress
    let port = IPv4SocketAddress(local)?.port ?? IPv6SocketAddress(local)!.port
    return (socket, port)
}


extension SocketBaseTests {
/// Python's `socket.create_connection()`.
@Suite("create_connection(): connect to host and port")
struct CreateConnectionTests {
    @Test("connects over IPv4 and IPv6 loopback", arguments: ["127.0.0.1", "::1"])
    func connects(host: String) throws {
        let (server, port) = try listener(host)
        let client = try Socket.connect(toHost: host, port: port)
        let (accepted, peer) = try server.accept()
        #expect(FD.isCloseOnExec(accepted.fileDescriptor))
        #expect(try AnySocketAddress(client.localAddress) == peer)
        try client.sendAll(Array("hello".utf8))
        #expect(try accepted.receive(maxBytes: 16) == Array("hello".utf8))
        #expect(client.family == (host.contains(":") ? .inet6 : .inet))
    }

    @Test("a name resolving to several addresses is tried in turn")
    func triesEveryAddress() throws {
        // Listen on IPv4 only: "localhost" resolves to ::1 and 127.0.0.1 here; whichever comes first, the
        // IPv4 one must end up connected.
        let (server, port) = try listener("127.0.0.1")
        let client = try Socket.connect(toHost: "localhost", port: port, timeout: .after(.seconds(5)))
        #expect(client.family == .inet)
        #expect(client.timeout == .after(.seconds(5)))
        _ = try server.accept()
    }

    @Test("when every address fails, the error carries each attempt")
    func everyAttemptFails() throws {
        let (server, port) = try listener("127.0.0.1")
        try server.close() // nothing listens on the port any more
        let error = #expect(throws: ConnectionError.self) {
            try Socket.connect(toHost: "127.0.0.1", port: port)
        }
        #expect(error?.attempts.count == 1)
        #expect((error?.attempts.first?.error as? SystemCallError)?.errno == .connectionRefused)
        #expect(error?.description.contains("127.0.0.1:\(port): connect(127.0.0.1:\(port)): Connection refused") == true)
    }

    @Test("a bad name is an address resolution error")
    func badName() {
        #expect(throws: AddressResolutionError.self) {
            try Socket.connect(toHost: "no-such-host.invalid", port: 1)
        }
    }

    @Test("the source address is bound before connecting; port 0 lets the OS choose")
    func sourceAddress() throws {
        let (server, port) = try listener("127.0.0.1")
        let client = try Socket.connect(toHost: "127.0.0.1", port: port, sourceAddress: ("127.0.0.2", 0))
        let local = try #require(IPv4SocketAddress(client.localAddress))
        #expect(local.host == "127.0.0.2")
        #expect(local.port != 0)
        let (_, peer) = try server.accept()
        #expect(IPv4SocketAddress(peer)?.host == "127.0.0.2")
    }

    @Test("the timeout is the connected socket's mode")
    func timeoutMode() throws {
        let (server, port) = try listener("::1")
        let client = try Socket.connect(toHost: "::1", port: port, timeout: .after(.milliseconds(50)))
        let (accepted, _) = try server.accept()
        #expect(client.timeout == .after(.milliseconds(50)))
        #expect(throws: SocketTimeoutError.self) { try client.receive(maxBytes: 1) }
        _ = accepted
    }

    @Test("a connection that cannot complete in time throws a timeout error")
    func connectTimesOut() throws {
        // A listener whose accept queue is full drops further SYNs, so those connects stay pending.
        let address = IPv4SocketAddress.loopback()
        let server = try Socket(family: .inet, type: .stream)
        try server.bind(to: address)
        try server.listen(backlog: 0)
        let port = try #require(IPv4SocketAddress(server.localAddress)).port
        var clients: [Socket] = []
        var timeout: SocketTimeoutError?
        for _ in 0..<8 where timeout == nil {
            do {
                clients.append(try Socket.connect(toHost: "127.0.0.1", port: port, timeout: .after(.milliseconds(200))))
            } catch let error as ConnectionError {
                timeout = error.attempts.first?.error as? SocketTimeoutError
            }
        }
        let error = try #require(timeout, "one of 8 connects to a full backlog must time out")
        #expect(error.operation == "connect")
        #expect(error.description == "connect(127.0.0.1:\(port)): timed out after 0.2 seconds")
    }
}
}
