import CANSocket

/// A log file that could not be read or a line that could not be written: what was wrong and where.
///
/// Reads like `trace.asc:12: expected 8 data bytes after 'd 8'`, `trace.blf: byte 4242: …` or
/// `candump.log:3:31: 'G' is not a hex digit`.
public struct CANLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// The file's name as the user gave it, when known.
    public var file: String?
    /// The 1-based line (text formats).
    public var line: Int?
    /// The 1-based column (text formats), when known.
    public var column: Int?
    /// The byte offset in the file (binary formats).
    public var offset: Int?

    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, offset: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// A candump log parse error, located.
    public init(_ error: CANTextParseError, file: String? = nil) {
        self.init(error.message, file: file, line: error.line, column: error.column)
    }

    /// A CAN XL frame for a format that has none (ASC, BLF), quoting the frame.
    static func noXL(in format: String, _ line: CandumpLogLine) -> CANLogError {
        CANLogError("a CAN XL frame cannot be written to \(format), which has no CAN XL frames: \(line.frame)")
    }

    /// The same error, at `line` of `file` (the input a frame came from), keeping its message.
    public func at(file: String?, line: Int?) -> CANLogError {
        var copy = self
        copy.file = file
        copy.line = line
        copy.column = nil
        copy.offset = nil
        return copy
    }

    /// The same error, naming `file`.
    public func inFile(_ file: String) -> CANLogError {
        var copy = self
        copy.file = file
        return copy
    }

    public var description: String {
        var place = file ?? ""
        if let line {
            place += (place.isEmpty ? "line " : ":") + "\(line)"
            if let column { place += ":\(column)" }
        } else if let offset {
            place += (place.isEmpty ? "" : ": ") + "byte \(offset)"
        }
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
