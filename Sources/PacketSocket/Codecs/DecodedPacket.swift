/// A whole frame decoded into its layers: Ethernet (absent for cooked captures), VLAN tags, the network layer,
/// the transport layer, and where the payload is. Headers are small values; variable parts (options, payload)
/// are ranges of the decoded buffer, nothing is copied.
public struct DecodedPacket: Hashable, Sendable {
    /// The network layer.
    public enum Network: Hashable, Sendable {
        case ipv4(IPv4Header)
        case ipv6(IPv6Header)
        case arp(ARPPacket)
        /// An EtherType this decoder does not know (or an 802.3 length); its bytes are the payload.
        case other(EtherType)
    }

    /// The transport layer.
    public enum Transport: Hashable, Sendable {
        case udp(UDPHeader)
        case tcp(TCPHeader)
        case icmpv4(ICMPv4Header)
        case icmpv6(ICMPv6Header)
    }

    /// The Ethernet header; nil when decoding started at the network layer (SOCK_DGRAM, cooked captures).
    public internal(set) var ethernet: EthernetHeader?
    /// VLAN tags, outermost first.
    public internal(set) var vlanTags = VLANTagStack()
    /// The EtherType of the network layer (after any VLAN tags).
    public internal(set) var etherType: EtherType
    /// The network layer; nil when the frame ended (or failed) before it.
    public internal(set) var network: Network?
    /// Offset of the network header.
    public internal(set) var networkOffset: Int
    /// The transport layer; nil for ARP, unknown protocols, non-first fragments, or when it failed to decode.
    public internal(set) var transport: Transport?
    /// Offset of the transport header (meaningful when ``transport`` is set).
    public internal(set) var transportOffset = 0
    /// Offset where the payload begins (after the deepest decoded header).
    public internal(set) var payloadOffset = 0
    /// Payload bytes the headers announce (may exceed what was captured).
    public internal(set) var payloadLength = 0
    /// Bytes the decoded buffer held.
    public internal(set) var capturedLength: Int
    /// The first error met, when a layer could not be decoded; the layers before it are set.
    public internal(set) var error: PacketDecodingError?

    /// The captured payload: `payloadOffset` up to the announced length, clipped to what was captured.
    public var payloadRange: Range<Int> {
        let start = min(payloadOffset, capturedLength)
        return start..<max(start, min(payloadOffset + payloadLength, capturedLength))
    }

    /// Decodes an Ethernet II frame.
    /// - Throws: the first ``PacketDecodingError`` met (use ``init(decodingEthernetFrame:)`` to keep partial results).
    public init(parsingEthernetFrame frame: UnsafeRawBufferPointer) throws(PacketDecodingError) {
        self.init(decodingEthernetFrame: frame)
        if let error { throw error }
    }

    /// Decodes a packet that starts at the network layer (a SOCK_DGRAM or cooked capture) given its EtherType.
    /// - Throws: the first ``PacketDecodingError`` met.
    public init(parsingNetworkPacket packet: UnsafeRawBufferPointer, etherType: EtherType) throws(PacketDecodingError) {
        self.init(decodingNetworkPacket: packet, etherType: etherType)
        if let error { throw error }
    }

    /// Decodes an Ethernet II frame as far as it goes; a failure is kept in ``error``.
    public init(decodingEthernetFrame frame: UnsafeRawBufferPointer) {
        etherType = EtherType(0)
        networkOffset = 0
        capturedLength = frame.count
        do throws(PacketDecodingError) {
            let header = try EthernetHeader(parsing: frame, at: 0)
            ethernet = header
            var type = header.etherType
            var offset = EthernetHeader.length
            while type.isVLANTag {
                guard vlanTags.count < VLANTagStack.capacity else {
                    throw PacketDecodingError(.vlan, at: offset, .invalidField("more than \(VLANTagStack.capacity) stacked VLAN tags"))
                }
                let tag = try VLANTag(parsing: frame, at: offset, tagProtocol: type)
                vlanTags.append(tag)
                type = tag.etherType
                offset += VLANTag.length
            }
            try decodeNetwork(frame, at: offset, etherType: type)
        } catch {
            self.error = error
        }
    }

