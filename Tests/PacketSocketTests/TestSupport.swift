#if canImport(Glibc)
import Glibc
#endif
@testable import PacketSocket
import ToolkitTestSupport

/// Bytes from a hex string ("0a0b..."); traps on bad input (test data only).
func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    precondition(digits.count % 2 == 0, "odd hex length")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: preconditionFailure("bad hex digit")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// A unique temporary path for this process.
func temporaryPath(_ name: String) -> String {
    "/tmp/packetsocket-test-\(getpid())-\(name)"
}

/// Whether an executable is on PATH.
func toolExists(_ name: String) -> Bool {
    for directory in ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"] where access(directory + "/" + name, X_OK) == 0 {
        return true
    }
    return false
}

/// Runs `argv` to completion (at most 60 s) and returns its exit status and stdout.
func run(_ argv: [String]) throws -> (status: CInt, output: String) {
    let result = try Subprocess.run(argv)
    return (result.status, result.stdout)
}

/// The raw contents of a file ([] when missing).
func readBytes(_ path: String) -> [UInt8] { PackageFiles.bytes(path) ?? [] }

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A small deterministic generator (SplitMix64) so mutation tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    /// Runs `body` on the bytes.
    func withBuffer<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
}


