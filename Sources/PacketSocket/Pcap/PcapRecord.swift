/// One record of a pcap file: timestamp, lengths, the captured bytes, and where it was in the file.
public struct PcapRecord: Hashable, Sendable {
    /// Seconds since the epoch.
    public var seconds: Int64
    /// Nanoseconds within the second (microsecond files give multiples of 1000).
    public var nanoseconds: Int32
    /// The packet's length on the wire (`orig_len`).
    public var originalLength: Int
    /// The captured bytes (`incl_len` of them).
    public var bytes: [UInt8]
    /// Offset of the record header in the file.
    public var fileOffset: Int

    /// A record with its timestamp, wire length and captured bytes.
    public init(seconds: Int64, nanoseconds: Int32, originalLength: Int, bytes: [UInt8], fileOffset: Int = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.originalLength = originalLength
        self.bytes = bytes
        self.fileOffset = fileOffset
    }

    /// The captured length (`incl_len`).
    public var capturedLength: Int { bytes.count }
}
