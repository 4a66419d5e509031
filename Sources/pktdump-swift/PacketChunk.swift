import PacketSocket
import SocketBase

/// Packets copied out of a ring, back to back, for another thread to write: each record is its timestamp
/// (nanoseconds since the epoch, 8 bytes), captured length and original length (4 bytes each), then the bytes,
/// padded to 8. Allocated once and reused: ``reset()`` empties it. One thread owns it at a time (handed over
/// under the reader's lock), hence `@unchecked Sendable`.
final class PacketChunk: @unchecked Sendable {
    /// Bytes per chunk: about 26,000 minimal frames, or seven at the largest snap length.
    static let capacity = 2 << 20
    static let headerSize = 16

    private let storage: UnsafeMutableRawPointer
    /// Bytes in use.
    private(set) var used = 0
    /// Records held.
    private(set) var count = 0

    init() {
        storage = .allocate(byteCount: Self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    func reset() {
        used = 0
        count = 0
    }

    /// Copies `packet` in, its stripped VLAN tag put back as tcpdump does.
    /// - Returns: false when the chunk has no room for it (nothing is copied then).
    @inline(__always)
    func append(_ packet: PacketRing.Frame) -> Bool {
        let room = Self.headerSize + packet.bytes.count + 4
        guard used + room <= Self.capacity else { return false }
        let record = storage + used
        let body = UnsafeMutableRawBufferPointer(start: record + Self.headerSize, count: packet.bytes.count + 4)
        var bytes = packet.bytes
        var originalLength = packet.originalLength
        if packet.hasStrippedVLANTag {
            bytes = packet.reinsertingVLANTag(into: body)
            if bytes.baseAddress != UnsafeRawPointer(body.baseAddress) { body.copyMemory(from: bytes) } else { originalLength += 4 }
        } else if bytes.count > 0 {
            body.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        let timestamp = packet.timestamp
        record.storeBytes(of: timestamp.seconds &* 1_000_000_000 &+ Int64(timestamp.nanoseconds), as: Int64.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: bytes.count), toByteOffset: 8, as: UInt32.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: originalLength), toByteOffset: 12, as: UInt32.self)
        used += (Self.headerSize + bytes.count + 7) & ~7
        count += 1
        return true
    }

    /// The timestamp (nanoseconds since the epoch) of the record at `offset`.
    @inline(__always)
    func timestamp(at offset: Int) -> Int64 {
        storage.load(fromByteOffset: offset, as: Int64.self)
    }

    /// The record at `offset`: its timestamp, bytes, original length, and where the next record starts.
    @inline(__always)
    func record(at offset: Int) -> (timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int, next: Int) {
        let record = storage + offset
        let nanoseconds = record.load(as: Int64.self)
        let captured = Int(record.load(fromByteOffset: 8, as: UInt32.self))
        let original = Int(record.load(fromByteOffset: 12, as: UInt32.self))
        let (seconds, fraction) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return (KernelTimestamp(seconds: seconds, nanoseconds: fraction),
                UnsafeRawBufferPointer(start: record + Self.headerSize, count: captured), original,
                offset + ((Self.headerSize + captured + 7) & ~7))
    }
}
