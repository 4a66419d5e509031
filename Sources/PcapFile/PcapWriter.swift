import SocketBase

/// Writes a classic pcap file (the format tcpdump `-w` writes), buffered: records collect in memory and go to
/// the file in large writes; ``flush()`` makes everything written so far readable, ``close()`` completes the file.
///
///     let writer = try PcapWriter(path: "out.pcap", linkType: .ethernet)
///     try writer.write(PcapRecord(timestamp: .now, bytes: frame))
///     try writer.close()
public final class PcapWriter {
    public let path: String
    public let linkType: PcapLinkType
    public let snapLength: UInt32
    public let precision: PcapPrecision
    /// The file; a full disk cuts it back to its last whole record.
    private let output: OutputFile
    /// Records not yet written, stored in place (no array's uniqueness and capacity checks per record): one
    /// buffer for the writer's life, with room for ``writeOutSize`` and a record of the snap length (grown only
    /// for a record larger than that), written out through `output` once it holds ``writeOutSize``.
    private var pending: UnsafeMutableRawBufferPointer
    /// Bytes used in `pending`.
    @exclusivity(unchecked) private var pendingCount = 0
    /// Pending bytes that are written out at once: records go to the file in writes of about this size.
    private static let writeOutSize = 1 << 16
    /// Records written so far.
    /// Counted per record from the writer's one thread: no runtime exclusivity checks.
    @exclusivity(unchecked) public private(set) var recordCount = 0
    /// The file's size once everything buffered is written: what `ftell` gives for a stdio file (tcpdump's `-C`
    /// measure).
    @exclusivity(unchecked) public private(set) var fileSize = 24

    /// Creates (truncates) `path`, mode 0644, and writes the file header (`open(2)` with `O_CLOEXEC`).
    /// - Parameters:
    ///   - linkType: The `network` field: what every record's bytes are.
    ///   - snapLength: The most bytes kept of a record; longer ones are cut, their original length kept.
    ///   - precision: Microsecond (0xA1B2C3D4, tcpdump's default) or nanosecond (0xA1B23C4D) timestamps.
    /// - Throws: ``SystemCallError`` naming the path.
    public init(path: String, linkType: PcapLinkType, snapLength: UInt32 = 262_144,
                precision: PcapPrecision = .microseconds) throws {
        self.path = path
        self.linkType = linkType
        self.snapLength = snapLength
        self.precision = precision
        output = try OutputFile(creating: path)
        pending = .allocate(byteCount: Self.writeOutSize + 16 + Int(min(snapLength, 262_144)), alignment: 16)
        pending.storeBytes(of: precision.magic, toByteOffset: 0, as: UInt32.self)
        pending.storeBytes(of: 2, toByteOffset: 4, as: UInt16.self)
        pending.storeBytes(of: 4, toByteOffset: 6, as: UInt16.self)
        pending.storeBytes(of: 0, toByteOffset: 8, as: UInt32.self) // thiszone
        pending.storeBytes(of: 0, toByteOffset: 12, as: UInt32.self) // sigfigs
        pending.storeBytes(of: snapLength, toByteOffset: 16, as: UInt32.self)
        pending.storeBytes(of: linkType.rawValue, toByteOffset: 20, as: UInt32.self)
        pendingCount = 24
        try writePending() // on failure the descriptor closes as the writer goes (deinit)
    }

    deinit {
        try? close()
        pending.deallocate()
    }

    /// Appends one record; bytes past the snap length are cut, the record's original length is kept.
    /// - Throws: ``SystemCallError`` when a full buffer cannot be written out.
    public func write(_ record: PcapRecord) throws {
        try record.bytes.withUnsafeBytes { bytes in
            try write(timestamp: record.timestamp, bytes: bytes, originalLength: record.originalLength)
        }
    }

    /// Appends one record from bytes in place (no copy but into the write buffer); bytes past the snap length
    /// are cut, the original length is kept.
    /// - Parameters:
    ///   - timestamp: When the packet was captured; written truncated to the file's ``precision``.
    ///   - bytes: The packet's bytes.
    ///   - originalLength: The packet's length on the wire (defaults to `bytes.count`).
    /// - Throws: ``SystemCallError`` when a full buffer cannot be written out.
    public func write(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int? = nil) throws {
        let captured = min(bytes.count, Int(snapLength))
        let size = 16 + captured
        if pending.count - pendingCount < size { try makeRoom(for: size) }
        // The 16-byte record header, then the bytes.
        let record = pending.baseAddress! + pendingCount
        record.storeBytes(of: UInt32(truncatingIfNeeded: timestamp.seconds), as: UInt32.self)
        record.storeBytes(of: precision.fraction(of: timestamp), toByteOffset: 4, as: UInt32.self)
        record.storeBytes(of: UInt32(captured), toByteOffset: 8, as: UInt32.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: originalLength ?? bytes.count), toByteOffset: 12, as: UInt32.self)
        if captured > 0 { (record + 16).copyMemory(from: bytes.baseAddress!, byteCount: captured) }
        pendingCount += size
        recordCount += 1
        fileSize += size
        if pendingCount >= Self.writeOutSize { try writePending() }
    }

    /// Writes everything buffered to the file (`write(2)` until all is written, EINTR retried). When the disk is
    /// full, the file is cut back to its last whole record, so what it holds stays readable.
    /// - Throws: ``SystemCallError`` naming the path.
    public func flush() throws {
        try writePending()
    }

    /// Flushes and closes the file; later calls do nothing. The descriptor is closed even when the flush fails.
    /// - Throws: ``SystemCallError`` naming the path.
    public func close() throws {
        do {
            try writePending()
        } catch {
            try? output.close()
            throw error
        }
        try output.close()
    }

    /// Writes the pending records out; they stay pending when that fails.
    private func writePending() throws {
        guard pendingCount > 0 else { return }
        try output.write(UnsafeRawBufferPointer(rebasing: pending[..<pendingCount]))
        pendingCount = 0
    }

    /// Writes the pending records out, then grows the buffer when a record of `size` bytes is larger than it.
    private func makeRoom(for size: Int) throws {
        try writePending()
        guard size > pending.count else { return }
        pending.deallocate()
        pending = .allocate(byteCount: Self.writeOutSize + size, alignment: 16)
    }
}
