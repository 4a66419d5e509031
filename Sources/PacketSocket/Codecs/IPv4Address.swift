/// An IPv4 address, written `10.0.0.1`.
public struct IPv4Address: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address as a number: `10.0.0.1` is `0x0A00_0001`.
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The address `a.b.c.d`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Reads four octets at `offset`; the caller has checked the bounds.
    init(_ buffer: UnsafeRawBufferPointer, at offset: Int) { rawValue = buffer.u32(offset) }

    /// Parses dotted-quad text (`192.168.1.1`); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        rawValue = value
    }

    public static let any = IPv4Address(rawValue: 0)
    public static let loopback = IPv4Address(127, 0, 0, 1)
    public static let broadcast = IPv4Address(rawValue: 0xFFFF_FFFF)

    func append(to buffer: inout [UInt8]) { buffer.appendBigEndian(rawValue) }

    public var description: String {
        var text: [UInt8] = []
        TextBuffer.appendIPv4(self, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.rawValue < b.rawValue }
}
