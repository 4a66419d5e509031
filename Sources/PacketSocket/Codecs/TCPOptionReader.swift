/// Reads TCP options one by one from a parsed buffer, without allocating (except for unknown kinds' data).
public struct TCPOptionReader {
    private let buffer: UnsafeRawBufferPointer
    private var position: Int
    private let end: Int

    /// A reader over `range` of `buffer`.
    public init(_ buffer: UnsafeRawBufferPointer, range: Range<Int>) {
        self.buffer = buffer
        position = range.lowerBound
        end = min(range.upperBound, buffer.count)
    }

    /// Offset of the next option.
    public var offset: Int { position }

    /// The next option, nil after the last one (bytes after EOL are padding and not read).
    /// - Throws: ``PacketDecodingError`` (layer TCP option) when a length byte is missing, below 2, runs past
    ///   the options, or does not fit the kind (MSS 4, window scale 3, SACK permitted 2, timestamps 10,
    ///   SACK 2 + 8n for n in 1...4).
    public mutating func next() throws(PacketDecodingError) -> TCPOption? {
        guard position < end else { return nil }
        let kind = buffer[position]
        switch kind {
        case 0:
            position = end
            return .endOfOptionList
        case 1:
            position += 1
            return .noOperation
        default:
            break
        }
        guard position + 1 < end else {
            throw PacketDecodingError(.tcpOption, at: position, .invalidField("kind \(kind) has no length byte"))
        }
        let length = Int(buffer[position + 1])
        guard length >= 2, position + length <= end else {
            throw PacketDecodingError(.tcpOption, at: position, .invalidField(
                "kind \(kind) length \(length) is below 2 or runs past the options (\(end - position) bytes left)"))
        }
        let data = position + 2
        let option: TCPOption
        switch kind {
        case 2:
            try Self.expect(length == 4, "MSS", length: length, at: position)
            option = .maximumSegmentSize(buffer.u16(data))
        case 3:
            try Self.expect(length == 3, "window scale", length: length, at: position)
            option = .windowScale(buffer[data])
        case 4:
            try Self.expect(length == 2, "SACK permitted", length: length, at: position)
            option = .sackPermitted
        case 5:
            try Self.expect(length >= 10 && length <= 34 && (length - 2) % 8 == 0, "SACK", length: length, at: position)
            var blocks = TCPSACKBlocks()
            var index = data
            while index < position + length {
                blocks.append(TCPSACKBlock(left: buffer.u32(index), right: buffer.u32(index + 4)))
                index += 8
            }
            option = .sack(blocks)
        case 8:
            try Self.expect(length == 10, "timestamps", length: length, at: position)
            option = .timestamps(value: buffer.u32(data), echoReply: buffer.u32(data + 4))
        default:
            option = .unknown(kind: kind, data: Array(buffer[data..<(position + length)]))
        }
        position += length
        return option
    }

    private static func expect(_ valid: Bool, _ what: StaticString, length: Int, at position: Int) throws(PacketDecodingError) {
        if !valid {
            throw PacketDecodingError(.tcpOption, at: position, .invalidField("\(what) option length \(length) is wrong"))
        }
    }
}