    /// Decodes a packet that starts at the network layer as far as it goes; a failure is kept in ``error``.
    public init(decodingNetworkPacket packet: UnsafeRawBufferPointer, etherType: EtherType) {
        self.etherType = etherType
        networkOffset = 0
        capturedLength = packet.count
        do {
            try decodeNetwork(packet, at: 0, etherType: etherType)
        } catch {
            self.error = error
        }
    }

    private mutating func decodeNetwork(_ buffer: UnsafeRawBufferPointer, at offset: Int, etherType type: EtherType) throws(PacketDecodingError) {
        etherType = type
        networkOffset = offset
        payloadOffset = offset
        payloadLength = buffer.count - offset
        switch type {
        case .ipv4:
            let ip = try IPv4Header(parsing: buffer, at: offset)
            network = .ipv4(ip)
            payloadOffset = offset + ip.headerLength
            payloadLength = ip.payloadLength
            // Only the first fragment carries the transport header.
            guard ip.fragmentOffset == 0 else { return }
            try decodeTransport(buffer, at: payloadOffset, protocol: ip.protocol, length: ip.payloadLength,
                                pseudoHeader: ip.isFragment ? nil : .ipv4(source: ip.source, destination: ip.destination))
        case .ipv6:
            let ip = try IPv6Header(parsing: buffer, at: offset)
            network = .ipv6(ip)
            payloadOffset = ip.upperLayerOffset
            payloadLength = ip.upperLayerLength
            if let fragment = ip.fragment, fragment.offset != 0 { return }
            try decodeTransport(buffer, at: payloadOffset, protocol: ip.upperLayerProtocol, length: ip.upperLayerLength,
                                pseudoHeader: ip.fragment != nil ? nil : .ipv6(source: ip.source, destination: ip.destination))
        case .arp:
            let arp = try ARPPacket(parsing: buffer, at: offset)
            network = .arp(arp)
            payloadOffset = offset + ARPPacket.length
            payloadLength = 0
        default:
            network = .other(type)
        }
    }

    private mutating func decodeTransport(_ buffer: UnsafeRawBufferPointer, at offset: Int, protocol number: IPProtocolNumber,
                                          length: Int, pseudoHeader: IPPseudoHeader?) throws(PacketDecodingError) {
        transportOffset = offset
        // The header must fit in what the IP header announces (bytes past it are link-layer padding).
        let minimum: Int
        let layer: PacketDecodingError.Layer
        switch number {
        case .udp: (minimum, layer) = (UDPHeader.length, .udp)
        case .tcp: (minimum, layer) = (TCPHeader.minimumLength, .tcp)
        case .icmp: (minimum, layer) = (ICMPv4Header.length, .icmp)
        case .icmpv6: (minimum, layer) = (ICMPv6Header.length, .icmpv6)
        default: return
        }
        guard length >= minimum else {
            throw PacketDecodingError(layer, at: offset, .invalidField(
                "the IP payload of \(length) bytes is shorter than the \(minimum)-byte header"))
        }
        switch number {
        case .udp:
            let udp = try UDPHeader(parsing: buffer, at: offset, pseudoHeader: pseudoHeader)
            transport = .udp(udp)
            payloadOffset = offset + UDPHeader.length
            payloadLength = min(udp.payloadLength, length - UDPHeader.length)
        case .tcp:
            let tcp = try TCPHeader(parsing: buffer, at: offset, segmentLength: length, pseudoHeader: pseudoHeader)
            transport = .tcp(tcp)
            payloadOffset = offset + tcp.headerLength
            payloadLength = length - tcp.headerLength
        case .icmp:
            let icmp = try ICMPv4Header(parsing: buffer, at: offset, messageLength: pseudoHeader == nil ? Int.max / 2 : length)
            transport = .icmpv4(icmp)
            payloadOffset = offset + ICMPv4Header.length
            payloadLength = length - ICMPv4Header.length
        case .icmpv6:
            let icmp = try ICMPv6Header(parsing: buffer, at: offset, messageLength: length, pseudoHeader: pseudoHeader)
            transport = .icmpv6(icmp)
            payloadOffset = offset + ICMPv6Header.length
            payloadLength = length - ICMPv6Header.length
        default:
            return
        }
    }
}
