/// A small JSON reader for `serve`'s configuration (objects, arrays, strings, numbers, booleans, null).
///
/// uds-swift does not link Foundation: loading it (and its ICU data) takes seconds on a cold page cache and
/// over half a minute inside the TCG test VM, where every tool starts from a 9p share.
enum JSONValue: Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.bool(x), .bool(y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let message: String
        let line: Int
        let column: Int
        var description: String { "line \(line), column \(column): \(message)" }
    }

    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.i == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        func error(_ message: String) -> SyntaxError {
            var line = 1, column = 1
            for b in bytes[..<min(i, bytes.count)] { if b == 0x0A { line += 1; column = 1 } else { column += 1 } }
            return SyntaxError(message: message, line: line, column: column)
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            guard consume(c) else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
        }

        /// Skips white space and then `c` if it comes next.
        mutating func consume(_ c: UInt8) -> Bool {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        /// After a member or an item of an object or array: true at its closing `close` (consumed), false after a
        /// comma (consumed).
        /// - Throws: At the end of the input (`unterminated object`) or at anything else.
        mutating func listEnds(_ close: UInt8, _ what: String) throws -> Bool {
            skipSpace()
            guard i < bytes.count else { throw error("unterminated \(what)") }
            guard bytes[i] == UInt8(ascii: ",") || bytes[i] == close else {
                throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
            }
            i += 1
            return bytes[i - 1] == close
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 64 else { throw error("nested too deeply") }
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSONValue)] = []
                if consume(UInt8(ascii: "}")) { return .object(members) }
                repeat {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value(depth: depth + 1)))
                } while try !listEnds(UInt8(ascii: "}"), "object")
                return .object(members)
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONValue] = []
                if consume(UInt8(ascii: "]")) { return .array(items) }
                repeat {
                    items.append(try value(depth: depth + 1))
                } while try !listEnds(UInt8(ascii: "]"), "array")
                return .array(items)
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                let start = i
                while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
                guard i > start, let n = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                    i = start
                    throw error("unexpected character")
                }
                return .number(n)
            }
        }

        mutating func literal(_ word: String, _ value: JSONValue) throws -> JSONValue {
            guard bytes[i...].starts(with: word.utf8) else { throw error("unexpected word") }
            i += word.utf8.count
            return value
        }

        mutating func string() throws -> String {
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else { out.append(c); continue }
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(v) else { throw error("bad \\u escape") }
                    i += 4
                    out += Array(String(Character(scalar)).utf8)
                default: out.append(e)
                }
            }
            throw error("unterminated string")
        }
    }

    /// The member `key` of an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }
}
