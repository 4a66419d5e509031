/// An IPv6 header (RFC 8200; `struct ipv6hdr`) and the extension headers after it: the decoder walks hop-by-hop,
/// routing, fragment and destination options headers to find the upper-layer protocol.
public struct IPv6Header: Hashable, Sendable {
    /// Bytes in the fixed header.
    public static let length = 40
    /// Extension headers walked at most before giving up (a loop guard).
    static let maximumExtensionHeaders = 16

    /// DSCP and ECN, as IPv4's type of service.
    public var trafficClass: UInt8
    /// Flow label, 20 bits.
    public var flowLabel: UInt32
    /// Bytes after the fixed header (extension headers included), as the header says.
    public var payloadLength: UInt16
    /// The next header field of the fixed header.
    public var nextHeader: IPProtocolNumber
    /// Hops left.
    public var hopLimit: UInt8
    /// The source address.
    public var source: IPv6Address
    /// The destination address.
    public var destination: IPv6Address

    /// The protocol after the extension headers (``nextHeader`` when there are none).
    public internal(set) var upperLayerProtocol: IPProtocolNumber
    /// Where the extension headers are in the parsed buffer (empty when none or built).
    public internal(set) var extensionHeadersRange: Range<Int>
    /// How many extension headers were walked.
    public internal(set) var extensionHeaderCount: Int
    /// The fragment header, when there is one.
    public internal(set) var fragment: IPv6FragmentHeader?

    /// A header to build; the payload length is set by ``append(to:payloadLength:)``.
    public init(source: IPv6Address, destination: IPv6Address, nextHeader: IPProtocolNumber, hopLimit: UInt8 = 64,
                trafficClass: UInt8 = 0, flowLabel: UInt32 = 0) {
        precondition(flowLabel < 1 << 20, "IPv6Header: the flow label has 20 bits")
        self.source = source
        self.destination = destination
        self.nextHeader = nextHeader
        self.hopLimit = hopLimit
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel
        payloadLength = 0
        upperLayerProtocol = nextHeader
        extensionHeadersRange = 0..<0
        extensionHeaderCount = 0
        fragment = nil
    }

    /// Offset of the upper-layer header in the parsed buffer.
    public var upperLayerOffset: Int { extensionHeadersRange.upperBound }
    /// Upper-layer bytes the header announces: payload length minus the extension headers.
    public var upperLayerLength: Int { Int(payloadLength) - extensionHeadersRange.count }

    /// Decodes the fixed header at `offset` and walks the extension headers that follow.
    /// - Throws: ``PacketDecodingError`` when the header is truncated, the version is not 6, an extension header is
    ///   truncated or runs past the payload length.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int) throws(PacketDecodingError) {
        try buffer.require(Self.length, at: offset, .ipv6)
        let word = buffer.u32(offset)
        guard word >> 28 == 6 else {
            throw PacketDecodingError(.ipv6, at: offset, .invalidField("version \(word >> 28) is not 6"))
        }
        trafficClass = UInt8(truncatingIfNeeded: word >> 20)
        flowLabel = word & 0xF_FFFF
        payloadLength = buffer.u16(offset + 4)
        nextHeader = IPProtocolNumber(buffer.u8(offset + 6))
        hopLimit = buffer.u8(offset + 7)
        source = IPv6Address(buffer, at: offset + 8)
        destination = IPv6Address(buffer, at: offset + 24)
        let start = offset + Self.length
        var position = start
        var protocolNumber = nextHeader
        var count = 0
        var fragment: IPv6FragmentHeader?
        let end = start + Int(payloadLength)
        while protocolNumber.isIPv6ExtensionHeader {
            guard count < Self.maximumExtensionHeaders else {
                throw PacketDecodingError(.ipv6Extension, at: position, .invalidField(
                    "more than \(Self.maximumExtensionHeaders) extension headers"))
            }
            try buffer.require(8, at: position, .ipv6Extension)
            let length = protocolNumber == .fragment ? 8 : (Int(buffer.u8(position + 1)) + 1) * 8
            try buffer.require(length, at: position, .ipv6Extension)
            guard position + length <= end else {
                throw PacketDecodingError(.ipv6Extension, at: position, .invalidField(
                    "\(protocolNumber) header of \(length) bytes runs past the payload length \(payloadLength)"))
            }
            if protocolNumber == .fragment {
                fragment = IPv6FragmentHeader(parsing: buffer, at: position)
            }
            protocolNumber = IPProtocolNumber(buffer.u8(position))
            position += length
            count += 1
        }
        upperLayerProtocol = protocolNumber
        extensionHeadersRange = start..<position
        extensionHeaderCount = count
        self.fragment = fragment
    }

    /// The extension headers of a header parsed from `buffer`, in order.
    public func extensionHeaders(in buffer: UnsafeRawBufferPointer) -> [IPv6ExtensionHeader] {
        var result: [IPv6ExtensionHeader] = []
        var position = extensionHeadersRange.lowerBound
        var kind = nextHeader
        while position < extensionHeadersRange.upperBound {
            let length = kind == .fragment ? 8 : (Int(buffer.u8(position + 1)) + 1) * 8
            result.append(IPv6ExtensionHeader(kind: kind, nextHeader: IPProtocolNumber(buffer.u8(position)),
                                              range: position..<(position + length)))
            kind = IPProtocolNumber(buffer.u8(position))
            position += length
        }
        return result
    }

    /// Appends the 40-byte fixed header with the payload length set to `payloadLength` (in `self` too).
    public mutating func append(to buffer: inout [UInt8], payloadLength: Int) {
        self.payloadLength = UInt16(truncatingIfNeeded: payloadLength)
        buffer.appendBigEndian(6 << 28 | UInt32(trafficClass) << 20 | flowLabel)
        buffer.appendBigEndian(self.payloadLength)
        buffer.append(nextHeader.rawValue)
        buffer.append(hopLimit)
        source.append(to: &buffer)
        destination.append(to: &buffer)
    }
}
