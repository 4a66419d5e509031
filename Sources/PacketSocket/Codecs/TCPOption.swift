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
