/// An ICMPv6 header (RFC 4443; `struct icmp6hdr`): type, code, checksum (over the IPv6 pseudo-header) and the
/// four type-specific bytes.
public struct ICMPv6Header: Hashable, Sendable {
    /// Bytes in the header.
    public static let length = 8

    /// An ICMPv6 message type. The corresponding C constants are `ICMPV6_*` / `ND_*` in `<netinet/icmp6.h>`.
    public struct MessageType: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `ICMP6_DST_UNREACH`.
        public static let destinationUnreachable = MessageType(rawValue: 1)
        /// `ICMP6_PACKET_TOO_BIG`.
        public static let packetTooBig = MessageType(rawValue: 2)
        /// `ICMP6_TIME_EXCEEDED`.
        public static let timeExceeded = MessageType(rawValue: 3)
        /// `ICMP6_PARAM_PROB`.
        public static let parameterProblem = MessageType(rawValue: 4)
        /// `ICMP6_ECHO_REQUEST`.
        public static let echoRequest = MessageType(rawValue: 128)
        /// `ICMP6_ECHO_REPLY`.
        public static let echoReply = MessageType(rawValue: 129)
        /// `ND_ROUTER_SOLICIT`.
        public static let routerSolicitation = MessageType(rawValue: 133)
        /// `ND_ROUTER_ADVERT`.
        public static let routerAdvertisement = MessageType(rawValue: 134)
        /// `ND_NEIGHBOR_SOLICIT`.
        public static let neighborSolicitation = MessageType(rawValue: 135)
        /// `ND_NEIGHBOR_ADVERT`.
        public static let neighborAdvertisement = MessageType(rawValue: 136)
        /// `ND_REDIRECT`.
        public static let redirect = MessageType(rawValue: 137)
    }

    /// The message type.
    public var type: MessageType
    /// The code, whose meaning depends on the type.
    public var code: UInt8
    /// The checksum as found (parse) or as computed by the last `append`.
    public var checksum: UInt16
    /// The four bytes after the checksum (identifier and sequence for echo, flags for advertisements).
    public var restOfHeader: UInt32
    /// Whether the checksum verified: nil when it could not be checked (no pseudo-header, or the message not
    /// wholly captured).
    public internal(set) var checksumIsValid: Bool?

    /// A header to build; the checksum is computed by ``append(to:body:pseudoHeader:)``.
    public init(type: MessageType, code: UInt8 = 0, restOfHeader: UInt32 = 0) {
        self.type = type
        self.code = code
        self.restOfHeader = restOfHeader
        checksum = 0
        checksumIsValid = true
    }

    /// An echo request or reply.
    public static func echo(request: Bool, identifier: UInt16, sequenceNumber: UInt16) -> ICMPv6Header {
        ICMPv6Header(type: request ? .echoRequest : .echoReply, restOfHeader: UInt32(identifier) << 16 | UInt32(sequenceNumber))
    }

    /// Echo identifier (meaningful for echo request and reply).
    public var identifier: UInt16 { UInt16(restOfHeader >> 16) }
    /// Echo sequence number (meaningful for echo request and reply).
    public var sequenceNumber: UInt16 { UInt16(truncatingIfNeeded: restOfHeader) }

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
        try buffer.require(Self.length, at: offset, .icmpv6)
        type = MessageType(rawValue: buffer.u8(offset))
        code = buffer.u8(offset + 1)
        checksum = buffer.u16(offset + 2)
        restOfHeader = buffer.u32(offset + 4)
        let end = offset + (messageLength ?? buffer.count - offset)
        if let pseudoHeader, end <= buffer.count {
            let message = UnsafeRawBufferPointer(rebasing: buffer[offset..<end])
            checksumIsValid = pseudoHeader.checksum(protocol: .icmpv6, segment: message) == 0
        } else {
            checksumIsValid = nil
        }
    }

    /// Appends header and body with the checksum computed over the pseudo-header (in `self` too).
    public mutating func append(to buffer: inout [UInt8], body: [UInt8], pseudoHeader: IPPseudoHeader) {
        let start = buffer.count
        buffer.append(type.rawValue)
        buffer.append(code)
        buffer.appendBigEndian(UInt16(0))
        buffer.appendBigEndian(restOfHeader)
        buffer.append(contentsOf: body)
        checksum = buffer.storeChecksum(segmentStart: start, field: 2, pseudoHeader: pseudoHeader, protocol: .icmpv6)
        checksumIsValid = true
    }
}
