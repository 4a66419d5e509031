#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import ToolkitTestSupport

/// Whether this machine can run the AF_PACKET tests, detected once.
///
/// `scripts/test` runs them as root with `PACKET_REQUIRED=1`: then they always run, so a missing privilege or a
/// failure to create a veth pair fails them instead of skipping them. Elsewhere they skip when not root.
enum PacketEnvironment {
    static let isRoot = geteuid() == 0
    /// The test run demands the veth tests (set by scripts/test when root).
    static let required = getenv("PACKET_REQUIRED").map { String(cString: $0) == "1" } ?? false
    static let shouldRun = required || isRoot

    static var packageRoot: String { PackageFiles.root }

    static func product(_ name: String) -> String { PackageFiles.product(name) }

    private static let sequence = Mutex(0)
    static func next() -> Int { sequence.withLock { $0 += 1; return $0 } }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test as root, or always when `PACKET_REQUIRED=1` (then a missing privilege fails it).
    static var needsRoot: Self {
        .enabled(if: PacketEnvironment.shouldRun, "needs root for AF_PACKET, veth and ip netns (scripts/test runs it as root)")
    }
}

struct EnvironmentError: Error, CustomStringConvertible {
    let description: String
}

/// A veth pair with its own network namespace: `outside` stays in this namespace, `inside` is moved into `namespace`.
/// No IP addresses and IPv6 off on both ends, so the only traffic is what a test sends. ``remove()`` (or deinit)
/// deletes the namespace, which deletes both ends.
final class VethPair {
    let namespace: String
    let outside: String
    let inside: String
    let outsideMAC: String
    let insideMAC: String
    private var removed = false

    /// Namespaces (and their veth pairs) left by a test process that was killed before its pairs were removed:
    /// `ctk-PID-N` whose PID no longer runs. Deleted once, before this process makes its first pair.
    private static let staleRemoved: Void = {
        let listed = (try? Subprocess.run(["ip", "netns", "list"]).stdout) ?? ""
        for line in listed.split(separator: "\n") {
            let name = line.prefix { $0 != " " }
            let parts = name.split(separator: "-")
            guard parts.count == 3, parts[0] == "ctk", let pid = Int32(parts[1]), let n = Int(parts[2]),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            _ = try? Subprocess.run(["ip", "link", "del", "ck\(pid % 100_000)x\(n)a"])
            _ = try? Subprocess.run(["ip", "netns", "del", String(name)])
        }
    }()

    init() throws {
        _ = Self.staleRemoved
        let n = PacketEnvironment.next()
        let tag = "\(getpid() % 100_000)x\(n)"
        namespace = "ctk-\(getpid())-\(n)"
        outside = "ck\(tag)a"
        inside = "ck\(tag)b"
        let suffix = String(hexByte: n)
        outsideMAC = "02:c7:00:00:\(suffix):01"
        insideMAC = "02:c7:00:00:\(suffix):02"
        do {
            try Self.ip(["netns", "add", namespace])
            try Self.ip(["link", "add", outside, "address", outsideMAC, "type", "veth", "peer", "name", inside, "address", insideMAC])
            try Self.ip(["link", "set", inside, "netns", namespace])
            try Self.write("1", to: "/proc/sys/net/ipv6/conf/\(outside)/disable_ipv6")
            try Self.run(["ip", "netns", "exec", namespace, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/\(inside)/disable_ipv6"])
            try Self.ip(["link", "set", outside, "up"])
            try Self.ip(["-n", namespace, "link", "set", inside, "up"])
            try waitUntilUp()
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    /// Deletes the namespace and the pair; safe to call twice.
    func remove() {
        guard !removed else { return }
        removed = true
        _ = try? Subprocess.run(["ip", "link", "del", outside])
        _ = try? Subprocess.run(["ip", "netns", "del", namespace])
    }

    /// Waits for the carrier on both ends (veth reports it once both are up).
    private func waitUntilUp() throws {
        for _ in 0..<300 {
            if Self.read("/sys/class/net/\(outside)/operstate").hasPrefix("up") { return }
            pause(.milliseconds(10))
        }
        throw EnvironmentError(description: "\(outside) did not come up")
    }

    /// The interface flags of the outside end (`IFF_*`), from sysfs.
    var outsideFlags: Int {
        Int(Self.read("/sys/class/net/\(outside)/flags").dropFirst(2).prefix { $0 != "\n" }, radix: 16) ?? -1
    }

    /// Runs `body` with this thread in the pair's namespace (`setns(2)`), then returns the thread to its own.
    /// Sockets created inside stay in that namespace.
    func insideNamespace<R>(_ body: () throws -> R) throws -> R {
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else { throw EnvironmentError(description: "open /proc/thread-self/ns/net: errno \(errno)") }
        defer { close(original) }
        let target = open("/var/run/netns/\(namespace)", O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw EnvironmentError(description: "open /var/run/netns/\(namespace): errno \(errno)") }
        defer { close(target) }
        guard setns(target, cloneNewNet) == 0 else { throw EnvironmentError(description: "setns(\(namespace)): errno \(errno)") }
        defer { precondition(setns(original, cloneNewNet) == 0, "could not return to the test's network namespace") }
        return try body()
    }

    static func ip(_ arguments: [String]) throws { try run(["ip"] + arguments) }

    static func run(_ argv: [String]) throws {
        let result = try Subprocess.run(argv)
        guard result.status == 0 else {
            throw EnvironmentError(description: "\(argv.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }

    static func write(_ text: String, to path: String) throws { try PackageFiles.write(text, to: path) }

    static func read(_ path: String) -> String { Subprocess.read(path) }
}

/// `CLONE_NEWNET`.
private let cloneNewNet: CInt = 0x4000_0000

/// glibc's `setns(2)`, declared only with _GNU_SOURCE: looked up once.
private let setns: @convention(c) (CInt, CInt) -> CInt = {
    unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns")!, to: (@convention(c) (CInt, CInt) -> CInt).self)
}()

extension String {
    /// Two lowercase hex digits of the low byte.
    init(hexByte value: Int) {
        let digits = String(value & 0xFF, radix: 16)
        self = digits.count == 1 ? "0" + digits : digits
    }
}
