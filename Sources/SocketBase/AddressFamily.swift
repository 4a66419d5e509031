#if canImport(Glibc)
import Glibc
#endif

/// A socket address family (`AF_*`): the first argument of `socket(2)`.
@frozen
public struct AddressFamily: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
    /// The raw C value.
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// Unspecified family, used when resolving names. The corresponding C constant is `AF_UNSPEC`.
    public static let unspecified = AddressFamily(rawValue: CInt(AF_UNSPEC))
    /// Unix domain sockets. The corresponding C constant is `AF_UNIX`.
    public static let unix = AddressFamily(rawValue: CInt(AF_UNIX))
    /// IPv4. The corresponding C constant is `AF_INET`.
    public static let inet = AddressFamily(rawValue: CInt(AF_INET))
    /// IPv6. The corresponding C constant is `AF_INET6`.
    public static let inet6 = AddressFamily(rawValue: CInt(AF_INET6))
    /// Kernel/user-space messaging. The corresponding C constant is `AF_NETLINK`.
    public static let netlink = AddressFamily(rawValue: CInt(AF_NETLINK))
    /// Link-layer packets. The corresponding C constant is `AF_PACKET`.
    public static let packet = AddressFamily(rawValue: CInt(AF_PACKET))
    /// Reliable Datagram Sockets (not built into most kernels). The corresponding C constant is `AF_RDS`.
    public static let rds = AddressFamily(rawValue: 21)
    /// Controller Area Network (SocketCAN). The corresponding C constant is `AF_CAN`.
    public static let can = AddressFamily(rawValue: 29)

    /// The families' short names.
    package static let names: [Self: String] = [
        .unspecified: "unspec",
        .unix: "unix",
        .inet: "inet",
        .inet6: "inet6",
        .netlink: "netlink",
        .packet: "packet",
        .rds: "rds",
        .can: "can",
    ]

    /// The family's short name, e.g. `can`, or `family 42` for one without a name here.
    public var description: String { knownName ?? "family \(rawValue)" }
}
