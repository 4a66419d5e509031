@testable import SocketBase
import Testing

/// ByteText's decimal and hex appenders against the standard library's own formatting (printf's `%0*lu`, `%02X`).
@Suite("ByteText")
struct ByteTextTests {
    static let values: [UInt64] = {
        var values: [UInt64] = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 999_999, 1_000_000, 1_700_000_000,
                                9_999_999_999, 10_000_000_000, UInt64(Int64.max), UInt64.max - 1, UInt64.max]
        var generator = SystemRandomNumberGenerator()
        for digits in 1...19 {
            var power: UInt64 = 1
            for _ in 1..<digits { power *= 10 }
            values += [power - 1, power, power + 1, UInt64.random(in: power...(power * 10 - 1), using: &generator)]
        }
        return values
    }()

    @Test("appendDecimal equals String(value) zero-padded, for every width from 0 to 25")
    func decimal() {
        for value in Self.values {
            for width in 0...25 {
                var buffer: [UInt8] = Array("x".utf8)
                ByteText.appendDecimal(value, minimumDigits: width, to: &buffer)
                let digits = String(value)
                let expected = "x" + String(repeating: "0", count: max(0, width - digits.count)) + digits
                #expect(String(decoding: buffer, as: UTF8.self) == expected, "\(value), width \(width)")
            }
        }
        var negative: [UInt8] = []
        ByteText.appendDecimal(Int32.min, minimumDigits: 1, to: &negative)
        #expect(String(decoding: negative, as: UTF8.self) == "-2147483648")
    }

    @Test("appendHexBytes equals %02X per byte, with and without a separator, either case")
    func hexBytes() {
        let bytes = (0...255).map { UInt8($0) }
        for count in [0, 1, 2, 8, 64, 256] {
            let slice = Array(bytes.shuffled().prefix(count))
            for (separator, letterCase) in [(nil, ByteText.Case.upper), (UInt8(ascii: "."), .upper), (nil, .lower)] {
                var buffer: [UInt8] = Array("x".utf8)
                slice.withUnsafeBytes { ByteText.appendHexBytes($0, separator: separator, letterCase, to: &buffer) }
                let hex = slice.map { byte -> String in
                    let text = String(byte, radix: 16, uppercase: letterCase == .upper)
                    return text.count == 1 ? "0" + text : text
                }
                let expected = "x" + hex.joined(separator: separator.map { String(UnicodeScalar($0)) } ?? "")
                #expect(String(decoding: buffer, as: UTF8.self) == expected, "\(count) bytes, \(String(describing: separator))")
            }
        }
    }
}
