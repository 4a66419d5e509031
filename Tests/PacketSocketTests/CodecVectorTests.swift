import Testing
@testable import PacketSocket

/// The codecs against frames built independently (Python, see ``ReferenceFrames``): decoded fields, checksum
/// verdicts, and PacketBuilder reproducing the same bytes.
@Suite struct CodecVectorTests {
    let a = MACAddress("aa:bb:cc:dd:ee:ff")!, b = MACAddress("11:22:33:44:55:66")!
    let ip1 = IPv4Address("10.0.0.1")!, ip2 = IPv4Address("10.0.0.2")!

    @Test func udpOverIPv4() throws {
        let frame = bytes(hex: ReferenceFrames.udp4)
        let packet = try frame.withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        #expect(packet.ethernet == EthernetHeader(destination: b, source: a, etherType: .ipv4))
        guard case let .ipv4(ip)? = packet.network, case let .udp(udp)? = packet.transport else {
            Issue.record("not IPv4/UDP: \(packet)"); return
        }
        #expect(ip.source == ip1 && ip.destination == ip2)
        #expect(ip.timeToLive == 64 && ip.identification == 1 && ip.flags == .dontFragment && ip.totalLength == 32)
        #expect(ip.checksumIsValid && ip.checksum == 0x26CA)
        #expect(udp.sourcePort == 5000 && udp.destinationPort == 6000 && udp.length == 12)
        #expect(udp.checksumIsValid == true)
        #expect(Array(frame[packet.payloadRange]) == Array("abcd".utf8))
        // The builder reproduces the same bytes, checksums included.
        var header = IPv4Header(source: ip1, destination: ip2, protocol: .udp, identification: 1)
        header.typeOfService = 0
        let built = PacketBuilder.ethernetFrame(destination: b, source: a, network: .ipv4(header),
                                                transport: .udp(UDPHeader(sourcePort: 5000, destinationPort: 6000)),
                                                payload: Array("abcd".utf8))
        #expect(built == frame)
    }

    @Test func badUDPChecksumIsReportedNotRejected() throws {
        let packet = try bytes(hex: ReferenceFrames.badUDPChecksum).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        guard case let .udp(udp)? = packet.transport else { Issue.record("no UDP"); return }
        #expect(udp.checksumIsValid == false)
        #expect(udp.destinationPort == 6000)
    }

    @Test func icmpEcho() throws {
        for (hex, request) in [(ReferenceFrames.icmpEchoRequest, true), (ReferenceFrames.icmpEchoReply, false)] {
            let frame = bytes(hex: hex)
            let packet = try frame.withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
            guard case let .icmpv4(icmp)? = packet.transport else { Issue.record("no ICMP"); return }
            #expect(icmp.type == (request ? .echoRequest : .echoReply))
            #expect(icmp.identifier == 1 && icmp.sequenceNumber == 1 && icmp.checksumIsValid == true)
            #expect(packet.payloadRange.count == 56)
            let ipHeader = IPv4Header(source: request ? ip1 : ip2, destination: request ? ip2 : ip1, protocol: .icmp, identification: 1)
            let built = PacketBuilder.ethernetFrame(destination: request ? b : a, source: request ? a : b, network: .ipv4(ipHeader),
                                                    transport: .icmpv4(.echo(request: request, identifier: 1, sequenceNumber: 1)),
                                                    payload: [UInt8](repeating: 0, count: 56))
            #expect(built == frame)
        }
    }

    @Test func tcpSynOptions() throws {
        let frame = bytes(hex: ReferenceFrames.tcpSyn)
        let (packet, options) = try frame.withBuffer { raw in
            let packet = try DecodedPacket(parsingEthernetFrame: raw)
            guard case let .tcp(tcp)? = packet.transport else { throw TestFailure("no TCP") }
            return (packet, try tcp.options(in: raw))
        }
        guard case let .tcp(tcp)? = packet.transport else { return }
        #expect(tcp.flags == .syn && tcp.sequenceNumber == 1000 && tcp.window == 64240 && tcp.headerLength == 40)
        #expect(tcp.checksumIsValid == true)
        #expect(options == [.maximumSegmentSize(1460), .sackPermitted, .timestamps(value: 12345, echoReply: 0), .noOperation, .windowScale(7)])
        let built = PacketBuilder.ethernetFrame(
            destination: b, source: a, network: .ipv4(IPv4Header(source: ip1, destination: ip2, protocol: .tcp, identification: 1)),
            transport: .tcp(TCPHeader(sourcePort: 40000, destinationPort: 5001, sequenceNumber: 1000, flags: .syn, window: 64240),
                            options: options))
        #expect(built == frame)
    }

