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
}
