/// An IPv4 header (RFC 791; `struct iphdr`): fixed fields, options as a range of the parsed buffer, and whether
/// the header checksum was right.
public struct IPv4Header: Hashable, Sendable {
    /// Bytes in a header without options.
    public static let minimumLength = 20

    /// The flags next to the fragment offset.
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// The reserved ("evil") bit.
        public static let reserved = Flags(rawValue: 0x8000)
        /// Don't fragment. The corresponding C constant is `IP_DF`.
        public static let dontFragment = Flags(rawValue: 0x4000)
        /// More fragments follow. The corresponding C constant is `IP_MF`.
        public static let moreFragments = Flags(rawValue: 0x2000)
    }

    /// The type-of-service byte: DSCP (6 bits) and ECN (2 bits).
    public var typeOfService: UInt8
    /// Header plus payload in bytes, as the header says (the capture may hold fewer).
    public var totalLength: UInt16
    /// The identification shared by the fragments of one datagram.
    public var identification: UInt16
    /// Don't fragment, more fragments, reserved.
    public var flags: Flags
    /// Fragment offset in units of 8 bytes.
    public var fragmentOffset: UInt16
    /// Hops left (TTL).
    public var timeToLive: UInt8
    /// The payload's protocol.
    public var `protocol`: IPProtocolNumber
    /// The header checksum as found (parse) or as computed by the last ``append(to:options:payloadLength:)``.
    public var checksum: UInt16
    /// The source address.
    public var source: IPv4Address
    /// The destination address.
    public var destination: IPv4Address
    /// Header length in bytes (IHL × 4), options included.
    public internal(set) var headerLength: Int
    /// Where the options are in the parsed buffer (empty when there are none or the header was built).
    public internal(set) var optionsRange: Range<Int>
    /// Whether the header checksum verified when parsed (true for a built header).
    public internal(set) var checksumIsValid: Bool

    /// A header to build; lengths and the checksum are set by ``append(to:options:payloadLength:)``.
    public init(source: IPv4Address, destination: IPv4Address, protocol: IPProtocolNumber, timeToLive: UInt8 = 64,
                identification: UInt16 = 0, flags: Flags = .dontFragment, fragmentOffset: UInt16 = 0, typeOfService: UInt8 = 0) {
        self.source = source
        self.destination = destination
        self.protocol = `protocol`
        self.timeToLive = timeToLive
        self.identification = identification
        self.flags = flags
        self.fragmentOffset = fragmentOffset
        self.typeOfService = typeOfService
        totalLength = 20
        checksum = 0
        headerLength = 20
        optionsRange = 0..<0
        checksumIsValid = true
    }

    /// Differentiated services code point: the upper six bits of the type-of-service byte.
    public var dscp: UInt8 { typeOfService >> 2 }
    /// Explicit congestion notification: the lower two bits of the type-of-service byte.
    public var ecn: UInt8 { typeOfService & 3 }
    /// Whether this is a fragment: more fragments follow, or the offset is not zero.
    public var isFragment: Bool { flags.contains(.moreFragments) || fragmentOffset != 0 }
    /// Payload bytes the header announces: total length minus header length.
    public var payloadLength: Int { Int(totalLength) - headerLength }

    /// Decodes the header at `offset`, verifying (not enforcing) the checksum.
    /// - Throws: ``PacketDecodingError`` when the header is truncated, the version is not 4, the header length is
    ///   below 5 words, or the total length is smaller than the header.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int) throws(PacketDecodingError) {
        try buffer.require(Self.minimumLength, at: offset, .ipv4)
        let versionAndLength = buffer.u8(offset)
        guard versionAndLength >> 4 == 4 else {
            throw PacketDecodingError(.ipv4, at: offset, .invalidField("version \(versionAndLength >> 4) is not 4"))
        }
        let words = Int(versionAndLength & 0x0F)
        guard words >= 5 else {
            throw PacketDecodingError(.ipv4, at: offset, .invalidField("header length \(words) words is below the minimum 5"))
        }
        headerLength = words * 4
        try buffer.require(headerLength, at: offset, .ipv4)
        typeOfService = buffer.u8(offset + 1)
        totalLength = buffer.u16(offset + 2)
        guard Int(totalLength) >= headerLength else {
            throw PacketDecodingError(.ipv4, at: offset + 2, .invalidField(
                "total length \(totalLength) is below the header length \(headerLength)"))
        }
        identification = buffer.u16(offset + 4)
        let flagsAndOffset = buffer.u16(offset + 6)
        flags = Flags(rawValue: flagsAndOffset & 0xE000)
        fragmentOffset = flagsAndOffset & 0x1FFF
        timeToLive = buffer.u8(offset + 8)
        self.protocol = IPProtocolNumber(buffer.u8(offset + 9))
        checksum = buffer.u16(offset + 10)
        source = IPv4Address(buffer, at: offset + 12)
        destination = IPv4Address(buffer, at: offset + 16)
        optionsRange = (offset + 20)..<(offset + headerLength)
        checksumIsValid = InternetChecksum.of(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + headerLength)])) == 0
    }

    /// Appends the header with `options` (padded with zeros to a multiple of 4 bytes), setting the header
    /// length, the total length (header + `payloadLength`) and the checksum, in the bytes and in `self`.
    public mutating func append(to buffer: inout [UInt8], options: [UInt8] = [], payloadLength: Int) {
        let optionWords = (options.count + 3) / 4
        precondition(optionWords <= 10, "IPv4Header: at most 40 bytes of options")
        headerLength = 20 + optionWords * 4
        totalLength = UInt16(truncatingIfNeeded: headerLength + payloadLength)
        let start = buffer.count
        buffer.append(0x40 | UInt8(headerLength / 4))
        buffer.append(typeOfService)
        buffer.appendBigEndian(totalLength)
        buffer.appendBigEndian(identification)
        buffer.appendBigEndian(flags.rawValue | (fragmentOffset & 0x1FFF))
        buffer.append(timeToLive)
        buffer.append(self.protocol.rawValue)
        buffer.appendBigEndian(UInt16(0))
        source.append(to: &buffer)
        destination.append(to: &buffer)
        buffer.append(contentsOf: options)
        buffer.append(contentsOf: repeatElement(0, count: optionWords * 4 - options.count))
        checksum = buffer.withUnsafeBytes { InternetChecksum.of(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        buffer.setBigEndian(checksum, at: start + 10)
        optionsRange = 0..<0
        checksumIsValid = true
    }
}
