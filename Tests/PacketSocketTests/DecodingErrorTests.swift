import Testing
@testable import PacketSocket

/// Malformed input gives a typed error naming the layer, the offset and what was wrong.
@Suite struct DecodingErrorTests {
    func error(_ frame: [UInt8]) -> PacketDecodingError? {
        frame.withBuffer { raw in
            do throws(PacketDecodingError) {
                _ = try DecodedPacket(parsingEthernetFrame: raw)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func ipv4HeaderLengthBelowMinimum() {
        var frame = bytes(hex: ReferenceFrames.udp4)
        frame[14] = 0x44
        #expect(error(frame)?.description == "IPv4 at offset 14: header length 4 words is below the minimum 5")
    }

    @Test func ipv4VersionAndTotalLength() {
        var frame = bytes(hex: ReferenceFrames.udp4)
        frame[14] = 0x55
        #expect(error(frame)?.description == "IPv4 at offset 14: version 5 is not 4")
        frame = bytes(hex: ReferenceFrames.udp4)
        frame[16] = 0; frame[17] = 10
        #expect(error(frame)?.description == "IPv4 at offset 16: total length 10 is below the header length 20")
    }

    @Test func truncatedLayersNameTheirOffset() {
        let udp = bytes(hex: ReferenceFrames.udp4)
        #expect(error(Array(udp[0..<10]))?.description == "Ethernet at offset 0: truncated: needs 14 bytes, only 10 remain")
        #expect(error(Array(udp[0..<20]))?.description == "IPv4 at offset 14: truncated: needs 20 bytes, only 6 remain")
        #expect(error(Array(udp[0..<38]))?.description == "UDP at offset 34: truncated: needs 8 bytes, only 4 remain")
        let tcp = bytes(hex: ReferenceFrames.tcpSyn)
        #expect(error(Array(tcp[0..<60]))?.description == "TCP at offset 34: truncated: needs 40 bytes, only 26 remain")
        let vlan = bytes(hex: ReferenceFrames.vlanUDP)
        #expect(error(Array(vlan[0..<16]))?.description == "VLAN tag at offset 14: truncated: needs 4 bytes, only 2 remain")
    }

    @Test func udpAndTCPFieldErrors() {
        var udp = bytes(hex: ReferenceFrames.udp4)
        udp[38] = 0; udp[39] = 7
        #expect(error(udp)?.description == "UDP at offset 38: length 7 is below the header size 8")
        var tcp = bytes(hex: ReferenceFrames.tcpRst)
        tcp[46] = 0x40
        #expect(error(tcp)?.description == "TCP at offset 46: data offset 4 words is below the minimum 5")
    }

    /// A transport header read from Ethernet padding, past the IP total length, is an error.
    @Test func transportHeaderBeyondTheIPPayload() {
        var frame = bytes(hex: ReferenceFrames.udp4)
        frame[17] = 24 // total length 24: 4 bytes of IP payload, the rest is padding
        #expect(error(frame)?.description == "UDP at offset 34: the IP payload of 4 bytes is shorter than the 8-byte header")
        var icmp = bytes(hex: ReferenceFrames.icmpEchoRequest)
        icmp[16] = 0; icmp[17] = 22
        #expect(error(icmp)?.description == "ICMP at offset 34: the IP payload of 2 bytes is shorter than the 8-byte header")
    }

    @Test func badTCPOptionLength() throws {
        var frame = bytes(hex: ReferenceFrames.tcpSyn)
        frame[55] = 3 // MSS length 3
        try frame.withBuffer { raw in
            let packet = try DecodedPacket(parsingEthernetFrame: raw)
            guard case let .tcp(tcp)? = packet.transport else { throw TestFailure("no TCP") }
            #expect(throws: PacketDecodingError(.tcpOption, at: 54, .invalidField("MSS option length 3 is wrong"))) {
                try tcp.options(in: raw)
            }
        }
    }

    @Test func ipv6ExtensionHeaders() throws {
        // Hop-by-hop (8 bytes), destination options (16 bytes), fragment (first), then UDP.
        let s = IPv6Address("fe80::1")!, d = IPv6Address("fe80::2")!
        let udp = PacketBuilder.segment(.udp(UDPHeader(sourcePort: 1, destinationPort: 2)), payload: [1, 2, 3],
                                        pseudoHeader: .ipv6(source: s, destination: d))
        var extensions: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0]           // HBH → DSTOPT, PadN
        extensions += [44, 1, 1, 12] + [UInt8](repeating: 0, count: 12) // DSTOPT → FRAG, PadN
        IPv6FragmentHeader(offset: 0, moreFragments: true, identification: 0xABCD).append(to: &extensions, nextHeader: .udp)
        var ip = IPv6Header(source: s, destination: d, nextHeader: .hopByHopOptions)
        var packet: [UInt8] = []
        ip.append(to: &packet, payloadLength: extensions.count + udp.count)
        packet += extensions + udp
        try packet.withBuffer { raw in
            let decoded = try DecodedPacket(parsingNetworkPacket: raw, etherType: .ipv6)
            guard case let .ipv6(header)? = decoded.network else { throw TestFailure("no IPv6") }
            #expect(header.upperLayerProtocol == .udp && header.extensionHeaderCount == 3)
            #expect(header.upperLayerOffset == 40 + 32)
            #expect(header.fragment == IPv6FragmentHeader(offset: 0, moreFragments: true, identification: 0xABCD))
            #expect(header.extensionHeaders(in: raw).map(\.kind) == [.hopByHopOptions, .destinationOptions, .fragment])
            guard case let .udp(u)? = decoded.transport else { throw TestFailure("no UDP") }
            #expect(u.destinationPort == 2)
        }
        // An extension header that runs past the payload length.
        var cut = packet
        cut[5] = 20
        #expect(throws: PacketDecodingError.self) { try cut.withBuffer { try DecodedPacket(parsingNetworkPacket: $0, etherType: .ipv6) } }
        let message = cut.withBuffer { DecodedPacket(decodingNetworkPacket: $0, etherType: .ipv6) }.error?.description
        #expect(message == "IPv6 extension header at offset 48: DSTOPT (60) header of 16 bytes runs past the payload length 20")
    }

    @Test func partialDecodingKeepsEarlierLayers() {
        let frame = Array(bytes(hex: ReferenceFrames.udp4)[0..<38])
        let packet = frame.withBuffer { DecodedPacket(decodingEthernetFrame: $0) }
        #expect(packet.ethernet != nil)
        if case .ipv4? = packet.network {} else { Issue.record("IPv4 layer lost") }
        #expect(packet.transport == nil && packet.error?.layer == .udp)
    }
}
