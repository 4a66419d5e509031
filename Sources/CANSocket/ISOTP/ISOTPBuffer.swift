/// A reused receive buffer for ISO-TP PDUs: ``ISOTPSocket/receive(into:)`` fills it; nothing is allocated
/// per PDU.
public final class ISOTPBuffer {
    let storage: UnsafeMutableRawBufferPointer
    /// The length of the last PDU received.
    public internal(set) var count = 0

    /// The largest PDU this buffer holds.
    public var capacity: Int { storage.count }

    /// Allocates room for PDUs of up to `capacity` bytes (by default the kernel's largest).
    public init(capacity: Int = ISOTPSocket.maximumPDUSize) {
        storage = .allocate(byteCount: max(capacity, 1), alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The last PDU's bytes; valid until the next receive into this buffer.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[..<count]) }

    /// A copy of the last PDU.
    public var array: [UInt8] { Array(bytes) }
}
