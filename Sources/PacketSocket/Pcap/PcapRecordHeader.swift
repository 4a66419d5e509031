/// A record's header fields, handed with a view of its bytes by ``PcapReader/withNextRecord(_:)``.
public struct PcapRecordHeader: Hashable, Sendable {
    public var seconds: Int64
    public var nanoseconds: Int32
    public var capturedLength: Int
    public var originalLength: Int
    /// Offset of the record header in the file.
    public var fileOffset: Int
}
