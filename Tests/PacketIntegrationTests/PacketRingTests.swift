#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// The TPACKET_V3 ring on a veth pair: same packets and metadata as the recvmsg path, drops counted, nothing leaked.
@Suite("PacketRing on veth", .needsRoot)
struct PacketRingTests {
    func ring(_ veth: VethPair, options: LinkLayerSocket.Options? = nil,
              configuration: PacketRing.Configuration = .init()) throws -> PacketRing {
        var options = options ?? LinkLayerSocket.Options()
        if options.filter == nil { options.filter = .etherType(TestFrames.etherType) }
        return try PacketRing(interface: veth.outside, options: options, configuration: configuration)
    }

    func sender(_ veth: VethPair) throws -> LinkLayerSocket {
        try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
    }

    /// The socket inodes (`socket:[N]`) of this process's open descriptors.
    ///
    /// Other suites run in parallel and open and close descriptors of their own, so leak checks compare the
    /// sockets this test made (by inode, which is never reused while open), not descriptor counts.
    static func openSocketInodes() -> Set<String> {
        guard let dir = opendir("/proc/self/fd") else { return [] }
        defer { closedir(dir) }
        var inodes: Set<String> = []
        var target = [CChar](repeating: 0, count: 256)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let n = readlink("/proc/self/fd/\(name)", &target, target.count - 1)
            guard n > 0 else { continue }
            let link = String(decoding: target[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("socket:") { inodes.insert(link) }
        }
        return inodes
    }

    /// The inodes of every AF_PACKET socket in this network namespace (`/proc/net/packet`, last column).
    static func packetSocketInodes() -> Set<String> {
        let lines = Subprocess.read("/proc/net/packet").split(separator: "\n").dropFirst()
        return Set(lines.compactMap { $0.split(separator: " ").last.map { "socket:[\($0)]" } })
    }

    /// The inode of `socket`'s descriptor.
    static func inode(of socket: LinkLayerSocket) -> String {
        var target = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/self/fd/\(socket.socket.fileDescriptor)", &target, target.count - 1)
        return String(decoding: target[..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func ringDeliversFramesWithMetadata() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let ring = try ring(veth)
        let send = try sender(veth)
        let before = TestFrames.now
        let frames = (0..<50).map { TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32($0), length: 60 + $0 * 20) }
        for frame in frames { try send.send(frame) }
        var last = KernelTimestamp(seconds: 0, nanoseconds: 0)
        for frame in frames {
            let packet = try #require(try ring.nextPacket(timeout: .seconds(3)))
            #expect(Array(packet.bytes) == frame)
            #expect(packet.originalLength == frame.count)
            #expect(packet.packetType == .host)
            #expect(packet.hardwareType == .ethernet)
            #expect(packet.etherType == TestFrames.etherType)
            #expect(packet.sourceAddress.description == veth.insideMAC)
            #expect(packet.interfaceName == veth.outside)
            #expect(packet.vlan == nil)
            #expect(packet.timestamp.seconds >= before - 1 && packet.timestamp.seconds <= TestFrames.now + 1)
            #expect(packet.timestamp >= last)
            last = packet.timestamp
        }
        #expect(try ring.nextPacket(timeout: .milliseconds(100)) == nil)
        let statistics = try ring.socket.statistics()
        #expect(statistics == PacketStatistics(packets: 50, drops: 0, freezeCount: 0))
    }

    @Test func ringReportsVLANTag() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let ring = try ring(veth)
        let frame = TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC)
        try sender(veth).send(TestFrames.tagged(frame, tci: 0x2123, tpid: 0x8100))
        let packet = try #require(try ring.nextPacket(timeout: .seconds(3)))
        #expect(packet.vlan == VLANTag(controlInformation: 0x2123, tagProtocol: .vlan, etherType: TestFrames.etherType))
        #expect(Array(packet.bytes) == frame)
    }

    @Test func ringWithCompiledFilterAndSnapLength() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var options = LinkLayerSocket.Options()
        options.filter = try BPFProgram(compiling: "ether proto 0x88b5 and ether[14] == 2", snapLength: 30)
        options.snapLength = 30
        let ring = try ring(veth, options: options)
        let send = try sender(veth)
        for i in 0..<20 {
            try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, tag: UInt8(1 + i % 2), length: 200))
        }
        for _ in 0..<10 {
            let packet = try #require(try ring.nextPacket(timeout: .seconds(3)))
            #expect(packet.bytes[14] == 2)
            #expect(packet.capturedLength == 30)
            #expect(packet.originalLength == 200)
        }
        #expect(try ring.nextPacket(timeout: .milliseconds(100)) == nil)
        #expect(try ring.socket.statistics().packets == 10)
    }

    @Test func fullRingCountsDropsAndFreezes() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var configuration = PacketRing.Configuration()
        configuration.blockSize = 4096
        configuration.blockCount = 2
        configuration.retireTimeoutMilliseconds = 5
        let ring = try ring(veth, configuration: configuration)
        let send = try sender(veth)
        let total = 500
        for i in 0..<total { try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i), length: 200)) }
        pause(.milliseconds(50))
        let statistics = try ring.socket.statistics()
        #expect(statistics.packets == UInt64(total))
        #expect(statistics.drops > 0)
        #expect(statistics.freezeCount > 0)
        var read = 0
        while try ring.nextPacket(timeout: .milliseconds(100)) != nil { read += 1 }
        #expect(UInt64(read) == statistics.packets - statistics.drops)
    }

    @Test func ringLeavesNoDescriptorOrMapping() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let before = Self.openSocketInodes()
        var made: Set<String> = []
        for _ in 0..<20 {
            let ring = try ring(veth)
            made.insert(Self.inode(of: ring.socket))
            try ring.close()
        }
        for _ in 0..<20 {
            let ring = try ring(veth)
            made.insert(Self.inode(of: ring.socket))
        }
        #expect(made.count == 40 && made.allSatisfy { $0.hasPrefix("socket:[") }, "40 distinct ring sockets")
        // A geometry the kernel refuses (block size not a multiple of the page size) fails cleanly.
        var bad = PacketRing.Configuration()
        bad.blockSize = 1000
        bad.frameSize = 500
        let error = try #require(throws: SystemCallError.self) { try ring(veth, configuration: bad) }
        #expect(error.errno == .invalidArgument)
        #expect(error.operation.contains("PACKET_RX_RING"))
        // None of the rings' sockets is open or mapped any more.
        let open = Self.openSocketInodes()
        #expect(open.isDisjoint(with: made), "ring sockets still open: \(open.intersection(made))")
        let maps = Subprocess.read("/proc/self/maps")
        #expect(!made.contains { maps.contains($0) }, "a ring mapping is still there")
        // The refused one's socket is closed too: no AF_PACKET socket made since `before` stays open. Sockets
        // of suites running in parallel come and go, so wait up to 10 s for them to close; a leak stays.
        var leaked: Set<String> = []
        for _ in 0..<100 {
            leaked = Self.openSocketInodes().subtracting(before).intersection(Self.packetSocketInodes())
            if leaked.isEmpty { break }
            pause(.milliseconds(100))
        }
        #expect(leaked.isEmpty, "AF_PACKET sockets left open: \(leaked)")
    }
}
