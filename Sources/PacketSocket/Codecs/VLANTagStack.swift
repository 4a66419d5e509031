/// The VLAN tags of a frame, outermost first, stored inline (no allocation): up to ``capacity`` tags.
public struct VLANTagStack: RandomAccessCollection, Hashable, Sendable {
    /// Stacked tags the decoder accepts; a fifth is reported as an error.
    public static let capacity = 4

    private var tags = InlineFour<VLANTag>()

    public init() {}

    public init(_ tags: [VLANTag]) {
        precondition(tags.count <= Self.capacity, "VLANTagStack: at most \(Self.capacity) tags")
        for tag in tags { append(tag) }
    }

    mutating func append(_ tag: VLANTag) { tags.append(tag) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { tags.count }
    public subscript(index: Int) -> VLANTag { tags[index] }
}
