/// A UDP header (RFC 768; `struct udphdr`).
public struct UDPHeader: Hashable, Sendable {
    /// Bytes in the header.
    public static let length = 8

    /// The source port.
    public var sourcePort: UInt16
    /// The destination port.
    public var destinationPort: UInt16
    /// Header plus payload in bytes, as the header says.
    public var length: UInt16
    /// The checksum as found (parse) or as computed by the last `append`; 0 means none over IPv4.
    public var checksum: UInt16
    /// Whether the checksum verified: nil when it could not be checked (no pseudo-header given, the datagram
    /// not wholly captured, or an IPv4 checksum of 0, meaning none).
    public internal(set) var checksumIsValid: Bool?

    /// A header to build; the length and checksum are set by ``append(to:payload:pseudoHeader:)``.
    public init(sourcePort: UInt16, destinationPort: UInt16) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        length = 8
        checksum = 0
        checksumIsValid = true
    }

    /// Payload bytes the header announces.
    public var payloadLength: Int { Int(length) - Self.length }

    /// Decodes the header at `offset`; with `pseudoHeader`, verifies the checksum over the `length` bytes the
    /// header announces when the buffer holds them all.
    /// - Throws: ``PacketDecodingError`` when fewer than 8 bytes remain or the length field is below 8.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, pseudoHeader: IPPseudoHeader? = nil) throws(PacketDecodingError) {
        try buffer.require(Self.length, at: offset, .udp)
        sourcePort = buffer.u16(offset)
        destinationPort = buffer.u16(offset + 2)
        length = buffer.u16(offset + 4)
        checksum = buffer.u16(offset + 6)
        guard length >= 8 else {
            throw PacketDecodingError(.udp, at: offset + 4, .invalidField("length \(length) is below the header size 8"))
        }
        checksumIsValid = nil
        if let pseudoHeader, offset + Int(length) <= buffer.count {
            if case .ipv4 = pseudoHeader, checksum == 0 { return }
            let segment = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + Int(length))])
            checksumIsValid = pseudoHeader.checksum(protocol: .udp, segment: segment) == 0
        }
    }

    /// Appends header and payload, setting the length and the checksum (in `self` too).
    public mutating func append(to buffer: inout [UInt8], payload: [UInt8], pseudoHeader: IPPseudoHeader) {
        length = UInt16(truncatingIfNeeded: Self.length + payload.count)
        let start = buffer.count
        buffer.appendBigEndian(sourcePort)
        buffer.appendBigEndian(destinationPort)
        buffer.appendBigEndian(length)
        buffer.appendBigEndian(UInt16(0))
        buffer.append(contentsOf: payload)
        checksum = buffer.storeChecksum(segmentStart: start, field: 6, pseudoHeader: pseudoHeader, protocol: .udp, zeroMeansNone: true)
        checksumIsValid = true
    }
}
