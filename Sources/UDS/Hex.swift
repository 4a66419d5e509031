/// Hex text for identifiers and data: uppercase, two digits a byte.
package enum Hex {
    private static let digits = Array("0123456789ABCDEF".utf8)

    /// `0A`.
    package static func byte(_ value: UInt8) -> String {
        String(decoding: [digits[Int(value >> 4)], digits[Int(value & 0xF)]], as: UTF8.self)
    }

    /// `F190` for a data identifier.
    package static func word(_ value: UInt16) -> String { byte(UInt8(value >> 8)) + byte(UInt8(value & 0xFF)) }

    /// `DEADBEEF` (no separators).
    package static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for b in bytes { text.append(digits[Int(b >> 4)]); text.append(digits[Int(b & 0xF)]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses hex digits with optional spaces, `.`, `:` or `-` between bytes and an optional `0x` prefix.
    /// - Returns: nil when a character is not a hex digit or the digit count is odd.
    package static func parse(_ text: some StringProtocol) -> [UInt8]? {
        var body = Substring(text)
        if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        var nibbles: [UInt8] = []
        for c in body.utf8 {
            switch c {
            case 0x30...0x39: nibbles.append(c - 0x30)
            case 0x41...0x46: nibbles.append(c - 0x41 + 10)
            case 0x61...0x66: nibbles.append(c - 0x61 + 10)
            case 0x20, 0x2E, 0x3A, 0x2D, 0x09: continue
            default: return nil
            }
        }
        guard nibbles.count % 2 == 0 else { return nil }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }
}
