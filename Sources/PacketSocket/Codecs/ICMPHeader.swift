/// What tells ICMP (RFC 792) from ICMPv6 (RFC 4443) in their common 8-byte header: the IP protocol number,
/// the echo type numbers and whether the checksum covers an IP pseudo-header.
public protocol ICMPVersion: Sendable {
    /// `IPPROTO_ICMP` or `IPPROTO_ICMPV6`.
    static var protocolNumber: IPProtocolNumber { get }
    /// The layer a decoding error names.
    static var layer: PacketDecodingError.Layer { get }
    /// The type numbers of echo request and reply (`ICMP_ECHO` 8 and `ICMP_ECHOREPLY` 0, `ICMP6_ECHO_REQUEST`
    /// 128 and `ICMP6_ECHO_REPLY` 129).
    static var echoTypes: (request: UInt8, reply: UInt8) { get }
}

/// An ICMP or ICMPv6 message type: a byte, with the names of each version in its extensions
/// (`ICMPv4Header.MessageType.redirect`, `ICMPv6Header.MessageType.neighborSolicitation`).
public struct ICMPMessageType<Version: ICMPVersion>: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
}

/// The header ICMP and ICMPv6 share (`struct icmphdr`, `struct icmp6hdr`): type, code, checksum and the four
/// type-specific bytes (identifier and sequence number for echo). Use it as ``ICMPv4Header`` or ``ICMPv6Header``.
public struct ICMPHeader<Version: ICMPVersion>: Hashable, Sendable {
    /// The message type of this ICMP version.
    public typealias MessageType = ICMPMessageType<Version>

    /// Bytes in the header.
    public static var length: Int { 8 }

    /// The message type.
    public var type: MessageType
    /// The code, whose meaning depends on the type.
    public var code: UInt8
    /// The checksum as found (parse) or as computed by the last `append`.
    public var checksum: UInt16
    /// The four bytes after the checksum (identifier and sequence for echo, unused/MTU for unreachable, flags
    /// for advertisements).
    public var restOfHeader: UInt32
    /// Whether the checksum verified: nil when it could not be checked (the message not wholly captured, or
    /// an ICMPv6 message without its pseudo-header).
    public internal(set) var checksumIsValid: Bool?

    /// A header to build; the checksum is computed by `append`.
    public init(type: MessageType, code: UInt8 = 0, restOfHeader: UInt32 = 0) {
        self.type = type
        self.code = code
        self.restOfHeader = restOfHeader
        checksum = 0
        checksumIsValid = true
    }

    /// An echo request or reply.
    public static func echo(request: Bool, identifier: UInt16, sequenceNumber: UInt16) -> ICMPHeader {
        let type = request ? Version.echoTypes.request : Version.echoTypes.reply
        return ICMPHeader(type: MessageType(rawValue: type), restOfHeader: UInt32(identifier) << 16 | UInt32(sequenceNumber))
    }

    /// Echo identifier (meaningful for echo request and reply).
    public var identifier: UInt16 { UInt16(restOfHeader >> 16) }
    /// Echo sequence number (meaningful for echo request and reply).
    public var sequenceNumber: UInt16 { UInt16(truncatingIfNeeded: restOfHeader) }

    /// Decodes the fields at `offset`; `checksum` verifies the message and returns nil when it cannot.
    init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, messageLength: Int?,
         checksum verify: (UnsafeRawBufferPointer) -> Bool?) throws(PacketDecodingError) {
        try buffer.require(Self.length, at: offset, Version.layer)
        type = MessageType(rawValue: buffer.u8(offset))
        code = buffer.u8(offset + 1)
        checksum = buffer.u16(offset + 2)
        restOfHeader = buffer.u32(offset + 4)
        let end = offset + (messageLength ?? buffer.count - offset)
        checksumIsValid = end <= buffer.count ? verify(UnsafeRawBufferPointer(rebasing: buffer[offset..<end])) : nil
    }

    /// Appends header and body with the checksum computed (in `self` too), over `pseudoHeader` when given.
    mutating func append(to buffer: inout [UInt8], body: [UInt8], pseudoHeader: IPPseudoHeader?) {
        let start = buffer.count
        buffer.append(type.rawValue)
        buffer.append(code)
        buffer.appendBigEndian(UInt16(0))
        buffer.appendBigEndian(restOfHeader)
        buffer.append(contentsOf: body)
        checksum = buffer.storeChecksum(segmentStart: start, field: 2, pseudoHeader: pseudoHeader, protocol: Version.protocolNumber)
        checksumIsValid = true
    }
}
