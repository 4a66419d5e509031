#if canImport(Glibc)
import Glibc
#endif
import SocketBase
import Testing
import ToolkitTestSupport

/// Descriptor facts read straight from the kernel, independent of the code under test.
enum FD {
    static func isOpen(_ fd: CInt) -> Bool { fcntl(fd, F_GETFD) != -1 }
    static func isCloseOnExec(_ fd: CInt) -> Bool { fcntl(fd, F_GETFD) & FD_CLOEXEC != 0 }
    static func isNonBlocking(_ fd: CInt) -> Bool { fcntl(fd, F_GETFL) & O_NONBLOCK != 0 }

    /// The number of open descriptors of this process, from /proc/self/fd.
    static func openCount() -> Int { PackageFiles.openDescriptorCount() }

    /// Whether the process holds more descriptors than `before` for 5 s on end. Other suites run in parallel and
    /// open and close descriptors of their own meanwhile; a leak stays, their use passes.
    static func leaked(since before: Int) -> Bool { !eventually(timeout: .seconds(5)) { openCount() <= before } }
}

/// Runs a program with posix_spawn and returns its exit status.
/// - Parameter passing: a descriptor to hand to the child as its fd 3 (dup2 clears close-on-exec there).
func spawn(_ argv: [String], passing descriptor: CInt? = nil) -> CInt {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let descriptor { posix_spawn_file_actions_adddup2(&actions, descriptor, 3) }
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
    guard rc == 0 else { return -1 }
    var status: CInt = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (status >> 8) & 0xFF
}

/// Whether python3 is on PATH (it is wherever scripts/test ran its installs).
let havePython = spawn(["python3", "-c", "pass"]) == 0

/// Every SocketBase suite nests here and runs serially: one test changes the process-wide default timeout.
@Suite("SocketBase", .serialized)
struct SocketBaseTests {}
