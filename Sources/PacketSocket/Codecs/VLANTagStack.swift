/// The VLAN tags of a frame, outermost first, stored inline (no allocation): up to ``capacity`` tags.
public struct VLANTagStack: RandomAccessCollection, Hashable, Sendable {
    /// Stacked tags the decoder accepts; a fifth is reported as an error.
    public static let capacity = 4

    private var storage: (VLANTag?, VLANTag?, VLANTag?, VLANTag?) = (nil, nil, nil, nil)
    public private(set) var count = 0

    public init() {}

    public init(_ tags: [VLANTag]) {
        precondition(tags.count <= Self.capacity, "VLANTagStack: at most \(Self.capacity) tags")
        for tag in tags { append(tag) }
    }

    mutating func append(_ tag: VLANTag) {
        switch count {
        case 0: storage.0 = tag
        case 1: storage.1 = tag
        case 2: storage.2 = tag
        default: storage.3 = tag
        }
        count += 1
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(index: Int) -> VLANTag {
        precondition(index >= 0 && index < count, "VLANTagStack: index out of range")
        switch index {
        case 0: return storage.0!
        case 1: return storage.1!
        case 2: return storage.2!
        default: return storage.3!
        }
    }

    public static func == (a: VLANTagStack, b: VLANTagStack) -> Bool { a.elementsEqual(b) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for tag in self { hasher.combine(tag) }
    }
}
