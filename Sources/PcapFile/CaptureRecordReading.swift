/// What every capture file reader does: hand out its records one at a time, each as a header and a view of its
/// bytes. ``PcapReader``, ``PcapNGReader`` and ``CaptureFileReader`` conform; the copying reads are written once,
/// here.
public protocol CaptureRecordReading: AnyObject {
    /// Hands the next record's header and bytes to `body` (the bytes are valid only during the call).
    /// - Returns: what `body` returned, nil at the end of the file.
    func withNextRecord<Result>(_ body: (PcapRecordHeader, UnsafeRawBufferPointer) throws -> Result) throws -> Result?

    /// Closes the file; later reads return nil.
    func close()
}

extension CaptureRecordReading {
    /// The next record, copied out; nil at the end of the file.
    /// - Throws: as ``withNextRecord(_:)``.
    public func next() throws -> PcapRecord? {
        try withNextRecord { header, bytes in PcapRecord(header: header, bytes: Array(bytes)) }
    }

    /// Every remaining record.
    /// - Throws: as ``withNextRecord(_:)``.
    public func readAll() throws -> [PcapRecord] {
        var records: [PcapRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }
}
