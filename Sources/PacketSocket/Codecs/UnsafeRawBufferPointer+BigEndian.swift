/// Bounds-checked big-endian reads from a packet buffer (internal plumbing of the codecs).
extension UnsafeRawBufferPointer {
    /// The byte at `offset`; the caller has checked the bounds.
    @inline(__always)
    func u8(_ offset: Int) -> UInt8 { self[offset] }

    /// The big-endian 16-bit value at `offset`; the caller has checked the bounds.
    @inline(__always)
    func u16(_ offset: Int) -> UInt16 { UInt16(self[offset]) << 8 | UInt16(self[offset + 1]) }

    /// The big-endian 32-bit value at `offset`; the caller has checked the bounds.
    @inline(__always)
    func u32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    /// Throws ``PacketDecodingError/Reason/truncated(needed:available:)`` unless `count` bytes follow `offset`.
    @inline(__always)
    func require(_ count: Int, at offset: Int, _ layer: PacketDecodingError.Layer) throws(PacketDecodingError) {
        let available = offset <= self.count ? self.count - offset : 0
        if available < count {
            throw PacketDecodingError(layer, at: offset, .truncated(needed: count, available: available))
        }
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Stores a big-endian 16-bit value at `offset` (already present).
    @inline(__always)
    mutating func setBigEndian(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }
}
