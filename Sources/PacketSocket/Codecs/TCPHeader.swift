/// A TCP header (RFC 9293; `struct tcphdr`): fixed fields, the options as a range of the parsed buffer (read
/// them with ``options(in:)`` or a ``TCPOptionReader``), and whether the checksum was right.
public struct TCPHeader: Hashable, Sendable {
    /// Bytes in a header without options.
    public static let minimumLength = 20

    /// The control bits. The corresponding C constants are `TH_FIN`, `TH_SYN`... in `<netinet/tcp.h>`.
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let fin = Flags(rawValue: 0x001)
        public static let syn = Flags(rawValue: 0x002)
        public static let rst = Flags(rawValue: 0x004)
        public static let psh = Flags(rawValue: 0x008)
        public static let ack = Flags(rawValue: 0x010)
        public static let urg = Flags(rawValue: 0x020)
        /// ECN echo (RFC 3168).
        public static let ece = Flags(rawValue: 0x040)
        /// Congestion window reduced (RFC 3168).
        public static let cwr = Flags(rawValue: 0x080)
        /// Accurate ECN (RFC 9768; formerly NS, RFC 3540).
        public static let ae = Flags(rawValue: 0x100)
    }

    /// The source port.
    public var sourcePort: UInt16
    /// The destination port.
    public var destinationPort: UInt16
    /// The sequence number of the first data byte (or the ISN with SYN).
    public var sequenceNumber: UInt32
    /// The next sequence number expected (meaningful with ACK).
    public var acknowledgmentNumber: UInt32
    /// The control bits.
    public var flags: Flags
    /// The receive window (before window scaling).
    public var window: UInt16
    /// The checksum as found (parse) or as computed by the last `append`.
    public var checksum: UInt16
    /// The urgent pointer (meaningful with URG).
    public var urgentPointer: UInt16
    /// Header length in bytes (data offset × 4), options included.
    public internal(set) var headerLength: Int
    /// Where the options are in the parsed buffer (empty when there are none or the header was built).
    public internal(set) var optionsRange: Range<Int>
    /// Whether the checksum verified: nil when it could not be checked (no pseudo-header or segment length
    /// given, or the segment not wholly captured).
    public internal(set) var checksumIsValid: Bool?

    /// A header to build; the data offset and checksum are set by ``append(to:options:payload:pseudoHeader:)``.
    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32 = 0, acknowledgmentNumber: UInt32 = 0,
                flags: Flags, window: UInt16 = 65535, urgentPointer: UInt16 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.flags = flags
        self.window = window
        self.urgentPointer = urgentPointer
        checksum = 0
        headerLength = Self.minimumLength
        optionsRange = 0..<0
        checksumIsValid = true
    }

    /// Decodes the header at `offset`. With `pseudoHeader` and `segmentLength` (the IP payload length: header
    /// plus data), verifies the checksum when the buffer holds the whole segment.
    /// - Throws: ``PacketDecodingError`` when the header is truncated, the data offset is below 5 words, or the
    ///   header is longer than the segment.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, segmentLength: Int? = nil,
                pseudoHeader: IPPseudoHeader? = nil) throws(PacketDecodingError) {
        try buffer.require(Self.minimumLength, at: offset, .tcp)
        let words = Int(buffer.u8(offset + 12) >> 4)
        guard words >= 5 else {
            throw PacketDecodingError(.tcp, at: offset + 12, .invalidField("data offset \(words) words is below the minimum 5"))
        }
        headerLength = words * 4
        if let segmentLength, segmentLength < headerLength {
            throw PacketDecodingError(.tcp, at: offset + 12, .invalidField(
                "header length \(headerLength) exceeds the segment length \(segmentLength)"))
        }
        try buffer.require(headerLength, at: offset, .tcp)
        sourcePort = buffer.u16(offset)
        destinationPort = buffer.u16(offset + 2)
        sequenceNumber = buffer.u32(offset + 4)
        acknowledgmentNumber = buffer.u32(offset + 8)
        flags = Flags(rawValue: buffer.u16(offset + 12) & 0x01FF)
        window = buffer.u16(offset + 14)
        checksum = buffer.u16(offset + 16)
        urgentPointer = buffer.u16(offset + 18)
        optionsRange = (offset + Self.minimumLength)..<(offset + headerLength)
        checksumIsValid = nil
        if let pseudoHeader, let segmentLength, offset + segmentLength <= buffer.count {
            let segment = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + segmentLength)])
            checksumIsValid = pseudoHeader.checksum(protocol: .tcp, segment: segment) == 0
        }
    }

    /// A reader over the options of a header parsed from `buffer`.
    public func optionReader(in buffer: UnsafeRawBufferPointer) -> TCPOptionReader {
        TCPOptionReader(buffer, range: optionsRange)
    }

    /// The options of a header parsed from `buffer`, in order (NOP and EOL included).
    /// - Throws: ``PacketDecodingError`` (layer TCP option) for an option whose length is wrong.
    public func options(in buffer: UnsafeRawBufferPointer) throws(PacketDecodingError) -> [TCPOption] {
        var reader = optionReader(in: buffer)
        var result: [TCPOption] = []
        while let option = try reader.next() { result.append(option) }
        return result
    }

    /// Appends header, `options` (padded with EOL to a multiple of 4 bytes) and payload, setting the data
    /// offset and the checksum (in `self` too).
    public mutating func append(to buffer: inout [UInt8], options: [TCPOption] = [], payload: [UInt8], pseudoHeader: IPPseudoHeader) {
        let start = buffer.count
        buffer.appendBigEndian(sourcePort)
        buffer.appendBigEndian(destinationPort)
        buffer.appendBigEndian(sequenceNumber)
        buffer.appendBigEndian(acknowledgmentNumber)
        buffer.appendBigEndian(UInt16(0))
        buffer.appendBigEndian(window)
        buffer.appendBigEndian(UInt16(0))
        buffer.appendBigEndian(urgentPointer)
        for option in options { option.append(to: &buffer) }
        while (buffer.count - start) % 4 != 0 { buffer.append(0) }
        headerLength = buffer.count - start
        precondition(headerLength <= 60, "TCPHeader: at most 40 bytes of options")
        buffer.setBigEndian(UInt16(headerLength / 4) << 12 | flags.rawValue, at: start + 12)
        buffer.append(contentsOf: payload)
        checksum = buffer.storeChecksum(segmentStart: start, field: 16, pseudoHeader: pseudoHeader, protocol: .tcp)
        optionsRange = 0..<0
        checksumIsValid = true
    }
}
