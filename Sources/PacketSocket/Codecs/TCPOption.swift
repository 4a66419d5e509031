/// A TCP option (RFC 9293, 7323, 2018); unknown kinds keep their raw data.
public enum TCPOption: Hashable, Sendable {
    /// Kind 0: end of option list.
    case endOfOptionList
    /// Kind 1: no operation (padding).
    case noOperation
    /// Kind 2: maximum segment size.
    case maximumSegmentSize(UInt16)
    /// Kind 3: window scale shift count.
    case windowScale(UInt8)
    /// Kind 4: SACK permitted.
    case sackPermitted
    /// Kind 5: selective acknowledgment blocks (1 to 4).
    case sack(TCPSACKBlocks)
    /// Kind 8: timestamps.
    case timestamps(value: UInt32, echoReply: UInt32)
    /// Any other kind, with the bytes after kind and length.
    case unknown(kind: UInt8, data: [UInt8])

    /// The option kind byte.
    public var kind: UInt8 {
        switch self {
        case .endOfOptionList: return 0
        case .noOperation: return 1
        case .maximumSegmentSize: return 2
        case .windowScale: return 3
        case .sackPermitted: return 4
        case .sack: return 5
        case .timestamps: return 8
        case let .unknown(kind, _): return kind
        }
    }

    /// Appends the option's bytes (kind, length, data).
    public func append(to buffer: inout [UInt8]) {
        switch self {
        case .endOfOptionList: buffer.append(0)
        case .noOperation: buffer.append(1)
        case let .maximumSegmentSize(value):
            buffer.append(2); buffer.append(4); buffer.appendBigEndian(value)
        case let .windowScale(shift):
            buffer.append(3); buffer.append(3); buffer.append(shift)
        case .sackPermitted:
            buffer.append(4); buffer.append(2)
        case let .sack(blocks):
            buffer.append(5); buffer.append(UInt8(2 + 8 * blocks.count))
            for block in blocks { buffer.appendBigEndian(block.left); buffer.appendBigEndian(block.right) }
        case let .timestamps(value, echoReply):
            buffer.append(8); buffer.append(10); buffer.appendBigEndian(value); buffer.appendBigEndian(echoReply)
        case let .unknown(kind, data):
            buffer.append(kind); buffer.append(UInt8(truncatingIfNeeded: 2 + data.count)); buffer.append(contentsOf: data)
        }
    }
}

/// One SACK block: the left and right edges of a received range of sequence numbers.
public struct TCPSACKBlock: Hashable, Sendable {
    public var left: UInt32
    public var right: UInt32
    public init(left: UInt32, right: UInt32) {
        self.left = left
        self.right = right
    }
}

/// Up to four SACK blocks, stored inline (no allocation).
public struct TCPSACKBlocks: RandomAccessCollection, Hashable, Sendable {
    private var storage: (TCPSACKBlock, TCPSACKBlock, TCPSACKBlock, TCPSACKBlock)
    public private(set) var count: Int

    public init(_ blocks: [TCPSACKBlock]) {
        precondition((1...4).contains(blocks.count), "TCPSACKBlocks: 1 to 4 blocks")
        let empty = TCPSACKBlock(left: 0, right: 0)
        storage = (empty, empty, empty, empty)
        count = 0
        for block in blocks { append(block) }
    }

    init() {
        let empty = TCPSACKBlock(left: 0, right: 0)
        storage = (empty, empty, empty, empty)
        count = 0
    }

    mutating func append(_ block: TCPSACKBlock) {
        switch count {
        case 0: storage.0 = block
        case 1: storage.1 = block
        case 2: storage.2 = block
        default: storage.3 = block
        }
        count += 1
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(index: Int) -> TCPSACKBlock {
        precondition(index >= 0 && index < count, "TCPSACKBlocks: index out of range")
        switch index {
        case 0: return storage.0
        case 1: return storage.1
        case 2: return storage.2
        default: return storage.3
        }
    }

    public static func == (a: TCPSACKBlocks, b: TCPSACKBlocks) -> Bool { a.elementsEqual(b) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for block in self { hasher.combine(block) }
    }
}

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
        func expect(_ valid: Bool, _ what: StaticString) throws(PacketDecodingError) {
            if !valid {
                throw PacketDecodingError(.tcpOption, at: position, .invalidField("\(what) option length \(length) is wrong"))
            }
        }
        let option: TCPOption
        switch kind {
        case 2:
            try expect(length == 4, "MSS")
            option = .maximumSegmentSize(buffer.u16(data))
        case 3:
            try expect(length == 3, "window scale")
            option = .windowScale(buffer[data])
        case 4:
            try expect(length == 2, "SACK permitted")
            option = .sackPermitted
        case 5:
            try expect(length >= 10 && length <= 34 && (length - 2) % 8 == 0, "SACK")
            var blocks = TCPSACKBlocks()
            var index = data
            while index < position + length {
                blocks.append(TCPSACKBlock(left: buffer.u32(index), right: buffer.u32(index + 4)))
                index += 8
            }
            option = .sack(blocks)
        case 8:
            try expect(length == 10, "timestamps")
            option = .timestamps(value: buffer.u32(data), echoReply: buffer.u32(data + 4))
        default:
            option = .unknown(kind: kind, data: Array(buffer[data..<(position + length)]))
        }
        position += length
        return option
    }
}
