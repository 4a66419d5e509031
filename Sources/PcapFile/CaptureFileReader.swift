import SocketBase

/// Reads a pcap or a pcapng file, told apart by the magic number, as one stream of records (what tcpdump's `-r`
/// takes). The link type and snap length are the file header's, or the first pcapng interface's, as libpcap
/// reports them.
public final class CaptureFileReader: CaptureRecordReading {
    private enum Source {
        case pcap(PcapReader)
        case pcapng(PcapNGReader)
    }

    private let source: Source
    public let path: String
    public let format: CaptureFileFormat
    /// The link type of the file (pcap) or of its first interface (pcapng).
    public let linkType: PcapLinkType
    /// The snap length of the file or of its first interface; libpcap's 262144 for a pcapng interface's 0.
    public let snapLength: UInt32
    /// The file's precision (pcap), or nanoseconds when the first pcapng interface is finer than microseconds.
    public let precision: PcapPrecision

    /// Opens `path`, tells the format from the first four bytes and reads the headers.
    /// - Throws: ``SystemCallError`` when the file cannot be opened or read, ``PcapReadError`` for a magic number
    ///   of neither format, a malformed header, or a pcapng file with no interface before its first packet.
    public convenience init(path: String) throws {
        try self.init(input: PcapInput(opening: path))
    }

    /// Reads a pcap or pcapng file held in memory.
    /// - Throws: ``PcapReadError`` as ``init(path:)``.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(input: PcapInput(bytes: bytes))
    }

    private init(input: PcapInput) throws {
        path = input.path
        try input.fill(4)
        let magic = input.available >= 4 ? input.u32(0, littleEndian: false) : 0
        switch magic {
        case 0x0A0D_0D0A:
            let reader = try PcapNGReader(input: input)
            guard let first = reader.interfaces.first else {
                reader.close()
                throw PcapReadError(path: path, offset: 0, reason: .noInterface)
            }
            source = .pcapng(reader)
            format = .pcapng
            linkType = first.linkType
            snapLength = first.snapLength == 0 ? 262_144 : first.snapLength
            precision = first.timestampResolution.unitsPerSecond > 1_000_000 ? .nanoseconds : .microseconds
        case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1:
            let reader = try PcapReader(input: input)
            source = .pcap(reader)
            format = .pcap
            linkType = reader.linkType
            snapLength = reader.snapLength
            precision = reader.precision
        default:
            if input.available < 4 {
                throw PcapReadError(path: path, offset: 0, reason: .truncatedFileHeader(available: input.available))
            }
            throw PcapReadError(path: path, offset: 0, reason: .unknownFormat(magic))
        }
    }

    /// The file's interfaces: the pcapng section's IDBs, or one unnamed interface for a pcap file.
    public var interfaces: [PcapNGInterface] {
        switch source {
        case .pcap(let reader):
            [PcapNGInterface(linkType: reader.linkType, snapLength: reader.snapLength,
                             timestampResolution: reader.precision == .nanoseconds ? .nanoseconds : .microseconds)]
        case .pcapng(let reader):
            reader.interfaces
        }
    }

    /// Records read so far.
    public var recordCount: Int {
        switch source {
        case .pcap(let reader): reader.recordCount
        case .pcapng(let reader): reader.recordCount
        }
    }

    /// Hands the next record's header and bytes to `body` (the bytes are valid only during the call).
    /// - Returns: what `body` returned, nil at the end of the file.
    /// - Throws: ``PcapReadError`` for a malformed record or block, ``SystemCallError`` when `read(2)` fails, or
    ///   what `body` throws.
    public func withNextRecord<Result>(_ body: (PcapRecordHeader, UnsafeRawBufferPointer) throws -> Result) throws -> Result? {
        switch source {
        case .pcap(let reader): try reader.withNextRecord(body)
        case .pcapng(let reader): try reader.withNextRecord(body)
        }
    }

    /// Closes the file; later reads return nil.
    public func close() {
        switch source {
        case .pcap(let reader): reader.close()
        case .pcapng(let reader): reader.close()
        }
    }
}
