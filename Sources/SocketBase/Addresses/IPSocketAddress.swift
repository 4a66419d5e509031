#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 address and port (`struct sockaddr_in`).
public struct IPv4SocketAddress: SocketAddress, Hashable {
    /// The port, in host byte order.
    public let port: UInt16
    let address: in_addr

    /// The dotted-quad address, e.g. `127.0.0.1`.
    public var host: String { addressText(address, family: AF_INET) }

    /// Parses a numeric IPv4 address.
    /// - Throws: ``InvalidArgumentError`` naming the text when it is not an IPv4 literal.
    public init(host: String, port: UInt16) throws {
        address = try numericAddress(host, family: AF_INET, version: "IPv4", zero: in_addr())
        self.port = port
    }

    /// The wildcard address `0.0.0.0` with `port`.
    public static func any(port: UInt16 = 0) -> IPv4SocketAddress { try! IPv4SocketAddress(host: "0.0.0.0", port: port) }
    /// The loopback address `127.0.0.1` with `port`.
    public static func loopback(port: UInt16 = 0) -> IPv4SocketAddress { try! IPv4SocketAddress(host: "127.0.0.1", port: port) }

    public init?(_ any: AnySocketAddress) {
        guard let sin = any.load(as: sockaddr_in.self, family: .inet) else { return nil }
        self.address = sin.sin_addr
        self.port = UInt16(bigEndian: sin.sin_port)
    }

    public var family: AddressFamily { .inet }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr = address
        return try Self.withSockAddr(of: sin, body)
    }

    public static func == (l: Self, r: Self) -> Bool { l.host == r.host && l.port == r.port }
    public func hash(into hasher: inout Hasher) { hasher.combine(host); hasher.combine(port) }
    public var description: String { "\(host):\(port)" }
}

/// An IPv6 address, port, flow label and scope (`struct sockaddr_in6`).
public struct IPv6SocketAddress: SocketAddress, Hashable {
    /// The port, in host byte order.
    public let port: UInt16
    /// The flow information, in host byte order.
    public let flowInfo: UInt32
    /// The scope (interface index) for link-local addresses.
    public let scopeID: UInt32
    let address: in6_addr

    /// The address in its canonical text form, e.g. `::1`.
    public var host: String { addressText(address, family: AF_INET6) }

    /// Parses a numeric IPv6 address.
    /// - Throws: ``InvalidArgumentError`` naming the text when it is not an IPv6 literal.
    public init(host: String, port: UInt16, flowInfo: UInt32 = 0, scopeID: UInt32 = 0) throws {
        address = try numericAddress(host, family: AF_INET6, version: "IPv6", zero: in6_addr())
        self.port = port
        self.flowInfo = flowInfo
        self.scopeID = scopeID
    }

    /// The loopback address `::1` with `port`.
    public static func loopback(port: UInt16 = 0) -> IPv6SocketAddress { try! IPv6SocketAddress(host: "::1", port: port) }

    public init?(_ any: AnySocketAddress) {
        guard let sin6 = any.load(as: sockaddr_in6.self, family: .inet6) else { return nil }
        self.address = sin6.sin6_addr
        self.port = UInt16(bigEndian: sin6.sin6_port)
        self.flowInfo = UInt32(bigEndian: sin6.sin6_flowinfo)
        self.scopeID = sin6.sin6_scope_id
    }

    public var family: AddressFamily { .inet6 }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        sin6.sin6_flowinfo = flowInfo.bigEndian
        sin6.sin6_addr = address
        sin6.sin6_scope_id = scopeID
        return try Self.withSockAddr(of: sin6, body)
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.host == r.host && l.port == r.port && l.flowInfo == r.flowInfo && l.scopeID == r.scopeID
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(host); hasher.combine(port) }
    public var description: String { "[\(host)]:\(port)" }
}

/// `host` read by `inet_pton(3)` as an address of `family` (an `in_addr` or `in6_addr`, filled in from `zero`).
/// - Throws: ``InvalidArgumentError`` naming the text when it is no numeric `version` address.
private func numericAddress<Address>(_ host: String, family: CInt, version: String, zero: Address) throws -> Address {
    var address = zero
    guard inet_pton(family, host, &address) == 1 else {
        throw InvalidArgumentError("\(version) address", value: host, reason: "not a numeric \(version) address (inet_pton)")
    }
    return address
}

/// The text `inet_ntop(3)` writes for `address` (an `in_addr` or `in6_addr`) of `family`.
private func addressText<Address>(_ address: Address, family: CInt) -> String {
    var address = address
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    inet_ntop(family, &address, &buffer, socklen_t(buffer.count))
    return String(nulTerminated: buffer)
}
