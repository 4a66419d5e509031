#if canImport(Glibc)
import Glibc
#endif

/// A value that can be handed to the kernel as a `struct sockaddr` (bind, connect, sendto).
///
/// Each family has its own type: ``IPv4SocketAddress``, ``IPv6SocketAddress``, ``UnixSocketAddress`` here,
/// `CANSocketAddress` and `LinkLayerAddress` in the CAN and packet modules. ``AnySocketAddress`` holds any of
/// them as the kernel returned it.
public protocol SocketAddress: Sendable, CustomStringConvertible {
    /// The address family of this address.
    var family: AddressFamily { get }

    /// Calls `body` with the address as a C `sockaddr` and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R

    /// Decodes the address from what the kernel returned; `nil` when `address` is of another family.
    init?(_ address: AnySocketAddress)
}

/// Any socket address as the kernel returned it: a `sockaddr_storage` and its length.
public struct AnySocketAddress: SocketAddress, Hashable {
    @usableFromInline var storage: sockaddr_storage
    /// The number of meaningful bytes in the storage.
    public let length: socklen_t

    /// Copies `length` bytes of a C address.
    public init(_ address: UnsafePointer<sockaddr>, length: socklen_t) {
        var storage = sockaddr_storage()
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: count)) }
        self.storage = storage
        self.length = socklen_t(count)
    }

    /// Erases the type of an address.
    public init(_ address: some SocketAddress) {
        self = address.withSockAddr { AnySocketAddress($0, length: $1) }
    }

    public init?(_ address: AnySocketAddress) { self = address }

    /// Fills an address through `body`, which receives the storage and its capacity and sets the length.
    static func fill(_ body: (UnsafeMutablePointer<sockaddr>, inout socklen_t) throws -> Void) rethrows -> AnySocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutableBytes(of: &storage) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
        return withUnsafeBytes(of: &storage) { raw in
            AnySocketAddress(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length: length)
        }
    }

    public var family: AddressFamily {
        length < 2 ? .unspecified : AddressFamily(rawValue: CInt(storage.ss_family))
    }

    /// The address bytes, `length` of them.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0.prefix(Int(length))) }
    }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }

    /// Reads the address as a C struct of type `T` (e.g. `sockaddr_can`), zero-filled past `length`.
    public func load<T>(as type: T.Type) -> T {
        precondition(MemoryLayout<T>.size <= MemoryLayout<sockaddr_storage>.size)
        return withUnsafeBytes(of: storage) { $0.loadUnaligned(as: T.self) }
    }

    /// The address as the C struct of `family` (`sockaddr_in` for ``AddressFamily/inet``, …); nil when it is
    /// another family or shorter than `T`.
    public func load<T>(as type: T.Type, family: AddressFamily) -> T? {
        guard self.family == family, length >= MemoryLayout<T>.size else { return nil }
        return load(as: type)
    }

    public static func == (lhs: AnySocketAddress, rhs: AnySocketAddress) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    public var description: String {
        if let a = IPv4SocketAddress(self) { return a.description }
        if let a = IPv6SocketAddress(self) { return a.description }
        if let a = UnixSocketAddress(self) { return a.description }
        return "\(family) address (\(length) bytes)"
    }
}

extension SocketAddress {
    /// Builds an address of C struct type `T` and calls `body` with it, the way the family types implement
    /// ``withSockAddr(_:)``.
    @inlinable
    public static func withSockAddr<T, R>(
        of value: T, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R
    ) rethrows -> R {
        try withUnsafeBytes(of: value) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }
}
