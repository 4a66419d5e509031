#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

/// One control message (`struct cmsghdr`) in a received message's ancillary data.
public struct ControlMessage {
    /// The level, e.g. `SOL_SOCKET`.
    public let level: CInt
    /// The type, e.g. `SCM_TIMESTAMPNS`, `SO_RXQ_OVFL`, `SCM_RIGHTS`.
    public let type: CInt
    /// The payload; valid only while the receive buffer it points into is.
    public let data: UnsafeRawBufferPointer

    /// Reads the payload as a `T` (e.g. `timespec`), or `nil` when it is too short.
    @inlinable
    public func load<T: BitwiseCopyable>(as: T.Type) -> T? {
        data.count >= MemoryLayout<T>.size ? data.loadUnaligned(as: T.self) : nil
    }
}

/// The control messages in a control buffer, walked with `CMSG_FIRSTHDR` / `CMSG_NXTHDR` without copying.
public struct ControlMessages: Sequence {
    let base: UnsafeMutableRawPointer?
    let length: Int

    /// The messages in the first `length` bytes of `buffer`, as `recvmsg` left them.
    public init(_ buffer: UnsafeMutableRawBufferPointer, length: Int) {
        self.base = buffer.baseAddress
        self.length = Swift.min(length, buffer.count)
    }

    public struct Iterator: IteratorProtocol {
        var header: msghdr
        var current: UnsafeMutablePointer<cmsghdr>?
        var started = false

        public mutating func next() -> ControlMessage? {
            if !started {
                started = true
                current = header.msg_controllen > 0 ? csb_cmsg_firsthdr(&header) : nil
            } else if let cmsg = current {
                current = csb_cmsg_nxthdr(&header, cmsg)
            }
            guard let cmsg = current else { return nil }
            let dataStart = UnsafeRawPointer(csb_cmsg_data(cmsg)!)
            let count = Int(cmsg.pointee.cmsg_len) - (dataStart - UnsafeRawPointer(cmsg))
            return ControlMessage(level: cmsg.pointee.cmsg_level, type: cmsg.pointee.cmsg_type,
                                  data: UnsafeRawBufferPointer(start: dataStart, count: Swift.max(0, count)))
        }
    }

    public func makeIterator() -> Iterator {
        var header = msghdr()
        header.msg_control = base
        header.msg_controllen = base == nil ? 0 : length
        return Iterator(header: header)
    }

    /// The space a control message with a `payload`-byte body takes: `CMSG_SPACE`.
    public static func space(forPayload payload: Int) -> Int { csb_cmsg_space(payload) }
}

/// A control message to send with ``Socket/sendMessage(_:to:control:flags:)``.
public struct OutgoingControlMessage: Sendable {
    public let level: CInt
    public let type: CInt
    public let data: [UInt8]

    public init(level: CInt, type: CInt, data: [UInt8]) {
        self.level = level
        self.type = type
        self.data = data
    }

    /// Descriptors to pass to another process (`SCM_RIGHTS`).
    public static func rights(_ descriptors: [CInt]) -> OutgoingControlMessage {
        OutgoingControlMessage(level: SOL_SOCKET, type: CSB_SCM_RIGHTS, data: descriptors.withUnsafeBytes { Array($0) })
    }

    /// Encodes messages into one control buffer, each at its `CMSG_SPACE` alignment.
    static func encode(_ messages: [OutgoingControlMessage]) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: messages.reduce(0) { $0 + csb_cmsg_space($1.data.count) })
        buffer.withUnsafeMutableBytes { raw in
            var offset = 0
            for message in messages {
                let header = raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: cmsghdr.self)
                header.pointee.cmsg_len = csb_cmsg_len(message.data.count)
                header.pointee.cmsg_level = message.level
                header.pointee.cmsg_type = message.type
                let data = UnsafeMutableRawPointer(csb_cmsg_data(header)!)
                message.data.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                offset += csb_cmsg_space(message.data.count)
            }
        }
        return buffer
    }
}
