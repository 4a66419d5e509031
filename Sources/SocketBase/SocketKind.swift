#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

/// A socket type (`SOCK_*`): the second argument of `socket(2)`. Python calls this `SocketKind`.
///
/// A raw value may carry ``SocketFlags`` (`SOCK_NONBLOCK`, `SOCK_CLOEXEC`) as `socket(2)` allows; ``Socket``
/// applies them and reports the type without them, as Python does since 3.7.
@frozen
public struct SocketKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
    /// The raw C value, possibly with flag bits.
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// Connection-oriented byte stream. The corresponding C constant is `SOCK_STREAM`.
    public static let stream = SocketKind(rawValue: CInt(SOCK_STREAM.rawValue))
    /// Connectionless datagrams. The corresponding C constant is `SOCK_DGRAM`.
    public static let datagram = SocketKind(rawValue: CInt(SOCK_DGRAM.rawValue))
    /// Raw protocol access (CAN_RAW, AF_PACKET with link header). The corresponding C constant is `SOCK_RAW`.
    public static let raw = SocketKind(rawValue: CInt(SOCK_RAW.rawValue))
    /// Reliably-delivered messages. The corresponding C constant is `SOCK_RDM`.
    public static let reliableDatagram = SocketKind(rawValue: CInt(SOCK_RDM.rawValue))
    /// Sequenced, connection-oriented datagrams. The corresponding C constant is `SOCK_SEQPACKET`.
    public static let sequencedPacket = SocketKind(rawValue: CInt(SOCK_SEQPACKET.rawValue))

    /// The flag bits carried in the raw value.
    public var flags: SocketFlags { SocketFlags(rawValue: rawValue & SocketFlags.all.rawValue) }

    /// The type with any flag bits cleared.
    public var withoutFlags: SocketKind { SocketKind(rawValue: rawValue & ~SocketFlags.all.rawValue) }

    /// This type with `flags` added, e.g. `.stream.with(.nonBlocking)`, like `SOCK_STREAM | SOCK_NONBLOCK`.
    public func with(_ flags: SocketFlags) -> SocketKind { SocketKind(rawValue: rawValue | flags.rawValue) }

    /// The types' short names (without flags).
    package static let names: [Self: String] = [
        .stream: "stream",
        .datagram: "datagram",
        .raw: "raw",
        .reliableDatagram: "rdm",
        .sequencedPacket: "seqpacket",
    ]

    public var description: String {
        let base = withoutFlags.knownName ?? "type \(withoutFlags.rawValue)"
        return flags.isEmpty ? base : "\(base)|\(flags)"
    }
}

/// Flags that `socket(2)`, `socketpair(2)` and `accept4(2)` take in the type argument.
@frozen
public struct SocketFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// Open in non-blocking mode. The corresponding C constant is `SOCK_NONBLOCK`.
    public static let nonBlocking = SocketFlags(rawValue: CSB_SOCK_NONBLOCK)
    /// Close on `exec`. The corresponding C constant is `SOCK_CLOEXEC`. The toolkit always sets it.
    public static let closeOnExec = SocketFlags(rawValue: CSB_SOCK_CLOEXEC)

    static let all: SocketFlags = [.nonBlocking, .closeOnExec]

    public var description: String {
        var names: [String] = []
        if contains(.nonBlocking) { names.append("nonblock") }
        if contains(.closeOnExec) { names.append("cloexec") }
        return names.joined(separator: "|")
    }
}

/// A protocol number: the third argument of `socket(2)`. Modules add their own (`.canRaw`, `.canBCM`, …).
@frozen
public struct SocketProtocol: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }
    public init(integerLiteral value: CInt) { self.rawValue = value }

    /// The family's default protocol for the type (0).
    public static let `default` = SocketProtocol(rawValue: 0)
    /// TCP. The corresponding C constant is `IPPROTO_TCP`.
    public static let tcp = SocketProtocol(rawValue: 6)
    /// UDP. The corresponding C constant is `IPPROTO_UDP`.
    public static let udp = SocketProtocol(rawValue: 17)

    public var description: String { String(rawValue) }
}

/// How a socket waits: Python's `settimeout(None)`, `settimeout(0)` and `settimeout(seconds)`.
public enum SocketTimeout: Hashable, Sendable, CustomStringConvertible {
    /// Operations block until they complete (Python's `None`).
    case blocking
    /// Operations that cannot complete at once fail with ``Errno/wouldBlock`` (Python's `0`).
    case nonBlocking
    /// Operations wait at most this long, then throw ``SocketTimeoutError``. The duration is positive.
    case after(Duration)

    /// The mode for a Python-style timeout: `nil` blocks, zero is non-blocking, positive waits that long.
    /// - Throws: ``InvalidArgumentError`` for a negative duration.
    public init(_ duration: Duration?) throws {
        guard let duration else { self = .blocking; return }
        if duration < .zero {
            throw InvalidArgumentError("timeout", value: "\(duration)", reason: "negative")
        }
        self = duration == .zero ? .nonBlocking : .after(duration)
    }

    /// The Python-style value: `nil` when blocking, zero when non-blocking.
    public var duration: Duration? {
        switch self {
        case .blocking: nil
        case .nonBlocking: .zero
        case .after(let d): d
        }
    }

    /// Whether the descriptor itself is in `O_NONBLOCK` mode (timeouts are implemented with `poll`).
    var descriptorIsNonBlocking: Bool { self != .blocking }

    public var description: String {
        switch self {
        case .blocking: "blocking"
        case .nonBlocking: "non-blocking"
        case .after(let d): "timeout \(d)"
        }
    }
}
