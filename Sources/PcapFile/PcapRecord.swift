import SocketBase

/// One record of a pcap file: timestamp, wire length, the captured bytes, and where it was in the file.
///
/// What ``PcapReader/next()`` returns and ``PcapWriter/write(_:)`` takes.
public struct PcapRecord: Hashable, Sendable {
    /// When the packet was captured (microsecond files give whole microseconds).
    public var timestamp: KernelTimestamp
    /// The packet's length on the wire (`orig_len`).
    public var originalLength: Int
    /// The captured bytes (`incl_len` of them).
    public var bytes: [UInt8]
    /// Offset of the record header in the file (0 for a record built in code).
    public var fileOffset: Int
    /// The pcapng interface (IDB index) of the packet; 0 in a classic pcap file.
    public var interfaceIndex: Int
    /// The pcapng `epb_flags` (direction, reception type); nil when absent and in a classic pcap file.
    public var flags: PcapNGPacketFlags?

    /// A record with its timestamp, captured bytes and wire length (`bytes.count` when not given).
    public init(timestamp: KernelTimestamp, bytes: [UInt8], originalLength: Int? = nil, fileOffset: Int = 0,
                interfaceIndex: Int = 0, flags: PcapNGPacketFlags? = nil) {
        self.timestamp = timestamp
        self.originalLength = originalLength ?? bytes.count
        self.bytes = bytes
        self.fileOffset = fileOffset
        self.interfaceIndex = interfaceIndex
        self.flags = flags
    }

    /// The record `header` describes, with its captured `bytes`.
    public init(header: PcapRecordHeader, bytes: [UInt8]) {
        self.init(timestamp: header.timestamp, bytes: bytes, originalLength: header.originalLength,
                  fileOffset: header.fileOffset, interfaceIndex: header.interfaceIndex, flags: header.flags)
    }

    /// The captured length (`incl_len`).
    public var capturedLength: Int { bytes.count }
}
