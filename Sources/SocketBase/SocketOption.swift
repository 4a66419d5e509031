#if canImport(Glibc)
import Glibc
#endif

/// A typed socket option: its level, name and value type, for ``Socket/option(_:)`` and
/// ``Socket/setOption(_:_:)``. Modules add their own (CAN_RAW, ISO-TP, PACKET_*).
public struct SocketOption<Value: BitwiseCopyable>: Sendable, CustomStringConvertible {
    /// The level (`SOL_SOCKET`, `SOL_CAN_RAW`, …).
    public let level: CInt
    /// The option name (`SO_RCVBUF`, …).
    public let name: CInt
    /// The C name, used in error messages, e.g. `SO_RCVBUF`.
    public let label: String

    public init(level: CInt, name: CInt, label: String) {
        self.level = level
        self.name = name
        self.label = label
    }

    public var description: String { label }
}

extension SocketOption where Value == CInt {
    /// Allow reuse of local addresses. The corresponding C constant is `SO_REUSEADDR`.
    public static var reuseAddress: Self { .init(level: SOL_SOCKET, name: SO_REUSEADDR, label: "SO_REUSEADDR") }
    /// Allow several sockets on one port. The corresponding C constant is `SO_REUSEPORT`.
    public static var reusePort: Self { .init(level: SOL_SOCKET, name: SO_REUSEPORT, label: "SO_REUSEPORT") }
    /// Receive buffer size. The corresponding C constant is `SO_RCVBUF`.
    public static var receiveBufferSize: Self { .init(level: SOL_SOCKET, name: SO_RCVBUF, label: "SO_RCVBUF") }
    /// Receive buffer size beyond `rmem_max` (needs CAP_NET_ADMIN). The corresponding C constant is `SO_RCVBUFFORCE`.
    public static var receiveBufferSizeForce: Self { .init(level: SOL_SOCKET, name: SO_RCVBUFFORCE, label: "SO_RCVBUFFORCE") }
    /// Send buffer size. The corresponding C constant is `SO_SNDBUF`.
    public static var sendBufferSize: Self { .init(level: SOL_SOCKET, name: SO_SNDBUF, label: "SO_SNDBUF") }
    /// The pending error, cleared by reading. The corresponding C constant is `SO_ERROR`.
    public static var error: Self { .init(level: SOL_SOCKET, name: SO_ERROR, label: "SO_ERROR") }
    /// The address family. The corresponding C constant is `SO_DOMAIN`.
    public static var domain: Self { .init(level: SOL_SOCKET, name: SO_DOMAIN, label: "SO_DOMAIN") }
    /// The socket type. The corresponding C constant is `SO_TYPE`.
    public static var type: Self { .init(level: SOL_SOCKET, name: SO_TYPE, label: "SO_TYPE") }
    /// The protocol. The corresponding C constant is `SO_PROTOCOL`.
    public static var `protocol`: Self { .init(level: SOL_SOCKET, name: SO_PROTOCOL, label: "SO_PROTOCOL") }
    /// Send periodic keep-alives. The corresponding C constant is `SO_KEEPALIVE`.
    public static var keepAlive: Self { .init(level: SOL_SOCKET, name: SO_KEEPALIVE, label: "SO_KEEPALIVE") }
    /// Permit sending to broadcast addresses. The corresponding C constant is `SO_BROADCAST`.
    public static var broadcast: Self { .init(level: SOL_SOCKET, name: SO_BROADCAST, label: "SO_BROADCAST") }
    /// Microsecond receive timestamps as control messages. The corresponding C constant is `SO_TIMESTAMP`.
    public static var timestamp: Self { .init(level: SOL_SOCKET, name: SO_TIMESTAMP, label: "SO_TIMESTAMP") }
    /// Nanosecond receive timestamps as control messages. The corresponding C constant is `SO_TIMESTAMPNS`.
    public static var timestampNanoseconds: Self { .init(level: SOL_SOCKET, name: SO_TIMESTAMPNS, label: "SO_TIMESTAMPNS") }
    /// Flags selecting software/hardware timestamps. The corresponding C constant is `SO_TIMESTAMPING`.
    public static var timestamping: Self { .init(level: SOL_SOCKET, name: SO_TIMESTAMPING, label: "SO_TIMESTAMPING") }
    /// Report the socket's running drop count with each message. The corresponding C constant is `SO_RXQ_OVFL`.
    public static var receiveQueueOverflow: Self { .init(level: SOL_SOCKET, name: SO_RXQ_OVFL, label: "SO_RXQ_OVFL") }
    /// Whether the socket is listening. The corresponding C constant is `SO_ACCEPTCONN`.
    public static var acceptsConnections: Self { .init(level: SOL_SOCKET, name: SO_ACCEPTCONN, label: "SO_ACCEPTCONN") }
    /// Disable Nagle's algorithm. The corresponding C constant is `TCP_NODELAY`.
    public static var tcpNoDelay: Self { .init(level: 6, name: 1, label: "TCP_NODELAY") }
}

