#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SocketBase

extension SocketBaseTests {
@Suite("I/O: bind, datagrams, messages with control data, batches, options, interfaces")
struct SocketIOTests {
    func udpPair() throws -> (Socket, Socket, IPv4SocketAddress) {
        let receiver = try Socket(family: .inet, type: .datagram)
        try receiver.bind(to: IPv4SocketAddress.loopback())
        let address = try #require(IPv4SocketAddress(receiver.localAddress))
        return (try Socket(family: .inet, type: .datagram), receiver, address)
    }

    @Test("sendto / recvfrom carry the sender's address")
    func datagrams() throws {
        let (sender, receiver, address) = try udpPair()
        _ = try [UInt8]([1, 2, 3]).withUnsafeBytes { try sender.send($0, to: address) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let (n, from) = try buffer.withUnsafeMutableBytes { try receiver.receiveFrom(into: $0) }
        #expect(Array(buffer[..<n]) == [1, 2, 3])
        let source = try #require(IPv4SocketAddress(from))
        #expect(source.host == "127.0.0.1")
        #expect(source.port == IPv4SocketAddress(try sender.localAddress)?.port)
    }

    @Test("recvmsg returns control messages: SO_TIMESTAMPNS gives the kernel's receive time")
    func controlMessages() throws {
        let (sender, receiver, address) = try udpPair()
        try receiver.setOption(.timestampNanoseconds, true)
        var before = timespec(); clock_gettime(CLOCK_REALTIME, &before)
        _ = try [UInt8]([5]).withUnsafeBytes { try sender.send($0, to: address) }
        var payload = [UInt8](repeating: 0, count: 8)
        let control = UnsafeMutableRawBufferPointer.allocate(byteCount: 128, alignment: 16)
        defer { control.deallocate() }
        let message = try payload.withUnsafeMutableBytes { try receiver.receiveMessage(into: $0, control: control) }
        #expect(message.count == 1)
        let stamps = message.controlMessages.filter { $0.level == SOL_SOCKET && $0.type == SO_TIMESTAMPNS }
        #expect(stamps.count == 1)
        let stamp = try #require(stamps.first?.load(as: timespec.self))
        #expect(stamp.tv_sec >= before.tv_sec && stamp.tv_sec <= before.tv_sec + 5)
    }

    @Test("recvmmsg fills a reused batch with every queued datagram")
    func batch() throws {
        let (sender, receiver, address) = try udpPair()
        for i in 0..<5 { _ = try [UInt8(i), UInt8(i)].withUnsafeBytes { try sender.send($0, to: address) } }
        let batch = MessageBatch(capacity: 8, messageSize: 64, controlSize: 64)
        #expect(try receiver.receive(into: batch) == 5)
        for i in 0..<5 { #expect(Array(batch[i].bytes) == [UInt8(i), UInt8(i)]) }
        for i in 5..<7 { _ = try [UInt8(i)].withUnsafeBytes { try sender.send($0, to: address) } }
        #expect(try receiver.receive(into: batch) == 2, "the same batch is reused")
        #expect(Array(batch[1].bytes) == [6])
    }

    @Test("typed options round-trip; the kernel doubles SO_RCVBUF")
    func options() throws {
        let socket = try Socket(family: .inet, type: .datagram)
        try socket.setOption(.receiveBufferSize, 65536)
        #expect(try socket.option(.receiveBufferSize) == 131072)
        try socket.setOption(.reuseAddress, true)
        #expect(try socket.option(.reuseAddress) == 1)
        let error = #expect(throws: SystemCallError.self) {
            try socket.setOption(SocketOption<CInt>(level: SOL_SOCKET, name: 9999, label: "SO_BOGUS"), 1)
        }
        #expect(error?.description == "setsockopt(SO_BOGUS): Protocol not available (errno 92)")
    }

    @Test("errors name the call and its target")
    func errorMessages() throws {
        let socket = try Socket(family: .unix, type: .stream)
        let error = #expect(throws: SystemCallError.self) {
            try socket.bind(to: UnixSocketAddress(path: "/nonexistent-dir/sock"))
        }
        #expect(error?.description == "bind(/nonexistent-dir/sock): No such file or directory (errno 2)")
        let tooLong = String(repeating: "x", count: 200)
        let longPath = #expect(throws: InvalidArgumentError.self) { try UnixSocketAddress(path: tooLong) }
        #expect(longPath?.value == tooLong && longPath?.reason.contains("sun_path") == true)
    }

    @Test("abstract Unix addresses bind and read back")
    func abstractAddress() throws {
        let name = "@cantoolkit-test-\(getpid())"
        let socket = try Socket(family: .unix, type: .datagram)
        try socket.bind(to: UnixSocketAddress(path: name))
        #expect(try UnixSocketAddress(socket.localAddress)?.path == name)
    }

    @Test("interface name <-> index")
    func interfaces() throws {
        let lo = try NetworkInterface(named: "lo")
        #expect(lo.index > 0)
        #expect(try NetworkInterface(index: lo.index).name == "lo")
        #expect(try NetworkInterface.all().contains(lo))
        let error = #expect(throws: SystemCallError.self) { try NetworkInterface(named: "vcan9") }
        #expect(error?.description == "if_nametoindex(vcan9): No such device (errno 19)")
    }
}
}
