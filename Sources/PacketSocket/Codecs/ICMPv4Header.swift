/// An ICMP header (RFC 792; `struct icmphdr`).
public typealias ICMPv4Header = ICMPHeader<ICMPv4>

/// ICMP for IPv4 (`IPPROTO_ICMP`): the checksum covers the message alone.
public enum ICMPv4: ICMPVersion {
    public static var protocolNumber: IPProtocolNumber { .icmp }
    public static var layer: PacketDecodingError.Layer { .icmp }
    public static var echoTypes: (request: UInt8, reply: UInt8) { (8, 0) }
}

/// The ICMP message types. The corresponding C constants are `ICMP_*` in `<linux/icmp.h>`.
extension ICMPMessageType where Version == ICMPv4 {
    /// `ICMP_ECHOREPLY`.
    public static var echoReply: Self { Self(rawValue: 0) }
    /// `ICMP_DEST_UNREACH`.
    public static var destinationUnreachable: Self { Self(rawValue: 3) }
    /// `ICMP_SOURCE_QUENCH`.
    public static var sourceQuench: Self { Self(rawValue: 4) }
    /// `ICMP_REDIRECT`.
    public static var redirect: Self { Self(rawValue: 5) }
    /// `ICMP_ECHO`.
    public static var echoRequest: Self { Self(rawValue: 8) }
    /// `ICMP_TIME_EXCEEDED`.
    public static var timeExceeded: Self { Self(rawValue: 11) }
    /// `ICMP_PARAMETERPROB`.
    public static var parameterProblem: Self { Self(rawValue: 12) }
    /// `ICMP_TIMESTAMP`.
    public static var timestampRequest: Self { Self(rawValue: 13) }
    /// `ICMP_TIMESTAMPREPLY`.
    public static var timestampReply: Self { Self(rawValue: 14) }
}

extension ICMPHeader where Version == ICMPv4 {
    /// Whether the message quotes an offending IP header after its 8 bytes (unreachable, time exceeded...).
    public var quotesPacket: Bool {
        switch type.rawValue { case 3, 4, 5, 11, 12: return true; default: return false }
    }

    /// Decodes the header at `offset`; verifies the checksum over `messageLength` bytes (the IP payload) when
    /// the buffer holds them.
    /// - Throws: ``PacketDecodingError`` when fewer than 8 bytes remain.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, messageLength: Int? = nil) throws(PacketDecodingError) {
        try self.init(parsing: buffer, at: offset, messageLength: messageLength) { InternetChecksum.of($0) == 0 }
    }

    /// Appends header and body with the checksum computed (in `self` too).
    public mutating func append(to buffer: inout [UInt8], body: [UInt8]) {
        append(to: &buffer, body: body, pseudoHeader: nil)
    }
}
