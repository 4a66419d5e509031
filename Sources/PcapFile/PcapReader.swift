import SocketBase

/// Reads a classic pcap file (what tcpdump `-w` and ``PcapWriter`` write): microsecond or nanosecond magic,
/// either byte order, any link type. Reads the file in large chunks; ``withNextRecord(_:)`` hands out each
/// record without copying it.
public final class PcapReader: CaptureRecordReading {
    /// The file's path ("<memory>" for ``init(bytes:)``).
    public let path: String
    public let linkType: PcapLinkType
    public let snapLength: UInt32
    public let precision: PcapPrecision
    /// Whether the file was written in the other byte order than this machine's.
    public let isByteSwapped: Bool
    public let versionMajor: UInt16
    public let versionMinor: UInt16
    /// Records read so far.
    public private(set) var recordCount = 0

    private let fileIsLittleEndian: Bool
    private let input: PcapInput

    /// Opens `path` and reads the file header.
    /// - Throws: ``SystemCallError`` when the file cannot be opened or read, ``PcapReadError`` for a bad magic
    ///   number or a truncated header.
    public convenience init(path: String) throws {
        try self.init(input: PcapInput(opening: path))
    }

    /// Reads a pcap file held in memory.
    /// - Throws: ``PcapReadError`` for a bad magic number or a truncated header.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(input: PcapInput(bytes: bytes))
    }

    /// Reads `input` from its start (``CaptureFileReader`` may have filled its first bytes to tell the format).
    init(input: PcapInput) throws {
        path = input.path
        self.input = input
        try input.fill(24)
        guard input.available >= 24 else {
            throw PcapReadError(path: path, offset: 0, reason: .truncatedFileHeader(available: input.available))
        }
        let magic = input.u32(0)
        switch magic {
        case 0xA1B2_C3D4: precision = .microseconds; fileIsLittleEndian = true
        case 0xA1B2_3C4D: precision = .nanoseconds; fileIsLittleEndian = true
        case 0xD4C3_B2A1: precision = .microseconds; fileIsLittleEndian = false
        case 0x4D3C_B2A1: precision = .nanoseconds; fileIsLittleEndian = false
        default:
            throw PcapReadError(path: path, offset: 0, reason: .badMagic(magic.byteSwapped))
        }
        isByteSwapped = fileIsLittleEndian != (1.littleEndian == 1)
        versionMajor = input.u16(4, littleEndian: fileIsLittleEndian)
        versionMinor = input.u16(6, littleEndian: fileIsLittleEndian)
        snapLength = input.u32(16, littleEndian: fileIsLittleEndian)
        // The upper bits of the link type field carry FCS information (LT_FCS_*); the type is the low 28.
        linkType = PcapLinkType(rawValue: input.u32(20, littleEndian: fileIsLittleEndian) & 0x0FFF_FFFF)
        input.position = 24
    }

    /// Closes the file; later reads return nil.
    public func close() {
        input.close()
    }

    /// Hands the next record's header and bytes to `body` (the bytes are valid only during the call).
    /// - Returns: what `body` returned, nil at the end of the file.
    /// - Throws: ``PcapReadError`` for a truncated record or an impossible captured length, ``SystemCallError``
    ///   when `read(2)` fails, or what `body` throws.
    public func withNextRecord<Result>(_ body: (PcapRecordHeader, UnsafeRawBufferPointer) throws -> Result) throws -> Result? {
        try input.fill(16)
        let recordOffset = input.fileOffset
        let available = input.available
        if available == 0 { return nil }
        guard available >= 16 else {
            throw PcapReadError(path: path, offset: recordOffset, reason: .truncatedRecordHeader(available: available))
        }
        let position = input.position
        let seconds = field(position)
        let fraction = field(position + 4)
        let captured = Int(field(position + 8))
        let original = Int(field(position + 12))
        let maximum = max(Int(snapLength), 262_144)
        guard captured <= maximum else {
            throw PcapReadError(path: path, offset: recordOffset, reason: .capturedLengthTooLarge(capturedLength: captured, maximum: maximum))
        }
        try input.fill(16 + captured)
        guard input.available >= 16 + captured else {
            throw PcapReadError(path: path, offset: recordOffset, reason: .truncatedRecordData(
                capturedLength: captured, available: input.available - 16))
        }
        let header = PcapRecordHeader(timestamp: precision.timestamp(seconds: seconds, fraction: fraction),
                                      capturedLength: captured, originalLength: original, fileOffset: recordOffset)
        let start = input.position + 16
        input.position = start + captured
        recordCount += 1
        return try input.withBytes(start..<(start + captured)) { try body(header, $0) }
    }

    /// A 32-bit record header field in the file's byte order.
    private func field(_ at: Int) -> UInt32 {
        input.u32(at, littleEndian: fileIsLittleEndian)
    }
}
