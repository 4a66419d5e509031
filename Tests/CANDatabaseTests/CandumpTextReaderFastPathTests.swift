import Testing
@testable import CANDatabase

/// The one-pass reading of candump -l lines (candecode-swift's hot path) against the general reader on the same
/// lines: valid ones of every length and id form, and the same lines with bytes replaced by lookalikes (lowercase
/// and non-hex letters, `#`, `R`, `_`, `.`, spaces, tabs, bytes above 0x7F), which must either read the same or be
/// left to the general reader.
@Suite struct CandumpTextReaderFastPathTests {
    @Test func plainLogLinesReadAsTheGeneralReaderReadsThem() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let hex = Array("0123456789ABCDEFabcdef".utf8)
        let lookalikes = Array("0aFfGg#R_. \t(:)-xX".utf8) + [0xC3, 0x7F, 0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67]
        var fast = 0, compared = 0
        for k in 0..<20_000 {
            var line = Array("(1700000000.\(100_000 + k % 900_000)) can\(k % 3) ".utf8)
            let extended = next() % 3 == 0
            for d in 0..<(extended ? 8 : 3) { line.append(hex[Int(next() % (d == 0 ? 2 : 16))]) }
            let fd = next() % 2 == 0
            line.append(UInt8(ascii: "#"))
            if fd { line.append(UInt8(ascii: "#")); line.append(hex[Int(next() % 16)]) }
            let lengths = fd ? [0, 1, 8, 12, 16, 20, 24, 32, 48, 64, 7, 9, 13] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            let count = lengths[Int(next() % UInt64(lengths.count))]
            for _ in 0..<(2 * count) { line.append(hex[Int(next() % UInt64(hex.count))]) }
            if next() % 10 == 0 { line = Array(line.prefix(line.count - Int(next() % 4))) }
            if k % 2 == 1 {
                for _ in 0..<(1 + next() % 2) { line[Int(next() % UInt64(line.count))] = lookalikes[Int(next() % UInt64(lookalikes.count))] }
            }
            line.withUnsafeBufferPointer { b in
                var a = CandumpTextReader.Fields(), g = CandumpTextReader.Fields()
                guard let isError = CandumpTextReader.parsePlainLogLine(b, into: &a) else { return }
                fast += 1
                let general = CandumpTextReader.parseAnyLine(b, into: &g)
                let text = String(decoding: line, as: UTF8.self)
                #expect(general?.0 == .log && general?.1 == !isError, "\(text)")
                #expect(a.rawID == g.rawID && a.isFD == g.isFD && a.count == g.count && a.remoteLength == g.remoteLength
                        && a.data[..<a.count] == g.data[..<g.count], "\(text)")
                compared += 1
            }
        }
        #expect(fast > 8_000 && compared == fast, "\(fast) lines took the one-pass path")
    }

    /// Calls `body` with `base` (eight bytes) with every byte value in every position, and those bytes as one
    /// little-endian word (the first byte in the low bits), as the eight-at-once readers load them.
    static func everyByteInEveryPosition(of base: String, _ body: ([UInt8], UInt64, String) -> Void) {
        for position in 0..<8 {
            for byte in 0...255 {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(byte)
                let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                body(bytes, word, "byte \(byte) at \(position)")
            }
        }
    }

    /// Eight hex digits at once against one digit at a time.
    @Test func hexWordAgreesWithDigits() {
        Self.everyByteInEveryPosition(of: "0123abCD") { digits, word, place in
            let values = digits.map { CandumpTextReader.hexValue($0) }
            let expected: UInt32? = values.contains(nil) ? nil : (0..<4).reduce(UInt32(0)) {
                $0 | UInt32(values[2 * $1]! << 4 | values[2 * $1 + 1]!) << (8 * UInt32($1))
            }
            #expect(CandumpTextReader.hexWord(word) == expected, "\(place)")
        }
    }

    /// The timestamp's eight-at-once scan against one byte at a time.
    @Test func timestampBytesAgreesWithOneByteAtATime() {
        Self.everyByteInEveryPosition(of: "1700.000") { bytes, word, place in
            let expected = bytes.firstIndex { !($0 >= 0x30 && $0 <= 0x39 || $0 == UInt8(ascii: ".")) } ?? 8
            #expect(CandumpTextReader.timestampBytes(word) == expected, "\(place)")
        }
    }
}
