#if canImport(Glibc)
import Glibc
#endif

/// Every attempt of ``Socket/connect(toHost:port:timeout:sourceAddress:)`` failed.
public struct ConnectionError: Error, CustomStringConvertible {
    /// One address tried and why it failed.
    public struct Attempt: CustomStringConvertible, Sendable {
        public let address: String
        public let error: any Error
        public var description: String { "\(address): \(error)" }
    }

    public let host: String
    public let port: UInt16
    /// Each address tried, in order, with its error.
    public let attempts: [Attempt]

    public var description: String {
        "could not connect to \(host) port \(port): " + attempts.map(\.description).joined(separator: "; ")
    }
}

/// `getaddrinfo(3)` failed to resolve a name.
public struct AddressResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: UInt16
    /// The `EAI_*` code.
    public let code: CInt

    public var description: String {
        "getaddrinfo(\(host), \(port)): \(Sys.resolverMessage(code))"
    }
}

extension Socket {
    /// Resolves `host` and `port` for TCP with `getaddrinfo(3)`, IPv4 and IPv6, in the resolver's order.
    /// An empty host means the wildcard address (for binding).
    public static func resolve(host: String, port: UInt16, family: AddressFamily = .unspecified,
                               type: SocketKind = .stream, passive: Bool = false) throws -> [AnySocketAddress] {
        switch Sys.resolve(host: host.isEmpty ? nil : host, service: String(port), family: family.rawValue,
                           type: type.rawValue, flags: passive || host.isEmpty ? AI_PASSIVE : 0) {
        case .success(let addresses): return addresses
        case .failure(let code): throw AddressResolutionError(host: host, port: port, code: code.rawValue)
        }
    }

    /// Connects to a TCP service (Python's `socket.create_connection`).
    ///
    /// Resolves `host` for IPv4 and IPv6 and tries each address in turn until one connects.
    /// - Parameters:
    ///   - host: A name or numeric address.
    ///   - port: The TCP port.
    ///   - timeout: Set on each socket before connecting; `nil` uses ``defaultTimeout``.
    ///   - sourceAddress: Bound before connecting; an empty host or port 0 lets the OS choose that part.
    /// - Returns: The connected socket, in `timeout`'s mode.
    /// - Throws: ``AddressResolutionError`` if the name does not resolve; ``ConnectionError`` with each attempt's
    ///   error when no address connects.
    public static func connect(
        toHost host: String, port: UInt16, timeout: SocketTimeout? = nil,
        sourceAddress: (host: String, port: UInt16)? = nil
    ) throws -> Socket {
        let timeout = timeout ?? defaultTimeout
        var attempts: [ConnectionError.Attempt] = []
        for address in try resolve(host: host, port: port) {
            do {
                let socket = try Socket(family: address.family, type: .stream, protocol: .tcp)
                try socket.closeOnError {
                    try socket.setTimeout(timeout)
                    if let source = sourceAddress {
                        let local = try resolve(host: source.host, port: source.port, family: address.family, passive: true)
                        guard let first = local.first else {
                            throw AddressResolutionError(host: source.host, port: source.port, code: EAI_NONAME)
                        }
                        try socket.bind(to: first)
                    }
                    try socket.connect(to: address)
                }
                return socket
            } catch {
                attempts.append(.init(address: address.description, error: error))
            }
        }
        throw ConnectionError(host: host, port: port, attempts: attempts)
    }
}
