/// Up to four SACK blocks, stored inline (no allocation).
public struct TCPSACKBlocks: RandomAccessCollection, Hashable, Sendable {
    private var blocks = InlineFour<TCPSACKBlock>()

    /// One to four blocks.
    public init(_ blocks: [TCPSACKBlock]) {
        precondition((1...4).contains(blocks.count), "TCPSACKBlocks: 1 to 4 blocks")
        for block in blocks { append(block) }
    }

    init() {}

    mutating func append(_ block: TCPSACKBlock) { blocks.append(block) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { blocks.count }
    public subscript(index: Int) -> TCPSACKBlock { blocks[index] }
}
