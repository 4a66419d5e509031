#if canImport(Glibc)
import Glibc
#endif

/// The running Linux kernel's version, from `uname(2)`'s `release` (e.g. `6.12.95+deb12-amd64`), for features
/// that depend on it: CAN XL (6.1), ISO-TP's `max_pdu_size` (6.4), CAN XL VCIDs (6.9).
public struct LinuxKernelVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int
    /// The whole release string, as `uname -r` prints it.
    public let release: String

    /// Parses a release string: `X.Y[.Z]` followed by anything (`-amd64`, `+deb12-amd64`, `-rc1`).
    public init?(release: String) {
        var numbers: [Int] = []
        var current: Int? = nil
        for byte in release.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                current = (current ?? 0) * 10 + Int(byte - 0x30)
            } else {
                guard let value = current else { break }
                numbers.append(value)
                current = nil
                if byte != UInt8(ascii: ".") || numbers.count == 3 { break }
            }
        }
        if let current, numbers.count < 3 { numbers.append(current) }
        guard numbers.count >= 2 else { return nil }
        major = numbers[0]
        minor = numbers[1]
        patch = numbers.count > 2 ? numbers[2] : 0
        self.release = release
    }

    /// The running kernel (`uname(2)`), read once.
    public static let running: LinuxKernelVersion? = {
        RunningSystem.kernelRelease().flatMap(LinuxKernelVersion.init(release:))
    }()

    /// Whether this is version `major.minor` or later.
    public func isAtLeast(_ major: Int, _ minor: Int) -> Bool { (self.major, self.minor) >= (major, minor) }

    public static func < (a: Self, b: Self) -> Bool { (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }

    public var description: String { release }
}
