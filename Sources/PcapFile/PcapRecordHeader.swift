import SocketBase

/// A record's header fields, handed with a view of its bytes by ``PcapReader/withNextRecord(_:)``.
public struct PcapRecordHeader: Hashable, Sendable {
    /// When the packet was captured (`ts_sec`, `ts_usec` or `ts_nsec`).
    public var timestamp: KernelTimestamp
    /// The bytes stored in the file (`incl_len`).
    public var capturedLength: Int
    /// The packet's length on the wire (`orig_len`).
    public var originalLength: Int
    /// Offset of the record header in the file.
    public var fileOffset: Int
}
