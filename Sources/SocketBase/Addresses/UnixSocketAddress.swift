#if canImport(Glibc)
import Glibc
#endif

/// A Unix domain socket address (`struct sockaddr_un`): a file system path, or a name in Linux's abstract
/// namespace (written with a leading `@`, stored with a leading NUL byte).
public struct UnixSocketAddress: SocketAddress, Hashable {
    /// The path, or `@name` for an abstract address; empty for an unnamed socket.
    public let path: String

    /// The longest path `sun_path` holds, without the terminating NUL.
    public static let maximumPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Creates an address for `path`; a leading `@` selects the abstract namespace.
    /// - Throws: ``InvalidArgumentError`` naming the path when it does not fit `sun_path`.
    public init(path: String) throws {
        guard path.utf8.count <= Self.maximumPathLength else {
            throw InvalidArgumentError("Unix socket path", value: path,
                                       reason: "longer than sun_path (\(MemoryLayout.size(ofValue: sockaddr_un().sun_path)) bytes)")
        }
        self.path = path
    }

    public init?(_ any: AnySocketAddress) {
        guard any.family == .unix else { return nil }
        let bytes = any.bytes.dropFirst(MemoryLayout<sa_family_t>.size)
        if bytes.first == 0 {
            path = "@" + String(decoding: bytes.dropFirst(), as: UTF8.self)
        } else {
            path = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    public var family: AddressFamily { .unix }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var sun = sockaddr_un()
        sun.sun_family = sa_family_t(AF_UNIX)
        let abstract = path.hasPrefix("@")
        let name = Array(abstract ? path.utf8.dropFirst() : path.utf8[...])
        let offset = MemoryLayout<sa_family_t>.size
        let length = offset + (abstract ? 1 : 0) + name.count + (abstract ? 0 : 1)
        withUnsafeMutableBytes(of: &sun.sun_path) { raw in
            raw.copyBytes(from: name.count + (abstract ? 1 : 0) <= raw.count
                ? (abstract ? [0] + name : name) : [])
        }
        return try withUnsafeBytes(of: sun) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(length))
        }
    }

    public var description: String { path.isEmpty ? "(unnamed)" : path }
}
