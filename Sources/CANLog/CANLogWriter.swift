import CANSocket

/// Writes a log in any of the formats, into a caller's buffer that it empties as it likes.
///
/// A BLF file's header is known only at the end: ``finish(to:)`` returns it, to be written over the file's
/// first bytes (a non-seekable output cannot hold BLF).
public struct CANLogWriter: Sendable {
    enum Inner: Sendable {
        case candump(CandumpLogTimestamp.Precision?)
        case asc(ASCWriter)
        case blf(BLFWriter)
    }
    var inner: Inner
    /// The format written.
    public let format: CANLogFormat

    /// - Parameters:
    ///   - channels: ASC and BLF channel numbers for interfaces (by first appearance otherwise).
    ///   - precision: For candump logs, 6 or 9 fraction digits for every line; nil keeps each line's own.
    public init(format: CANLogFormat, channels: CANLogChannels = CANLogChannels(),
                precision: CandumpLogTimestamp.Precision? = nil) {
        self.format = format
        switch format {
        case .candump: inner = .candump(precision)
        case .asc: inner = .asc(ASCWriter(channels: channels))
        case .blf: inner = .blf(BLFWriter(channels: channels))
        }
    }

    /// Appends one frame.
    /// - Throws: ``CANLogError`` for a frame the format cannot hold (CAN XL in ASC or BLF, an FD error frame in ASC).
    public mutating func append(_ line: CandumpLogLine, to output: inout [UInt8]) throws(CANLogError) {
        switch inner {
        case .candump(let precision):
            var line = line
            if let precision { line.precision = precision }
            line.appendFormatted(to: &output, interfaceWidth: 0)
            output.append(0x0A)
        case .asc(var writer):
            inner = .candump(nil)   // let go of the enum's copy, so appending does not copy the writer's buffers
            defer { inner = .asc(writer) }
            try writer.append(line, to: &output)
        case .blf(var writer):
            inner = .candump(nil)
            defer { inner = .blf(writer) }
            try writer.append(line, to: &output)
        }
    }

    /// Writes what is buffered.
    /// - Returns: For BLF, the final file header to write over the first bytes of the file; nil otherwise.
    public mutating func finish(to output: inout [UInt8]) -> [UInt8]? {
        guard case .blf(var writer) = inner else { return nil }
        let header = writer.finish(to: &output)
        inner = .blf(writer)
        return header
    }
}
