/// An ICMP header (RFC 792; `struct icmphdr`): type, code, checksum and the four type-specific bytes
/// (identifier and sequence number for echo).
public struct ICMPv4Header: Hashable, Sendable {
    /// Bytes in the header.
    public static let length = 8

    /// An ICMP message type. The corresponding C constants are `ICMP_*` in `<linux/icmp.h>`.
    public struct MessageType: RawRepresentable, Hashable, Sendable {
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

    /// The message type.
    public var type: MessageType
    /// The code, whose meaning depends on the type.
    public var code: UInt8
    /// The checksum as found (parse) or as computed by the last `append`.
    public var checksum: UInt16
    /// The four bytes after the checksum (identifier and sequence for echo, unused/MTU for unreachable).
    public var restOfHeader: UInt32
    /// Whether the checksum verified: nil when the message was not wholly captured.
    public internal(set) var checksumIsValid: Bool?

    /// A header to build; the checksum is computed by ``append(to:body:)``.
    public init(type: MessageType, code: UInt8 = 0, restOfHeader: UInt32 = 0) {
        self.type = type
        self.code = code
        self.restOfHeader = restOfHeader
        checksum = 0
        checksumIsValid = true
    }

    /// An echo request or reply.
    public static func echo(request: Bool, identifier: UInt16, sequenceNumber: UInt16) -> ICMPv4Header {
        ICMPv4Header(type: request ? .echoRequest : .echoReply, restOfHeader: UInt32(identifier) << 16 | UInt32(sequenceNumber))
    }

    /// Echo identifier (meaningful for echo request and reply).
    public var identifier: UInt16 { UInt16(restOfHeader >> 16) }
    /// Echo sequence number (meaningful for echo request and reply).
    public var sequenceNumber: UInt16 { UInt16(truncatingIfNeeded: restOfHeader) }
    /// Whether the message quotes an offending IP header after its 8 bytes (unreachable, time exceeded...).
    public var quotesPacket: Bool {
        switch type.rawValue { case 3, 4, 5, 11, 12: return true; default: return false }
    }

    /// Decodes the header at `offset`; verifies the checksum over `messageLength` bytes (the IP payload) when
    /// the buffer holds them.
    /// - Throws: ``PacketDecodingError`` when fewer than 8 bytes remain.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, messageLength: Int? = nil) throws(PacketDecodingError) {
        try buffer.require(Self.length, at: offset, .icmp)
        type = MessageType(rawValue: buffer.u8(offset))
        code = buffer.u8(offset + 1)
        checksum = buffer.u16(offset + 2)
        restOfHeader = buffer.u32(offset + 4)
        let end = offset + (messageLength ?? buffer.count - offset)
        checksumIsValid = end <= buffer.count ? InternetChecksum.of(UnsafeRawBufferPointer(rebasing: buffer[offset..<end])) == 0 : nil
    }

    /// Appends header and body with the checksum computed (in `self` too).
    public mutating func append(to buffer: inout [UInt8], body: [UInt8]) {
        let start = buffer.count
        buffer.append(type.rawValue)
        buffer.append(code)
        buffer.appendBigEndian(UInt16(0))
        buffer.appendBigEndian(restOfHeader)
        buffer.append(contentsOf: body)
        checksum = buffer.storeChecksum(segmentStart: start, field: 2, pseudoHeader: nil, protocol: .icmp)
        checksumIsValid = true
    }
}
