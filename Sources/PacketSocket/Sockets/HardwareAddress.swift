/// A link-layer (hardware) address of up to 8 bytes, as `sockaddr_ll.sll_addr` holds it: a MAC address on Ethernet.
///
/// A value type without heap storage, so received packets can carry their source address without allocating.
public struct HardwareAddress: Hashable, Sendable, CustomStringConvertible {
    /// The bytes, `count` of them meaningful; the rest zero.
    public private(set) var storage: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// The number of bytes (`sll_halen`): 6 for Ethernet, 0 for none.
    public let count: Int

    /// The address of `bytes` (at most 8).
    public init(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count <= 8, "a hardware address has at most 8 bytes, not \(bytes.count)")
        count = bytes.count
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
    }

    /// Reads `count` (clamped to 8) bytes at `pointer`.
    init(copying pointer: UnsafeRawPointer, count: Int) {
        // One copy of at most 8 bytes, without the generic collection copy (this runs once per received packet).
        self.count = max(0, min(count, 8))
        withUnsafeMutableBytes(of: &storage) { $0.baseAddress!.copyMemory(from: pointer, byteCount: self.count) }
    }

    /// The empty address.
    public static let none = HardwareAddress([UInt8]())
    /// The Ethernet broadcast address `ff:ff:ff:ff:ff:ff`.
    public static let broadcast = HardwareAddress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])

    /// Parses `aa:bb:cc:dd:ee:ff` (1 to 8 hex bytes separated by `:`); `nil` when malformed.
    public init?(_ text: String) {
        var bytes: [UInt8] = []
        for part in text.split(separator: ":", omittingEmptySubsequences: false) {
            guard (1...2).contains(part.count), let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        guard (1...8).contains(bytes.count) else { return nil }
        self.init(bytes)
    }

    /// The meaningful bytes.
    public var bytes: [UInt8] { Swift.withUnsafeBytes(of: storage) { Array($0.prefix(count)) } }

    /// Calls `body` with the meaningful bytes, without copying them to the heap.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }

    public static func == (a: Self, b: Self) -> Bool { a.count == b.count && a.bytes == b.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// Lowercase hex bytes joined by `:`, as `ip link` and tcpdump print them.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }
}
