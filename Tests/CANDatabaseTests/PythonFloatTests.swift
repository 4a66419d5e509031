import Foundation
import Testing
import ToolkitTestSupport
@testable import CANDatabase

/// PythonFloat.repr against Python's own repr for the same doubles (given to Python as exact bit patterns).
@Suite struct PythonFloatTests {
    @Test func reprEqualsPythons() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 2104.5, 1e16, 9007199254740992, 1e15, 1e-4, 1e-5, 123456789012345678,
                                5e-324, .greatestFiniteMagnitude, .infinity, -.infinity, 0.5, 100, 1e22, 1.5e-7, 12345.678]
        for _ in 0..<3000 { values.append(Double(bitPattern: next())) }
        for _ in 0..<2000 { values.append(Double(Int64(bitPattern: next()) >> (next() % 60)) * [0.1, 0.01, 0.001, 1, 0.5, 0.25, 1e-6][Int(next() % 7)]) }
        // Where the runtime's digits are copied as they are (1e-4 <= |v| < 2^53), its bounds on both sides, and
        // full-precision values of every magnitude in between.
        for bound in [1e-4, 0x1p53] { values += [bound.nextDown, bound, bound.nextUp, -bound.nextDown, -bound.nextUp] }
        for _ in 0..<3000 {
            let scale = Double(sign: .plus, exponent: Int(next() % 67) - 14, significand: 1)
            values.append((Double(next() >> 11) / 0x1p53 + 0.5) * scale * (next() % 2 == 0 ? 1 : -1))
        }
        let bits = values.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
        let script = "import struct,sys\nfor h in sys.argv[1:]: print(repr(struct.unpack('<d', int(h,16).to_bytes(8,'little'))[0]))"
        let run = try Subprocess.run(["python3", "-c", script] + bits.split(separator: " ").map(String.init))
        #expect(run.status == 0)
        let theirs = run.stdout.split(separator: "\n").map(String.init)
        #expect(theirs.count == values.count)
        var mismatches: [String] = []
        for (v, t) in zip(values, theirs) where !v.isNaN && PythonFloat.repr(v) != t { mismatches.append("\(PythonFloat.repr(v)) vs \(t)") }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// The one-step path candecode-swift takes for scaled integer signals (the factor's and offset's decimals
    /// tried first) against Python's repr of the same raw × factor + offset, with raw values small and large
    /// (fixed notation, exponents, results that need more decimals than the factor: 0.30000000000000004).
    @Test func reprWithDecimalsGuessEqualsPythons() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let scalings: [(Double, Double)] = [(0.1, 0), (0.01, -40), (0.05, 0), (0.5, 0.5), (0.0625, -273.15), (0.392157, 0),
                                            (0.001, 0), (1e-06, 0), (6.28, 1), (0.1, -1e-05), (2.5e-07, 0), (0.02, -100)]
        var values: [Double] = [], hints: [Int] = []
        for (factor, offset) in scalings {
            let decimals = MessageLayout.decimals(factor, offset)
            for k in 0..<300 {
                let raw = Double(Int64(bitPattern: next()) >> (k < 100 ? 56 : next() % 63))
                values.append(raw * factor + offset)
                hints.append(decimals)
            }
        }
        #expect(MessageLayout.decimals(0.01, -40) == 2 && MessageLayout.decimals(0.5, 0) == 1 && MessageLayout.decimals(1, 0) == 0)
        #expect(MessageLayout.decimals(1e-06, 0) == -1, "an exponent gives no guess")
        let script = "import struct,sys\nfor h in sys.argv[1:]: print(repr(struct.unpack('<d', int(h,16).to_bytes(8,'little'))[0]))"
        let run = try Subprocess.run(["python3", "-c", script] + values.map { String($0.bitPattern, radix: 16) })
        #expect(run.status == 0)
        let theirs = run.stdout.split(separator: "\n").map(String.init)
        #expect(theirs.count == values.count)
        var mismatches: [String] = []
        for ((v, d), t) in zip(zip(values, hints), theirs) {
            var room = [UInt8](repeating: 0, count: 48)
            let n = room.withUnsafeMutableBufferPointer { buffer in
                var cursor = ByteCursor(buffer.baseAddress!)
                PythonFloat.writeRepr(v, decimals: d, to: &cursor)
                return cursor.count(from: buffer.baseAddress!)
            }
            let ours = String(decoding: room[..<n], as: UTF8.self)
            if ours != t { mismatches.append("\(ours) vs \(t) (decimals \(d))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
