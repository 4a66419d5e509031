/// Up to four values stored inline (no allocation): what ``TCPSACKBlocks`` and ``VLANTagStack`` hold their
/// elements in. Equal when the values in use are equal; the unused slots do not count.
struct InlineFour<Element: Hashable & Sendable>: Hashable, Sendable {
    private var storage: (Element?, Element?, Element?, Element?) = (nil, nil, nil, nil)
    private(set) var count = 0

    /// Stores `element` after the others; a fifth is a programming error.
    mutating func append(_ element: Element) {
        precondition(count < 4, "InlineFour: at most 4 elements")
        switch count {
        case 0: storage.0 = element
        case 1: storage.1 = element
        case 2: storage.2 = element
        default: storage.3 = element
        }
        count += 1
    }

    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "InlineFour: index \(index) out of range 0..<\(count)")
        switch index {
        case 0: return storage.0!
        case 1: return storage.1!
        case 2: return storage.2!
        default: return storage.3!
        }
    }

    static func == (a: Self, b: Self) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for index in 0..<count { hasher.combine(self[index]) }
    }
}
