import SocketBase

/// Reads a classic pcap file (what tcpdump `-w` and ``PcapWriter`` write): microsecond or nanosecond magic,
/// either byte order, any link type. Reads the file in large chunks; ``withNextRecord(_:)`` hands out each
/// record without copying it.
public final class PcapReader {
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
    /// The open file; nil for bytes in memory and once closed.
    private var file: FileDescriptor?
    private var buffer: [UInt8]
    /// Next unread byte in `buffer`.
    private var position = 0
    /// File offset of `buffer[0]`.
    private var bufferFileOffset = 0
    private var endOfFile = false

    /// Opens `path` and reads the file header.
    /// - Throws: ``SystemCallError`` when the file cannot be opened or read, ``PcapReadError`` for a bad magic
    ///   number or a truncated header.
    public convenience init(path: String) throws {
        let file = try FileDescriptor.open(path, .readOnly)
        try self.init(path: path, file: file, bytes: [])
    }

    /// Reads a pcap file held in memory.
    /// - Throws: ``PcapReadError`` for a bad magic number or a truncated header.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(path: "<memory>", file: nil, bytes: bytes)
    }

    /// Takes `file` (closed on error and by ``close()``) or, when nil, reads `bytes`; with a file, `bytes` are its
    /// first bytes, already read (``CaptureFileReader`` reads the magic number first).
    init(path: String, file: FileDescriptor?, bytes: [UInt8]) throws {
        self.path = path
        self.file = file
        buffer = bytes
        endOfFile = file == nil
        do {
            if file != nil { buffer.reserveCapacity(PcapInput.chunk) }
            try PcapInput.fill(&buffer, &position, &bufferFileOffset, &endOfFile, file: file, path: path, count: 24)
            guard buffer.count >= 24 else {
                throw PcapReadError(path: path, offset: 0, reason: .truncatedFileHeader(available: buffer.count))
            }
            let little = UInt32(buffer[0]) | UInt32(buffer[1]) << 8 | UInt32(buffer[2]) << 16 | UInt32(buffer[3]) << 24
            let swappedMagic = little.byteSwapped
            let nativeLittle = 1.littleEndian == 1
            // `isLittleEndianFile`: the magic reads right as little-endian.
            let isLittleEndianFile: Bool
            switch (little, swappedMagic) {
            case (0xA1B2_C3D4, _): precision = .microseconds; isLittleEndianFile = true
            case (0xA1B2_3C4D, _): precision = .nanoseconds; isLittleEndianFile = true
            case (_, 0xA1B2_C3D4): precision = .microseconds; isLittleEndianFile = false
            case (_, 0xA1B2_3C4D): precision = .nanoseconds; isLittleEndianFile = false
            default:
                throw PcapReadError(path: path, offset: 0, reason: .badMagic(swappedMagic))
            }
            isByteSwapped = isLittleEndianFile != nativeLittle
            fileIsLittleEndian = isLittleEndianFile
            let little16 = isLittleEndianFile
            let buffer = self.buffer
            func u16(_ at: Int) -> UInt16 {
                little16 ? UInt16(buffer[at]) | UInt16(buffer[at + 1]) << 8 : UInt16(buffer[at]) << 8 | UInt16(buffer[at + 1])
            }
            func u32(_ at: Int) -> UInt32 {
                let value = UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
                return little16 ? value : value.byteSwapped
            }
            versionMajor = u16(4)
            versionMinor = u16(6)
            snapLength = u32(16)
            // The upper bits of the link type field carry FCS information (LT_FCS_*); the type is the low 28.
            linkType = PcapLinkType(rawValue: u32(20) & 0x0FFF_FFFF)
            position = 24
        } catch {
            try? file?.close()
            throw error
        }
    }

    deinit {
        try? file?.close()
    }

    /// Closes the file; later reads return nil.
    public func close() {
        try? file?.close()
        file = nil
        endOfFile = true
        buffer.removeAll()
        position = 0
    }

    /// Hands the next record's header and bytes to `body` (the bytes are valid only during the call).
    /// - Returns: what `body` returned, nil at the end of the file.
    /// - Throws: ``PcapReadError`` for a truncated record or an impossible captured length, ``SystemCallError``
    ///   when `read(2)` fails, or what `body` throws.
    public func withNextRecord<Result>(_ body: (PcapRecordHeader, UnsafeRawBufferPointer) throws -> Result) throws -> Result? {
        let recordOffset = bufferFileOffset + position
        try PcapInput.fill(&buffer, &position, &bufferFileOffset, &endOfFile, file: file, path: path, count: 16)
        let available = buffer.count - position
        if available == 0 { return nil }
        guard available >= 16 else {
            throw PcapReadError(path: path, offset: recordOffset, reason: .truncatedRecordHeader(available: available))
        }
        let seconds = field(position)
        let fraction = field(position + 4)
        let captured = Int(field(position + 8))
        let original = Int(field(position + 12))
        let maximum = max(Int(snapLength), 262_144)
        guard captured <= maximum else {
            throw PcapReadError(path: path, offset: recordOffset, reason: .capturedLengthTooLarge(capturedLength: captured, maximum: maximum))
        }
        try PcapInput.fill(&buffer, &position, &bufferFileOffset, &endOfFile, file: file, path: path, count: 16 + captured)
        guard buffer.count - position >= 16 + captured else {
            throw PcapReadError(path: path, offset: recordOffset, reason: .truncatedRecordData(
                capturedLength: captured, available: buffer.count - position - 16))
        }
        let header = PcapRecordHeader(timestamp: precision.timestamp(seconds: seconds, fraction: fraction),
                                      capturedLength: captured, originalLength: original, fileOffset: recordOffset)
        let start = position + 16
        position = start + captured
        recordCount += 1
        return try buffer.withUnsafeBytes { raw in
            try body(header, UnsafeRawBufferPointer(rebasing: raw[start..<(start + captured)]))
        }
    }

    /// The next record, copied out; nil at the end of the file.
    /// - Throws: as ``withNextRecord(_:)``.
    public func next() throws -> PcapRecord? {
        try withNextRecord { header, bytes in
            PcapRecord(timestamp: header.timestamp, bytes: Array(bytes), originalLength: header.originalLength,
                       fileOffset: header.fileOffset)
        }
    }

    /// Every remaining record.
    /// - Throws: as ``withNextRecord(_:)``.
    public func readAll() throws -> [PcapRecord] {
        var records: [PcapRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// A 32-bit record header field in the file's byte order.
    private func field(_ at: Int) -> UInt32 {
        let value = UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
        return fileIsLittleEndian ? value : value.byteSwapped
    }
}
