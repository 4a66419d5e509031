#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A child process for the tests: the C tools (cansend, candump, isotpsend, ip, tcpdump, tshark) and this
/// package's executables.
package final class Subprocess {
    package let pid: pid_t
    /// The child's stdout and stderr, when captured, read after ``wait()``.
    private let stdoutPath: String?
    private let stderrPath: String?

    /// Starts `argv` (looked up on PATH), its stdout and stderr going to files when `capture` is set.
    /// With `directory`, the command runs there through `/bin/sh -c 'cd DIR && exec "$@"'`.
    package init(_ argv: [String], capture: Bool = true, directory: String? = nil) throws {
        let argv = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + argv } ?? argv
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if capture {
            let base = "/tmp/cantoolkit-test-\(getpid())-\(Subprocess.counter())"
            stdoutPath = base + ".out"
            stderrPath = base + ".err"
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            stdoutPath = nil
            stderrPath = nil
        }
        // A clean signal state: the test runner's threads may block or ignore signals, and children inherit that.
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
        guard rc == 0 else { throw SubprocessError(message: "posix_spawnp(\(argv[0])): error \(rc)") }
        self.pid = pid
    }

    private static let sequence = Mutex(0)
    private static func counter() -> Int { sequence.withLock { $0 += 1; return $0 } }

    /// Sends a signal.
    package func signal(_ signal: CInt) { kill(pid, signal) }

    /// Waits for the child to exit and returns its exit status (128 + signal when killed). A child still
    /// running after `timeout` is killed and -1 returned, so a hung tool fails its test instead of hanging it.
    @discardableResult
    package func wait(timeout: Duration = .seconds(60)) -> CInt {
        if let status = exitStatus { return status }
        let deadline = ContinuousClock.now + timeout
        var status: CInt = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result == -1 && errno != EINTR { exitStatus = -1; return -1 }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                exitStatus = -1
                return -1
            }
            pause(.milliseconds(10))
        }
        exitStatus = status & 0x7f != 0 ? 128 + (status & 0x7f) : (status >> 8) & 0xff
        return exitStatus!
    }

    private var exitStatus: CInt?

    /// Waits until the child has opened a socket and is blocked waiting for input, at most `timeout`: its set-up
    /// (options, filters, bind) is done, so traffic sent now reaches it.
    ///
    /// An open socket alone is not enough under load: candump, for one, sets its filters and binds after
    /// `socket()`, and frames sent in between are lost to it. One of the child's threads must also be sleeping in a
    /// call that waits for input (`/proc/PID/task/*/syscall`: poll, select, recv…, epoll_wait, read).
    /// - Returns: false when it did not within the time.
    @discardableResult
    package func waitForSocket(timeout: Duration = .seconds(30)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if hasSocket && isWaitingForInput { return true }
            pause(.milliseconds(20))
        }
        return false
    }

    private var hasSocket: Bool {
        guard let dir = opendir("/proc/\(pid)/fd") else { return false }
        defer { closedir(dir) }
        var target = [CChar](repeating: 0, count: 64)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let n = readlink("/proc/\(pid)/fd/\(name)", &target, target.count - 1)
            if n > 7, target.prefix(7).map({ UInt8(bitPattern: $0) }) == Array("socket:".utf8) { return true }
        }
        return false
    }

    /// x86_64 numbers of the calls a receiver sleeps in: read, poll, select, recvfrom, recvmsg, epoll_wait,
    /// pselect6, ppoll, epoll_pwait, recvmmsg, epoll_pwait2.
    private static let waitingCalls: Set<Int> = [0, 7, 23, 45, 47, 232, 270, 271, 281, 299, 441]

    /// Whether one of the child's threads sleeps in such a call (a tool may receive on a thread of its own).
    private var isWaitingForInput: Bool {
        guard let dir = opendir("/proc/\(pid)/task") else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let task = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard task.first?.isNumber == true else { continue }
            let fields = Self.read("/proc/\(pid)/task/\(task)/syscall").split(separator: " ")
            // "running" or gone: not waiting.
            if let first = fields.first, let number = Int(first), Self.waitingCalls.contains(number) { return true }
        }
        return false
    }

    package var stdout: String { Self.read(stdoutPath) }
    package var stderr: String { Self.read(stderrPath) }
    package var stdoutBytes: [UInt8] { Self.readBytes(stdoutPath) }

    package static func read(_ path: String?) -> String { String(decoding: readBytes(path), as: UTF8.self) }

    package static func readBytes(_ path: String?) -> [UInt8] { path.flatMap(PackageFiles.bytes) ?? [] }

    /// Runs `argv` to completion and returns its status, stdout and stderr.
    /// `timeout` as in ``wait(timeout:)``: after it the child is killed and the status is -1.
    package static func run(_ argv: [String], directory: String? = nil, timeout: Duration = .seconds(60)) throws -> (status: CInt, stdout: String, stderr: String) {
        let process = try Subprocess(argv, directory: directory)
        let status = process.wait(timeout: timeout)
        return (status, process.stdout, process.stderr)
    }

    deinit {
        if let stdoutPath { unlink(stdoutPath) }
        if let stderrPath { unlink(stderrPath) }
    }
}

package struct SubprocessError: Error, CustomStringConvertible {
    package let message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}

/// Sleeps the calling thread.
package func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; true when it held. For state the kernel
/// settles shortly after a call (a released socket, a child's descriptors), where a leak or a bug stays false.
package func eventually(timeout: Duration = .seconds(2), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        pause(.milliseconds(10))
    }
    return true
}
