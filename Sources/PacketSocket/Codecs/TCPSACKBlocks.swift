/// Up to four SACK blocks, stored inline (no allocation).
public struct TCPSACKBlocks: RandomAccessCollection, Hashable, Sendable {
    private var storage: (TCPSACKBlock, TCPSACKBlock, TCPSACKBlock, TCPSACKBlock)
    public private(set) var count: Int

    /// One to four blocks.
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
