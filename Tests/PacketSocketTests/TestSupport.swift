#if canImport(Glibc)
import Glibc
#endif
@testable import PacketSocket

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

/// Runs `argv` to completion and returns its exit status and stdout (stderr is discarded).
func run(_ argv: [String], timeoutSeconds: Int = 60) throws -> (status: CInt, output: String) {
    let outPath = temporaryPath("out-\(UInt32.random(in: 0...UInt32.max))")
    defer { unlink(outPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
    guard rc == 0 else { throw TestFailure("posix_spawnp(\(argv[0])): error \(rc)") }
    var status: CInt = 0
    var waited = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if waited > timeoutSeconds * 100 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            throw TestFailure("\(argv[0]) timed out")
        }
        usleep(10_000)
        waited += 1
    }
    let exitStatus = status & 0x7f != 0 ? 128 + (status & 0x7f) : (status >> 8) & 0xff
    return (exitStatus, readFile(outPath))
}

/// The contents of a file as text ("" when missing).
func readFile(_ path: String) -> String { String(decoding: readBytes(path), as: UTF8.self) }

/// The raw contents of a file ([] when missing).
func readBytes(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "r") else { return [] }
    defer { fclose(file) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        result.append(contentsOf: chunk[0..<n])
    }
    return result
}

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

/// Starts `argv` in the background with stdout and stderr discarded and a clean signal state (the test
/// runner's threads block signals, and children inherit that); returns its pid.
func spawnBackground(_ argv: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t(), all = sigset_t()
    sigemptyset(&empty)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, environ)
    guard rc == 0 else { throw TestFailure("posix_spawnp(\(argv[0])): error \(rc)") }
    return pid
}

/// Waits up to `seconds` for `pid` to exit; kills it if it does not. Returns whether it exited by itself.
@discardableResult
func waitForExit(_ pid: pid_t, seconds: Int) -> Bool {
    var status: CInt = 0
    for _ in 0..<(seconds * 100) {
        if waitpid(pid, &status, WNOHANG) == pid { return true }
        usleep(10_000)
    }
    kill(pid, SIGKILL)
    waitpid(pid, &status, 0)
    return false
}
