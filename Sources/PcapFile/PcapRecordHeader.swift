import SocketBase

/// A record's header fields, handed with a view of its bytes by ``PcapReader/withNextRecord(_:)`` (and the pcapng and
/// format-detecting readers).
public struct PcapRecordHeader: Hashable, Sendable {
    /// When the packet was captured (`ts_sec`, `ts_usec` or `ts_nsec`).
    public var timestamp: KernelTimestamp
    /// The bytes stored in the file (`incl_len`).
    public var capturedLength: Int
    /// The packet's length on the wire (`orig_len`).
    public var originalLength: Int
    /// Offset of the record header in the file.
    public var fileOffset: Int
    /// The pcapng interface the packet came from (its IDB's index in the section); 0 in a classic pcap file.
    public var interfaceIndex: Int = 0
    /// The pcapng `epb_flags` (direction, reception type); nil when the block has none, and in a classic pcap file.
    public var flags: PcapNGPacketFlags? = nil
}
