import Testing
@testable import PacketSocket

/// Random headers built with PacketBuilder and parsed back: every field survives, every checksum verifies.
@Suite struct RoundTripTests {
    var generator = SeededGenerator(seed: 2026)

    mutating func random<T: FixedWidthInteger>(_: T.Type = T.self) -> T { T(truncatingIfNeeded: generator.next()) }
    mutating func payload() -> [UInt8] { (0..<Int(generator.next() % 300)).map { _ in random() } }
    mutating func mac() -> MACAddress { MACAddress(random(), random(), random(), random(), random(), random()) }
    mutating func ipv6() -> IPv6Address { IPv6Address(high: random(), low: random()) }

    mutating func tcpOptions() -> [TCPOption] {
        var options: [TCPOption] = []
        var size = 0
        while generator.next() % 4 != 0 {
            let option: TCPOption
            switch generator.next() % 7 {
            case 0: option = .maximumSegmentSize(random())
            case 1: option = .windowScale(random() % 15)
            case 2: option = .sackPermitted
            case 3: option = .timestamps(value: random(), echoReply: random())
            case 4: option = .sack(TCPSACKBlocks((0..<Int(1 + generator.next() % 3)).map { _ in TCPSACKBlock(left: random(), right: random()) }))
            case 5: option = .noOperation
            default: option = .unknown(kind: 100 + random() % 100, data: (0..<Int(generator.next() % 6)).map { _ in random() })
            }
            var encoded: [UInt8] = []
            option.append(to: &encoded)
            guard size + encoded.count <= 40 else { break }
            size += encoded.count
            options.append(option)
        }
        return options
    }

    @Test mutating func ipv4AndIPv6Transports() throws {
        for round in 0..<1500 {
            let useIPv6 = round % 2 == 1
            let source4 = IPv4Address(rawValue: random()), destination4 = IPv4Address(rawValue: random())
            let source6 = ipv6(), destination6 = ipv6()
            let body = payload()
            let tags = (0..<Int(generator.next() % 3)).map { index in
                VLANTag(tagProtocol: index == 0 ? .serviceVLAN : .vlan, priority: random() % 8, dropEligible: generator.next() % 2 == 0,
                        id: random() % 4096, etherType: .ipv4)
            }
            var ip4 = IPv4Header(source: source4, destination: destination4, protocol: .udp, timeToLive: random(),
                                 identification: random(), flags: generator.next() % 2 == 0 ? .dontFragment : [], typeOfService: random())
            ip4.typeOfService = random()
            let ip6 = IPv6Header(source: source6, destination: destination6, nextHeader: .udp, hopLimit: random(),
                                 trafficClass: random(), flowLabel: random() & 0xF_FFFF)
            let ipOptions: [UInt8] = useIPv6 || generator.next() % 3 != 0 ? [] : [0x94, 4, 0, 0, 1]
            let transport: PacketBuilder.Transport
            let options = tcpOptions()
            let tcp = TCPHeader(sourcePort: random(), destinationPort: random(), sequenceNumber: random(), acknowledgmentNumber: random(),
                                flags: TCPHeader.Flags(rawValue: random() & 0x1FF), window: random(), urgentPointer: random())
            switch generator.next() % 3 {
            case 0: transport = .udp(UDPHeader(sourcePort: random(), destinationPort: random()))
            case 1: transport = .tcp(tcp, options: options)
            default:
                transport = useIPv6 ? .icmpv6(ICMPv6Header(type: .init(rawValue: random()), code: random(), restOfHeader: random()))
                                    : .icmpv4(ICMPv4Header(type: .init(rawValue: random()), code: random(), restOfHeader: random()))
            }
            let destinationMAC = mac(), sourceMAC = mac()
            let frame = PacketBuilder.ethernetFrame(destination: destinationMAC, source: sourceMAC, vlanTags: tags,
                                                    network: useIPv6 ? .ipv6(ip6) : .ipv4(ip4, options: ipOptions),
                                                    transport: transport, payload: body)
            let packet = try DecodedPacket(parsingEthernetFrame: frame)
            #expect(packet.ethernet?.destination == destinationMAC && packet.ethernet?.source == sourceMAC)
            #expect(packet.vlanTags.map(\.id) == tags.map(\.id) && packet.vlanTags.map(\.priority) == tags.map(\.priority))
            #expect(packet.vlanTags.map(\.dropEligible) == tags.map(\.dropEligible))
            #expect(Array(frame[packet.payloadRange]) == body)
            switch packet.network {
            case let .ipv4(header)?:
                #expect(!useIPv6 && header.source == source4 && header.destination == destination4 && header.checksumIsValid)
                #expect(header.timeToLive == ip4.timeToLive && header.identification == ip4.identification)
                #expect(header.flags == ip4.flags && header.typeOfService == ip4.typeOfService)
                #expect(header.optionsRange.count == (ipOptions.count + 3) / 4 * 4)
            case let .ipv6(header)?:
                #expect(useIPv6 && header.source == source6 && header.destination == destination6)
                #expect(header.hopLimit == ip6.hopLimit && header.trafficClass == ip6.trafficClass && header.flowLabel == ip6.flowLabel)
            default:
                Issue.record("no IP layer")
            }
            switch (transport, packet.transport) {
            case let (.udp(built), .udp(parsed)?):
                #expect(parsed.sourcePort == built.sourcePort && parsed.destinationPort == built.destinationPort)
                #expect(parsed.checksumIsValid == true && Int(parsed.length) == 8 + body.count)
            case let (.tcp(built, _), .tcp(parsed)?):
                #expect(parsed.sequenceNumber == built.sequenceNumber && parsed.acknowledgmentNumber == built.acknowledgmentNumber)
                #expect(parsed.flags == built.flags && parsed.window == built.window && parsed.urgentPointer == built.urgentPointer)
                #expect(parsed.checksumIsValid == true)
                // Options come back as built, then EOL padding up to the 4-byte boundary.
                let parsedOptions = try parsed.options(in: frame)
                #expect(Array(parsedOptions.prefix(options.count)) == options)
                #expect(parsedOptions.dropFirst(options.count).allSatisfy { $0 == .endOfOptionList })
            case let (.icmpv4(built), .icmpv4(parsed)?):
                #expect(parsed.type == built.type && parsed.code == built.code && parsed.restOfHeader == built.restOfHeader)
                #expect(parsed.checksumIsValid == true)
            case let (.icmpv6(built), .icmpv6(parsed)?):
                #expect(parsed.type == built.type && parsed.code == built.code && parsed.restOfHeader == built.restOfHeader)
                #expect(parsed.checksumIsValid == true)
            default:
                Issue.record("transport did not come back: \(transport) → \(String(describing: packet.transport))")
            }
        }
    }

    @Test mutating func arpAndAddressText() throws {
        for _ in 0..<500 {
            let arp = ARPPacket(operation: .init(rawValue: 1 + random() % 4), senderHardwareAddress: mac(),
                                senderProtocolAddress: IPv4Address(rawValue: random()), targetHardwareAddress: mac(),
                                targetProtocolAddress: IPv4Address(rawValue: random()))
            let frame = PacketBuilder.ethernetFrame(destination: .broadcast, source: arp.senderHardwareAddress, network: .arp(arp))
            #expect(try DecodedPacket(parsingEthernetFrame: frame).network == .arp(arp))
            #expect(MACAddress(arp.senderHardwareAddress.description) == arp.senderHardwareAddress)
            #expect(IPv4Address(arp.senderProtocolAddress.description) == arp.senderProtocolAddress)
            let address = ipv6()
            #expect(IPv6Address(address.description) == address)
        }
    }
}
