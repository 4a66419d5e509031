/// An ICMPv6 header (RFC 4443; `struct icmp6hdr`).
public typealias ICMPv6Header = ICMPHeader<ICMPv6>

/// ICMPv6 (`IPPROTO_ICMPV6`): the checksum covers the IPv6 pseudo-header too.
public enum ICMPv6: ICMPVersion {
    public static var protocolNumber: IPProtocolNumber { .icmpv6 }
    public static var layer: PacketDecodingError.Layer { .icmpv6 }
    public static var echoTypes: (request: UInt8, reply: UInt8) { (128, 129) }
}

/// The ICMPv6 message types. The corresponding C constants are `ICMPV6_*` / `ND_*` in `<netinet/icmp6.h>`.
extension ICMPMessageType where Version == ICMPv6 {
    /// `ICMP6_DST_UNREACH`.
    public static var destinationUnreachable: Self { Self(rawValue: 1) }
    /// `ICMP6_PACKET_TOO_BIG`.
    public static var packetTooBig: Self { Self(rawValue: 2) }
    /// `ICMP6_TIME_EXCEEDED`.
    public static var timeExceeded: Self { Self(rawValue: 3) }
    /// `ICMP6_PARAM_PROB`.
    public static var parameterProblem: Self { Self(rawValue: 4) }
    /// `ICMP6_ECHO_REQUEST`.
    public static var echoRequest: Self { Self(rawValue: 128) }
    /// `ICMP6_ECHO_REPLY`.
    public static var echoReply: Self { Self(rawValue: 129) }
    /// `ND_ROUTER_SOLICIT`.
    public static var routerSolicitation: Self { Self(rawValue: 133) }
    /// `ND_ROUTER_ADVERT`.
    public static var routerAdvertisement: Self { Self(rawValue: 134) }
    /// `ND_NEIGHBOR_SOLICIT`.
    public static var neighborSolicitation: Self { Self(rawValue: 135) }
    /// `ND_NEIGHBOR_ADVERT`.
    public static var neighborAdvertisement: Self { Self(rawValue: 136) }
    /// `ND_REDIRECT`.
    public static var redirect: Self { Self(rawValue: 137) }
}

extension ICMPHeader where Version == ICMPv6 {
    /// The target address of a neighbour solicitation or advertisement (the 16 bytes after the header) in a
    /// buffer parsed at `offset`, nil for other types or when not captured.
    public func targetAddress(in buffer: UnsafeRawBufferPointer, at offset: Int) -> IPv6Address? {
        guard type == .neighborSolicitation || type == .neighborAdvertisement || type == .redirect,
              offset + Self.length + 16 <= buffer.count else { return nil }
        return IPv6Address(buffer, at: offset + Self.length)
    }

    /// Decodes the header at `offset`; with `pseudoHeader`, verifies the checksum over `messageLength` bytes
    /// (the upper-layer length) when the buffer holds them.
    /// - Throws: ``PacketDecodingError`` when fewer than 8 bytes remain.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, messageLength: Int? = nil,
                pseudoHeader: IPPseudoHeader? = nil) throws(PacketDecodingError) {
        try self.init(parsing: buffer, at: offset, messageLength: messageLength) { message in
            pseudoHeader.map { $0.checksum(protocol: .icmpv6, segment: message) == 0 }
        }
    }

    /// Appends header and body with the checksum computed over the pseudo-header (in `self` too).
    public mutating func append(to buffer: inout [UInt8], body: [UInt8], pseudoHeader: IPPseudoHeader) {
        append(to: &buffer, body: body, pseudoHeader: Optional(pseudoHeader))
    }
}
