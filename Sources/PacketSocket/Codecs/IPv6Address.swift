/// An IPv6 address, written as `inet_ntop(3)` does (RFC 5952: `2001:db8::1`, `::ffff:10.0.0.1`).
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first eight octets as a big-endian number.
    public var high: UInt64
    /// The last eight octets as a big-endian number.
    public var low: UInt64

    /// The address from its two 64-bit halves (big-endian numbers).
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Builds an address from its eight 16-bit groups.
    public init(groups: [UInt16]) {
        precondition(groups.count == 8, "IPv6Address: 8 groups")
        high = groups[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = groups[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    /// Reads sixteen octets at `offset`; the caller has checked the bounds.
    init(_ buffer: UnsafeRawBufferPointer, at offset: Int) {
        high = UInt64(buffer.u32(offset)) << 32 | UInt64(buffer.u32(offset + 4))
        low = UInt64(buffer.u32(offset + 8)) << 32 | UInt64(buffer.u32(offset + 12))
    }

    /// Parses IPv6 text (`fe80::1`, `::ffff:1.2.3.4`); nil for anything else.
    public init?(_ text: String) {
        var text = Substring(text)
        var tail: [UInt16] = []
        // A trailing dotted quad fills the last two groups.
        if let lastColon = text.lastIndex(of: ":"), text[lastColon...].contains(".") {
            guard let v4 = IPv4Address(String(text[text.index(after: lastColon)...])) else { return nil }
            tail = [UInt16(v4.rawValue >> 16), UInt16(truncatingIfNeeded: v4.rawValue)]
            text = text[...lastColon]
            if text.hasSuffix("::") == false { text = text.dropLast() }
        }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        var all: [UInt16]
        let characters = Array(text.utf8)
        if let double = characters.indices.dropLast().first(where: { characters[$0] == 0x3A && characters[$0 + 1] == 0x3A }) {
            let lower = text.utf8.index(text.startIndex, offsetBy: double)
            let upper = text.utf8.index(lower, offsetBy: 2)
            let after = text[upper...]
            guard let head = groups(text[..<lower]), let rest = groups(after) else { return nil }
            let present = head.count + rest.count + tail.count
            guard present <= 7 else { return nil }
            all = head + Array(repeating: 0, count: 8 - present) + rest + tail
        } else {
            guard let plain = groups(text) else { return nil }
            all = plain + tail
        }
        guard all.count == 8 else { return nil }
        self.init(groups: all)
    }

    public static let unspecified = IPv6Address(high: 0, low: 0)
    public static let loopback = IPv6Address(high: 0, low: 1)

    /// The eight 16-bit groups.
    public var groups: [UInt16] {
        (0..<8).map { index in
            let half = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: half >> (UInt64(3 - index % 4) * 16))
        }
    }

    func append(to buffer: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
    }

    public var description: String {
        var text: [UInt8] = []
        TextBuffer.appendIPv6(self, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    public static func < (a: IPv6Address, b: IPv6Address) -> Bool { (a.high, a.low) < (b.high, b.low) }
}
