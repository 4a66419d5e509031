import PacketSocket
import PcapFile
import SocketBase

/// Packets copied out of a ring, back to back, for another thread to write: each record is its timestamp
/// (nanoseconds since the epoch, 8 bytes), captured length, original length and pcapng flags (4 bytes each, and 4
/// of padding), then the bytes, padded to 8. Allocated once and reused: ``reset()`` empties it. One thread owns
/// it at a time (handed over under the reader's lock), hence `@unchecked Sendable`.
final class PacketChunk: @unchecked Sendable {
    /// Bytes per chunk: about 26,000 minimal frames, or seven at the largest snap length.
    static let capacity = 2 << 20
    static let headerSize = 24

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

    /// Copies a record in (``CaptureRecordBuilder``'s).
    /// - Returns: false when the chunk has no room for it (nothing is copied then).
    @inline(__always)
    func append(timestamp: KernelTimestamp, _ record: CaptureRecordBuilder.Record) -> Bool {
        let bytes = record.bytes
        guard used + Self.headerSize + bytes.count <= Self.capacity else { return false }
        let header = storage + used
        if let base = bytes.baseAddress, bytes.count > 0 {
            (header + Self.headerSize).copyMemory(from: base, byteCount: bytes.count)
        }
        header.storeBytes(of: timestamp.seconds &* 1_000_000_000 &+ Int64(timestamp.nanoseconds), as: Int64.self)
        header.storeBytes(of: UInt32(truncatingIfNeeded: bytes.count), toByteOffset: 8, as: UInt32.self)
        header.storeBytes(of: UInt32(truncatingIfNeeded: record.originalLength), toByteOffset: 12, as: UInt32.self)
        header.storeBytes(of: record.flags.rawValue, toByteOffset: 16, as: UInt32.self)
        used += (Self.headerSize + bytes.count + 7) & ~7
        count += 1
        return true
    }

    /// The timestamp (nanoseconds since the epoch) of the record at `offset`.
    @inline(__always)
    func timestamp(at offset: Int) -> Int64 {
        storage.load(fromByteOffset: offset, as: Int64.self)
    }

    /// The record at `offset`: its timestamp, bytes, original length, pcapng flags, and where the next record
    /// starts.
    @inline(__always)
    func record(at offset: Int) -> (timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int,
                                    flags: PcapNGPacketFlags, next: Int) {
        let record = storage + offset
        let nanoseconds = record.load(as: Int64.self)
        let captured = Int(record.load(fromByteOffset: 8, as: UInt32.self))
        let original = Int(record.load(fromByteOffset: 12, as: UInt32.self))
        let flags = PcapNGPacketFlags(rawValue: record.load(fromByteOffset: 16, as: UInt32.self))
        let (seconds, fraction) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return (KernelTimestamp(seconds: seconds, nanoseconds: fraction),
                UnsafeRawBufferPointer(start: record + Self.headerSize, count: captured), original, flags,
                offset + ((Self.headerSize + captured + 7) & ~7))
    }
}
