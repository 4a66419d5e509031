/// Builds whole packets from headers: fills in EtherTypes, IP protocol numbers, lengths and every checksum
/// (IPv4 header; UDP, TCP and ICMPv6 over the pseudo-header; ICMP).
public enum PacketBuilder {
    /// The network layer of a packet to build.
    public enum Network: Sendable {
        /// IPv4 with optional header options (padded to 4 bytes); protocol, lengths and checksum are set.
        case ipv4(IPv4Header, options: [UInt8] = [])
        /// IPv6 without extension headers; next header and payload length are set.
        case ipv6(IPv6Header)
        /// ARP; no transport may follow.
        case arp(ARPPacket)
        /// Any other protocol: the bytes follow the link layer as they are.
        case raw(EtherType, [UInt8])

        var etherType: EtherType {
            switch self {
            case .ipv4: return .ipv4
            case .ipv6: return .ipv6
            case .arp: return .arp
            case let .raw(type, _): return type
            }
        }
    }

    /// The transport layer of a packet to build.
    public enum Transport: Sendable {
        case udp(UDPHeader)
        case tcp(TCPHeader, options: [TCPOption] = [])
        case icmpv4(ICMPv4Header)
        case icmpv6(ICMPv6Header)

        var protocolNumber: IPProtocolNumber {
            switch self {
            case .udp: return .udp
            case .tcp: return .tcp
            case .icmpv4: return .icmp
            case .icmpv6: return .icmpv6
            }
        }
    }

    /// An Ethernet II frame: header, VLAN tags (outermost first; their TPIDs and EtherTypes are chained),
    /// network and transport headers and the payload.
    public static func ethernetFrame(destination: MACAddress, source: MACAddress, vlanTags: [VLANTag] = [],
                                     network: Network, transport: Transport? = nil, payload: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + payload.count)
        let firstType = vlanTags.first?.tagProtocol ?? network.etherType
        EthernetHeader(destination: destination, source: source, etherType: firstType).append(to: &bytes)
        for (index, tag) in vlanTags.enumerated() {
            var tag = tag
            tag.etherType = index + 1 < vlanTags.count ? vlanTags[index + 1].tagProtocol : network.etherType
            tag.append(to: &bytes)
        }
        appendNetworkPacket(to: &bytes, network: network, transport: transport, payload: payload)
        return bytes
    }

    /// A packet starting at the network layer (what a SOCK_DGRAM packet socket sends and receives).
    public static func networkPacket(network: Network, transport: Transport? = nil, payload: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        appendNetworkPacket(to: &bytes, network: network, transport: transport, payload: payload)
        return bytes
    }

    /// The transport segment alone (header and payload) with its checksum under `pseudoHeader`.
    public static func segment(_ transport: Transport, payload: [UInt8], pseudoHeader: IPPseudoHeader) -> [UInt8] {
        var bytes: [UInt8] = []
        switch transport {
        case var .udp(header): header.append(to: &bytes, payload: payload, pseudoHeader: pseudoHeader)
        case .tcp(var header, let options): header.append(to: &bytes, options: options, payload: payload, pseudoHeader: pseudoHeader)
        case var .icmpv4(header): header.append(to: &bytes, body: payload)
        case var .icmpv6(header): header.append(to: &bytes, body: payload, pseudoHeader: pseudoHeader)
        }
        return bytes
    }

    private static func appendNetworkPacket(to bytes: inout [UInt8], network: Network, transport: Transport?, payload: [UInt8]) {
        switch network {
        case .ipv4(var header, let options):
            let pseudo = IPPseudoHeader.ipv4(source: header.source, destination: header.destination)
            let upper = transport.map { segment($0, payload: payload, pseudoHeader: pseudo) } ?? payload
            if let transport { header.protocol = transport.protocolNumber }
            header.append(to: &bytes, options: options, payloadLength: upper.count)
            bytes.append(contentsOf: upper)
        case var .ipv6(header):
            let pseudo = IPPseudoHeader.ipv6(source: header.source, destination: header.destination)
            let upper = transport.map { segment($0, payload: payload, pseudoHeader: pseudo) } ?? payload
            if let transport { header.nextHeader = transport.protocolNumber }
            header.append(to: &bytes, payloadLength: upper.count)
            bytes.append(contentsOf: upper)
        case let .arp(packet):
            precondition(transport == nil, "PacketBuilder: ARP has no transport layer")
            packet.append(to: &bytes)
            bytes.append(contentsOf: payload)
        case let .raw(_, raw):
            bytes.append(contentsOf: raw)
            bytes.append(contentsOf: payload)
        }
    }
}
