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
    /// The file and its write buffer; a full disk cuts the file back to its last whole record.
    private let output: OutputFile
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
        append32(precision.magic)
        append16(2)
        append16(4)
        append32(0) // thiszone
        append32(0) // sigfigs
        append32(snapLength)
        append32(linkType.rawValue)
        try output.flush() // on failure the descriptor closes as `output` goes
    }

    deinit {
        try? output.close()
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
        // The 16-byte record header in one append.
        let header = (UInt32(truncatingIfNeeded: timestamp.seconds), precision.fraction(of: timestamp), UInt32(captured),
                      UInt32(truncatingIfNeeded: originalLength ?? bytes.count))
        withUnsafeBytes(of: header) { output.buffer.append(contentsOf: $0) }
        if captured > 0 { output.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<captured])) }
        recordCount += 1
        fileSize += 16 + captured
        try output.flushIfFull(1 << 16)
    }

    /// Writes everything buffered to the file (`write(2)` until all is written, EINTR retried). When the disk is
    /// full, the file is cut back to its last whole record, so what it holds stays readable.
    /// - Throws: ``SystemCallError`` naming the path.
    public func flush() throws {
        try output.flush()
    }

    /// Flushes and closes the file; later calls do nothing. The descriptor is closed even when the flush fails.
    /// - Throws: ``SystemCallError`` naming the path.
    public func close() throws {
        try output.close()
    }

    private func append16(_ value: UInt16) { output.append(value) }
    private func append32(_ value: UInt32) { output.append(value) }
}
