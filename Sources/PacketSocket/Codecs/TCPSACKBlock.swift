/// One SACK block: the left and right edges of a received range of sequence numbers.
public struct TCPSACKBlock: Hashable, Sendable {
    /// The first sequence number of the block.
    public var left: UInt32
    /// The sequence number after the block.
    public var right: UInt32
    /// The block `left..<right` of sequence numbers.
    public init(left: UInt32, right: UInt32) {
        self.left = left
        self.right = right
    }
}
