#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// AF_PACKET sockets on a veth pair: frames sent from the namespace end are captured on the other.
@Suite("LinkLayerSocket on veth", .needsRoot)
struct LinkLayerSocketTests {
    /// A raw socket bound to the test EtherType on the outside end, with a receive timeout.
    func receiver(_ veth: VethPair, options: LinkLayerSocket.Options = .init()) throws -> LinkLayerSocket {
        var options = options
        if options.etherType == .all && options.filter == nil { options.etherType = TestFrames.etherType }
        let socket = try LinkLayerSocket(interface: veth.outside, options: options)
        try socket.socket.setTimeout(.seconds(3))
        return socket
    }

    /// A raw socket on the inside end, in the namespace.
    func sender(_ veth: VethPair, options: LinkLayerSocket.Options = .init()) throws -> LinkLayerSocket {
        try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside, options: options) }
    }

    func receive(_ socket: LinkLayerSocket, _ body: (CapturedPacket) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 65536)
        try buffer.withUnsafeMutableBytes { raw in try body(try socket.receive(into: raw)) }
    }

    @Test func rawCaptureCarriesFrameAndMetadata() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let capture = try receiver(veth)
        let send = try sender(veth)
        let before = TestFrames.now
        let frames = (0..<5).map { TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32($0), length: 60 + $0 * 100) }
        for frame in frames { try send.send(frame) }
        for frame in frames {
            try receive(capture) { packet in
                #expect(Array(packet.bytes) == frame)
                #expect(packet.originalLength == frame.count)
                #expect(!packet.isTruncated)
                #expect(packet.packetType == .host)
                #expect(packet.hardwareType == .ethernet)
                #expect(packet.sourceAddress.description == veth.insideMAC)
                #expect(packet.etherType == TestFrames.etherType)
                #expect(packet.interfaceName == veth.outside)
                #expect(packet.interfaceIndex == capture.interface?.index)
                #expect(packet.vlan == nil)
                #expect(packet.timestamp.seconds >= before - 1 && packet.timestamp.seconds <= TestFrames.now + 1)
            }
        }
    }

    @Test func cookedCaptureStartsAtThePayload() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var options = LinkLayerSocket.Options()
        options.mode = .cooked
        let capture = try receiver(veth, options: options)
        // Sent cooked too: the kernel builds the Ethernet header for the destination and EtherType.
        var sendOptions = LinkLayerSocket.Options()
        sendOptions.mode = .cooked
        let send = try sender(veth, options: sendOptions)
        let payload: [UInt8] = [9, 8, 7, 6, 5, 4, 3, 2, 1] + Array(repeating: 0x55, count: 50)
        try payload.withUnsafeBytes {
            _ = try send.send($0, to: HardwareAddress(veth.outsideMAC)!, etherType: TestFrames.etherType)
        }
        try receive(capture) { packet in
            #expect(Array(packet.bytes) == payload)
            #expect(packet.etherType == TestFrames.etherType)
            #expect(packet.sourceAddress.description == veth.insideMAC)
            #expect(packet.packetType == .host)
        }
    }

    @Test func outgoingFramesAndIgnoreOutgoing() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        // Outgoing frames reach only sockets bound to every EtherType (ptype_all): select ours with a filter.
        var all = LinkLayerSocket.Options()
        all.filter = .etherType(TestFrames.etherType)
        let seesAll = try receiver(veth, options: all)
        var options = all
        options.ignoreOutgoing = true
        let ignores = try receiver(veth, options: options)
        // Sent from the outside end itself: outgoing for both sockets there.
        let local = try LinkLayerSocket(interface: veth.outside)
        try local.send(TestFrames.frame(from: veth.outsideMAC, to: veth.insideMAC, tag: 7))
        try sender(veth).send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, tag: 8))
        try receive(seesAll) { packet in
            #expect(packet.packetType == .outgoing)
            #expect(packet.packetType.isOutgoing)
            #expect(packet.bytes[14] == 7)
            #expect(packet.sourceAddress.description == veth.outsideMAC)
        }
        try receive(seesAll) { packet in
            #expect(packet.packetType == .host)
            #expect(packet.bytes[14] == 8)
        }
        // The socket ignoring outgoing frames gets the incoming one first.
        try receive(ignores) { packet in
            #expect(packet.packetType == .host)
            #expect(packet.bytes[14] == 8)
        }
    }

    @Test func vlanTagIsReportedBesideTheBytes() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var options = LinkLayerSocket.Options()
        options.filter = .etherType(TestFrames.etherType)
        let capture = try receiver(veth, options: options)
        let frame = TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC)
        try sender(veth).send(TestFrames.tagged(frame, tci: 0x6005))
        try receive(capture) { packet in
            #expect(packet.vlan == VLANTag(controlInformation: 0x6005, tagProtocol: .vlan, etherType: TestFrames.etherType))
            #expect(packet.vlan?.id == 5)
            #expect(Array(packet.bytes) == frame)
            var scratch = [UInt8](repeating: 0, count: 2048)
            let wire = scratch.withUnsafeMutableBytes { Array(packet.reinsertingVLANTag(into: $0)) }
            #expect(wire == TestFrames.tagged(frame, tci: 0x6005))
        }
    }

    @Test func compiledFilterPassesOnlyMatchingFrames() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var options = LinkLayerSocket.Options()
        options.filter = try BPFProgram(compiling: "ether proto 0x88b5 and ether[14] == 2")
        let capture = try receiver(veth, options: options)
        let send = try sender(veth)
        for i in 0..<10 {
            try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, tag: UInt8(1 + i % 2), sequence: UInt32(i)))
        }
        for i in stride(from: 1, to: 10, by: 2) {
            try receive(capture) { packet in
                #expect(packet.bytes[14] == 2)
                #expect(packet.bytes[18] == UInt8(i))
            }
        }
        #expect(try capture.socket.waitForReadable(timeout: .milliseconds(200)) == false)
        let statistics = try capture.statistics()
        #expect(statistics.packets == 5)
        #expect(statistics.drops == 0)
        // Detached, everything of the EtherType... (bound to all here) arrives again.
        try capture.detachFilter()
        try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, tag: 1, sequence: 99))
        try receive(capture) { packet in #expect(packet.bytes[14] == 1) }
        try capture.lockFilter()
        #expect(throws: SystemCallError.self) { try capture.attach(.acceptAll) }
    }

    @Test func withoutFilterEveryFrameOfTheEtherTypeArrives() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let capture = try receiver(veth)
        let send = try sender(veth)
        for i in 0..<10 { try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, tag: UInt8(1 + i % 2))) }
        var tags: [UInt8] = []
        for _ in 0..<10 { try receive(capture) { tags.append($0.bytes[14]) } }
        #expect(tags == (0..<10).map { UInt8(1 + $0 % 2) })
        #expect(try capture.statistics().packets == 10)
    }

    @Test func snapLengthCutsAndKeepsOriginalLength() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var options = LinkLayerSocket.Options()
        options.snapLength = 40
        let capture = try receiver(veth, options: options)
        let frame = TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, length: 500)
        try sender(veth).send(frame)
        try receive(capture) { packet in
            #expect(packet.capturedLength == 40)
            #expect(packet.originalLength == 500)
            #expect(packet.isTruncated)
            #expect(Array(packet.bytes) == Array(frame.prefix(40)))
        }
    }

    @Test func batchReceiveTakesManyPacketsAtOnce() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let capture = try receiver(veth)
        let send = try sender(veth)
        let frames = (0..<100).map { TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32($0)) }
        for frame in frames { try send.send(frame) }
        let batch = PacketBatch(capacity: 32)
        var received: [[UInt8]] = []
        while received.count < frames.count {
            let n = try capture.receive(into: batch)
            #expect(n >= 1 && n <= 32)
            for i in 0..<n {
                #expect(batch[i].packetType == .host)
                #expect(batch[i].interfaceName == veth.outside)
                #expect(batch[i].timestamp.seconds > 0)
                received.append(Array(batch[i].bytes))
            }
        }
        #expect(received == frames)
        #expect(try capture.statistics().packets == 100)
    }

    @Test func promiscuousModeFollowsTheSocket() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let promiscFlag = 0x100 // IFF_PROMISC
        #expect(veth.outsideFlags & promiscFlag == 0)
        var options = LinkLayerSocket.Options()
        options.promiscuous = true
        let capture = try receiver(veth, options: options)
        #expect(veth.outsideFlags & promiscFlag != 0)
        // A frame for another MAC: delivered as PACKET_OTHERHOST.
        try sender(veth).send(TestFrames.frame(from: veth.insideMAC, to: "02:c7:00:00:99:99"))
        try receive(capture) { packet in
            #expect(packet.packetType == .otherHost)
            #expect(Array(packet.bytes[0..<6]) == HardwareAddress("02:c7:00:00:99:99")!.bytes)
        }
        try capture.setPromiscuous(false, on: capture.interface!)
        #expect(veth.outsideFlags & promiscFlag == 0)
        try capture.setPromiscuous(true, on: capture.interface!)
        #expect(veth.outsideFlags & promiscFlag != 0)
        try capture.close()
        // The kernel drops the membership when the socket is released: at close(2), unless a child that another
        // suite is spawning at this moment still holds the descriptor between its fork and exec. Allow for that.
        #expect(eventually { veth.outsideFlags & promiscFlag == 0 }, "IFF_PROMISC still set after close")
    }

    @Test func multicastMembershipJoinsAndLeaves() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let capture = try receiver(veth)
        let group = HardwareAddress("01:00:5e:7f:00:42")!
        func listed() throws -> Bool {
            let result = try Subprocess.run(["ip", "maddr", "show", "dev", veth.outside])
            return result.stdout.contains("link  01:00:5e:7f:00:42")
        }
        #expect(try !listed())
        try capture.setMulticastMembership(true, group: group, on: capture.interface!)
        #expect(try listed())
        try sender(veth).send(TestFrames.frame(from: veth.insideMAC, to: group.description))
        try receive(capture) { packet in #expect(packet.packetType == .multicast) }
        try capture.setMulticastMembership(false, group: group, on: capture.interface!)
        #expect(try !listed())
    }

    @Test func sendWithQdiscBypass() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let capture = try receiver(veth)
        var options = LinkLayerSocket.Options()
        options.qdiscBypass = true
        let send = try sender(veth, options: options)
        #expect(try send.socket.option(PacketOption.qdiscBypass) == 1)
        let frame = TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, tag: 3)
        #expect(try send.send(frame) == frame.count)
        try receive(capture) { packet in #expect(Array(packet.bytes) == frame) }
    }

    @Test func missingInterfaceIsNamed() throws {
        let error = try #require(throws: SystemCallError.self) { try LinkLayerSocket(interface: "ctk-missing0") }
        #expect(error.errno == .noSuchDevice)
        #expect(error.description.contains("ctk-missing0"))
    }
}