    @Test func tcpDataAndFlags() throws {
        let frame = bytes(hex: ReferenceFrames.tcpData)
        let packet = try frame.withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        guard case let .tcp(tcp)? = packet.transport else { Issue.record("no TCP"); return }
        #expect(tcp.flags == [.psh, .ack] && tcp.acknowledgmentNumber == 2001 && tcp.checksumIsValid == true)
        #expect(Array(frame[packet.payloadRange]) == Array("hello".utf8))
    }

    @Test func arp() throws {
        let request = try bytes(hex: ReferenceFrames.arpRequest).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        #expect(request.network == .arp(ARPPacket(operation: .request, senderHardwareAddress: a, senderProtocolAddress: ip1,
                                                  targetHardwareAddress: .zero, targetProtocolAddress: ip2)))
        #expect(request.ethernet?.destination == .broadcast)
        let reply = ARPPacket(operation: .reply, senderHardwareAddress: b, senderProtocolAddress: ip2,
                              targetHardwareAddress: a, targetProtocolAddress: ip1)
        #expect(PacketBuilder.ethernetFrame(destination: a, source: b, network: .arp(reply)) == bytes(hex: ReferenceFrames.arpReply))
    }

    @Test func ipv6UDPAndICMPv6() throws {
        let s = IPv6Address("fe80::1")!, d = IPv6Address("fe80::2")!
        let frame = bytes(hex: ReferenceFrames.udp6)
        let packet = try frame.withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        guard case let .ipv6(ip)? = packet.network, case let .udp(udp)? = packet.transport else { Issue.record("not IPv6/UDP"); return }
        #expect(ip.source == s && ip.destination == d && ip.hopLimit == 64 && ip.payloadLength == 12)
        #expect(udp.checksumIsValid == true)
        let built = PacketBuilder.ethernetFrame(destination: b, source: a, network: .ipv6(IPv6Header(source: s, destination: d, nextHeader: .udp)),
                                                transport: .udp(UDPHeader(sourcePort: 5000, destinationPort: 6000)), payload: Array("abcd".utf8))
        #expect(built == frame)

        let echo = bytes(hex: ReferenceFrames.icmp6EchoRequest)
        let echoPacket = try echo.withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        guard case let .icmpv6(icmp)? = echoPacket.transport else { Issue.record("no ICMPv6"); return }
        #expect(icmp.type == .echoRequest && icmp.identifier == 7 && icmp.sequenceNumber == 3 && icmp.checksumIsValid == true)
        let s2 = IPv6Address("2001:db8::1")!, d2 = IPv6Address("2001:db8::2")!
        let builtEcho = PacketBuilder.ethernetFrame(destination: b, source: a, network: .ipv6(IPv6Header(source: s2, destination: d2, nextHeader: .icmpv6)),
                                                    transport: .icmpv6(.echo(request: true, identifier: 7, sequenceNumber: 3)),
                                                    payload: [UInt8](repeating: 0, count: 56))
        #expect(builtEcho == echo)

        let solicitation = bytes(hex: ReferenceFrames.neighborSolicitation)
        try solicitation.withBuffer { raw in
            let packet = try DecodedPacket(parsingEthernetFrame: raw)
            guard case let .icmpv6(icmp)? = packet.transport else { throw TestFailure("no ICMPv6") }
            #expect(icmp.type == .neighborSolicitation && icmp.checksumIsValid == true)
            #expect(icmp.targetAddress(in: raw, at: packet.transportOffset) == d)
        }
    }

    @Test func stackedVLANTags() throws {
        let packet = try bytes(hex: ReferenceFrames.qinqUDP).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        #expect(Array(packet.vlanTags) == [VLANTag(tagProtocol: .serviceVLAN, priority: 0, id: 100, etherType: .vlan),
                                           VLANTag(tagProtocol: .vlan, priority: 0, id: 5, etherType: .ipv4)])
        #expect(packet.networkOffset == 22)
        if case .udp? = packet.transport {} else { Issue.record("no UDP after two tags") }
        let single = try bytes(hex: ReferenceFrames.vlanUDP).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        #expect(single.vlanTags.first?.priority == 3 && single.vlanTags.first?.id == 5)
        let built = PacketBuilder.ethernetFrame(
            destination: b, source: a,
            vlanTags: [VLANTag(tagProtocol: .serviceVLAN, id: 100, etherType: .vlan), VLANTag(id: 5, etherType: .ipv4)],
            network: .ipv4(IPv4Header(source: ip1, destination: ip2, protocol: .udp, identification: 1)),
            transport: .udp(UDPHeader(sourcePort: 5000, destinationPort: 6000)), payload: Array("abcd".utf8))
        #expect(built == bytes(hex: ReferenceFrames.qinqUDP))
    }

    @Test func fragments() throws {
        let first = try bytes(hex: ReferenceFrames.firstFragment).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        guard case let .ipv4(ip)? = first.network else { Issue.record("no IPv4"); return }
        #expect(ip.flags == .moreFragments && ip.fragmentOffset == 0 && ip.isFragment && ip.identification == 77)
        guard case let .udp(udp)? = first.transport else { Issue.record("first fragment has no UDP"); return }
        #expect(udp.checksumIsValid == nil) // not verifiable from one fragment
        let second = try bytes(hex: ReferenceFrames.secondFragment).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
        guard case let .ipv4(ip2)? = second.network else { Issue.record("no IPv4"); return }
        #expect(ip2.fragmentOffset == 4 && second.transport == nil && second.payloadRange.count == 16)
    }

    @Test func everyReferenceFrameVerifies() throws {
        for (name, hex) in ReferenceFrames.all {
            let packet = try bytes(hex: hex).withBuffer { try DecodedPacket(parsingEthernetFrame: $0) }
            if case let .ipv4(ip)? = packet.network { #expect(ip.checksumIsValid, "\(name)") }
            let valid: Bool?
            switch packet.transport {
            case let .udp(h)?: valid = h.checksumIsValid
            case let .tcp(h)?: valid = h.checksumIsValid
            case let .icmpv4(h)?: valid = h.checksumIsValid
            case let .icmpv6(h)?: valid = h.checksumIsValid
            case nil: valid = nil
            }
            if name == "badUDPChecksum" { #expect(valid == false) }
            else if name.hasSuffix("Fragment") { #expect(valid == nil, "\(name)") }
            else if packet.transport != nil { #expect(valid == true, "\(name)") }
        }
    }

    @Test func arrayConveniencesMatchBufferDecoding() throws {
        let frame = bytes(hex: ReferenceFrames.tcpSynAck)
        let fromArray = try DecodedPacket(parsingEthernetFrame: frame)
        #expect(fromArray == frame.withBuffer { DecodedPacket(decodingEthernetFrame: $0) })
        guard case let .tcp(tcp)? = fromArray.transport else { Issue.record("no TCP"); return }
        #expect(try tcp.options(in: frame).count == 5)
        let network = try DecodedPacket(parsingNetworkPacket: Array(frame[14...]), etherType: .ipv4)
        guard case let .tcp(cooked)? = network.transport else { Issue.record("no TCP in the network packet"); return }
        #expect(network.ethernet == nil && network.transportOffset == 20)
        #expect(cooked.sequenceNumber == tcp.sequenceNumber && cooked.checksumIsValid == true)
        #expect(cooked.optionsRange == (tcp.optionsRange.lowerBound - 14)..<(tcp.optionsRange.upperBound - 14))
        #expect(throws: PacketDecodingError.self) { try DecodedPacket(parsingEthernetFrame: Array(frame[0..<30])) }
    }
}
