/// An ICMP header (RFC 792; `struct icmphdr`).
public typealias ICMPv4Header = ICMPHeader<ICMPv4>

/// ICMP for IPv4 (`IPPROTO_ICMP`): its message types; the checksum covers the message alone.
public enum ICMPv4: ICMPVersion {
    public static var protocolNumber: IPProtocolNumber { .icmp }
    public static var layer: PacketDecodingError.Layer { .icmp }

    /// An ICMP message type. The corresponding C constants are `ICMP_*` in `<linux/icmp.h>`.
    public struct MessageType: ICMPMessageType {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `ICMP_ECHOREPLY`.
        public static let echoReply = MessageType(rawValue: 0)
        /// `ICMP_DEST_UNREACH`.
        public static let destinationUnreachable = MessageType(rawValue: 3)
        /// `ICMP_SOURCE_QUENCH`.
        public static let sourceQuench = MessageType(rawValue: 4)
        /// `ICMP_REDIRECT`.
        public static let redirect = MessageType(rawValue: 5)
        /// `ICMP_ECHO`.
        public static let echoRequest = MessageType(rawValue: 8)
        /// `ICMP_TIME_EXCEEDED`.
        public static let timeExceeded = MessageType(rawValue: 11)
        /// `ICMP_PARAMETERPROB`.
        public static let parameterProblem = MessageType(rawValue: 12)
        /// `ICMP_TIMESTAMP`.
        public static let timestampRequest = MessageType(rawValue: 13)
        /// `ICMP_TIMESTAMPREPLY`.
        public static let timestampReply = MessageType(rawValue: 14)
    }
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
