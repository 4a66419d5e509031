import SocketBase

/// isotpsend's input: space-separated hex bytes (`11 22 AA`), read from stdin.
enum HexInput {
    /// A token that is not a hex byte, with where it is.
    struct SyntaxError: Error, CustomStringConvertible {
        let token: String
        let index: Int
        let line: Int
        let column: Int
        var description: String {
            "stdin line \(line), column \(column): '\(token)' (byte \(index + 1)) is not a hex byte (00-FF)"
        }
    }

    /// Parses whitespace-separated hex bytes: one or two digits each, an optional `0x` prefix.
    /// - Parameter limit: The most bytes accepted; parsing stops with `tooMany` past it.
    static func parse(_ text: [UInt8], limit: Int) throws -> (bytes: [UInt8], tooMany: Bool) {
        var result: [UInt8] = []
        var line = 1, column = 1
        var i = 0
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }
        while i < text.count {
            let c = text[i]
            if isSpace(c) {
                if c == 0x0A { line += 1; column = 1 } else { column += 1 }
                i += 1
                continue
            }
            let start = i, startColumn = column
            while i < text.count && !isSpace(text[i]) { i += 1; column += 1 }
            var token = text[start..<i]
            if token.count > 2, token.first == 0x30, token.dropFirst().first == 0x78 || token.dropFirst().first == 0x58 {
                token = token.dropFirst(2)
            }
            guard (1...2).contains(token.count), let values = Optional(token.compactMap(ByteText.hexValue)), values.count == token.count else {
                throw SyntaxError(token: String(decoding: text[start..<i], as: UTF8.self), index: result.count,
                                  line: line, column: startColumn)
            }
            if result.count == limit { return (result, true) }
            result.append(values.reduce(0) { $0 << 4 | $1 })
        }
        return (result, false)
    }

    /// isotpsend's `-D <len>` PDU: byte i is `(i % 0xFF) + 1`.
    static func pattern(length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: ($0 % 0xFF) + 1) }
    }
}
