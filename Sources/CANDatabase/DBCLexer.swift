/// One token of a DBC file, with where it starts.
struct DBCToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// Letters, digits and `_`, not all digits: keywords, names, `m3M`.
        case word
        /// `[-+]?digits[.digits][e[+-]digits]`.
        case number
        /// A `"..."` string, `\"` unescaped (as Vector tools and cantools read it); may span lines.
        case string
        /// One of `( ) [ ] , @ ; : | + -`.
        case punctuation
    }

    let kind: Kind
    let text: String
    let line: Int
    let column: Int
}

/// Splits a DBC file into tokens: whitespace and `//` comments between them are dropped.
enum DBCLexer {
    static func tokenize(_ bytes: [UInt8]) throws(DBCParseError) -> [DBCToken] {
        var tokens: [DBCToken] = []
        tokens.reserveCapacity(bytes.count / 4)
        var index = 0
        var line = 1
        var lineStart = 0

        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isWordByte(_ b: UInt8) -> Bool {
            isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }

        while index < bytes.count {
            let byte = bytes[index]
            let column = index - lineStart + 1
            switch byte {
            case 0x0A:
                index += 1; line += 1; lineStart = index
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                index += 1
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/"):
                while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            case UInt8(ascii: "\""):
                let startLine = line
                var text: [UInt8] = []
                index += 1
                var closed = false
                while index < bytes.count {
                    let b = bytes[index]
                    if b == UInt8(ascii: "\\") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        text.append(UInt8(ascii: "\"")); index += 2; continue
                    }
                    if b == UInt8(ascii: "\"") { closed = true; index += 1; break }
                    if b == 0x0D {
                        // Python's text mode (cantools) reads "\r\n" and a lone "\r" as "\n".
                        if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                        line += 1; lineStart = index + 1
                        text.append(0x0A); index += 1; continue
                    }
                    if b == 0x0A { line += 1; lineStart = index + 1 }
                    text.append(b)
                    index += 1
                }
                guard closed else {
                    throw DBCParseError("unterminated string (no closing '\"')", line: startLine, column: column)
                }
                tokens.append(DBCToken(kind: .string, text: windows1252(text), line: startLine, column: column))
            default:
                // A number: optional sign, digits, optional fraction and exponent, not followed by a word byte.
                var end = index
                if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) { end += 1 }
                let digitsStart = end
                while end < bytes.count && isDigit(bytes[end]) { end += 1 }
                if end > digitsStart {
                    if end < bytes.count && bytes[end] == UInt8(ascii: ".") {
                        end += 1
                        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
                    }
                    if end < bytes.count && (bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E")) {
                        var e = end + 1
                        if e < bytes.count && (bytes[e] == UInt8(ascii: "-") || bytes[e] == UInt8(ascii: "+")) { e += 1 }
                        let expStart = e
                        while e < bytes.count && isDigit(bytes[e]) { e += 1 }
                        if e > expStart { end = e }
                    }
                    let signed = digitsStart > index
                    if end >= bytes.count || !isWordByte(bytes[end]) || signed {
                        tokens.append(DBCToken(kind: .number, text: String(decoding: bytes[index..<end], as: UTF8.self),
                                               line: line, column: column))
                        index = end
                        continue
                    }
                }
                if isWordByte(byte) {
                    var end = index
                    while end < bytes.count && isWordByte(bytes[end]) { end += 1 }
                    tokens.append(DBCToken(kind: .word, text: String(decoding: bytes[index..<end], as: UTF8.self),
                                           line: line, column: column))
                    index = end
                    continue
                }
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
                     UInt8(ascii: "@"), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: "+"),
                     UInt8(ascii: "-"):
                    tokens.append(DBCToken(kind: .punctuation, text: String(UnicodeScalar(byte)), line: line, column: column))
                    index += 1
                default:
                    let shown = byte >= 0x20 && byte < 0x7F ? "'\(UnicodeScalar(byte))'" : "byte 0x\(String(byte, radix: 16))"
                    throw DBCParseError("unexpected character \(shown)", line: line, column: column)
                }
            }
        }
        return tokens
    }

    /// DBC files are Windows-1252 (the encoding cantools and Vector tools read them in); the five bytes that
    /// code page leaves undefined become U+FFFD, as Python's `errors='replace'` makes them.
    static func windows1252(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            let value: UInt32 = b < 0x80 || b >= 0xA0 ? UInt32(b) : high[Int(b - 0x80)]
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    private static let high: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]
}