extension Socket {
    /// Reads a socket option: `getsockopt(2)`.
    public func option<Value>(_ option: SocketOption<Value>) throws -> Value {
        let fd = try openDescriptor("getsockopt(\(option.label))")
        return try withUnsafeTemporaryAllocation(of: Value.self, capacity: 1) { buffer in
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<Value>.size)
            var length = socklen_t(MemoryLayout<Value>.size)
            try Sys.getsockopt(fd, option.level, option.name, raw, &length).get("getsockopt(\(option.label))", target: label)
            return raw.load(as: Value.self)
        }
    }

    /// Sets a socket option: `setsockopt(2)`.
    /// - Throws: ``SystemCallError`` naming the option, e.g. `setsockopt(CAN_RAW_FD_FRAMES): …`.
    public func setOption<Value>(_ option: SocketOption<Value>, _ value: Value) throws {
        let fd = try openDescriptor("setsockopt(\(option.label))")
        try withUnsafeBytes(of: value) { raw in
            try Sys.setsockopt(fd, option.level, option.name, raw.baseAddress, socklen_t(raw.count))
                .get("setsockopt(\(option.label))", target: label)
        }
    }

    /// Sets an on/off option given as a `CInt` flag.
    public func setOption(_ option: SocketOption<CInt>, _ enabled: Bool) throws {
        try setOption(option, enabled ? 1 : 0)
    }

    /// Sets an option whose value is an array of C structs (e.g. `CAN_RAW_FILTER`); an empty array sets a
    /// zero-length value.
    public func setOption<Element: BitwiseCopyable>(level: CInt, name: CInt, label optionLabel: String, array: [Element]) throws {
        let fd = try openDescriptor("setsockopt(\(optionLabel))")
        try array.withUnsafeBytes { raw in
            try Sys.setsockopt(fd, level, name, raw.count == 0 ? nil : raw.baseAddress, socklen_t(raw.count))
                .get("setsockopt(\(optionLabel))", target: label)
        }
    }

    /// Sets the receive buffer as large as allowed: `SO_RCVBUFFORCE` when privileged (CAP_NET_ADMIN, past
    /// `net.core.rmem_max`), else `SO_RCVBUF` (capped at `rmem_max`).
    /// - Returns: The size the kernel reports afterwards (it doubles the request for bookkeeping).
    @discardableResult
    public func setReceiveBufferSize(_ bytes: Int) throws -> Int {
        let value = CInt(clamping: bytes)
        do {
            try setOption(.receiveBufferSizeForce, value)
        } catch let error as SystemCallError where error.errno == .notPermitted {
            try setOption(.receiveBufferSize, value)
        }
        return Int(try option(.receiveBufferSize))
    }

    /// Reads an option of variable length into `buffer`: `getsockopt(2)`.
    /// - Returns: The number of bytes the kernel wrote.
    public func option(level: CInt, name: CInt, label optionLabel: String, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let fd = try openDescriptor("getsockopt(\(optionLabel))")
        var length = socklen_t(buffer.count)
        try Sys.getsockopt(fd, level, name, buffer.baseAddress!, &length).get("getsockopt(\(optionLabel))", target: label)
        return Int(length)
    }
}
