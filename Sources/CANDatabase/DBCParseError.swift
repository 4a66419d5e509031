/// A DBC file that could not be read: what was expected, and the 1-based line and column where it was not found.
public struct DBCParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, e.g. `expected ':' after the message length, found 'X'`.
    public let message: String
    /// The 1-based line of the problem.
    public let line: Int
    /// The 1-based column of the problem.
    public let column: Int
    /// The file's name, when it came from a file.
    public var file: String?

    public init(_ message: String, line: Int, column: Int, file: String? = nil) {
        self.message = message
        self.line = line
        self.column = column
        self.file = file
    }

    public var description: String {
        (file.map { "\($0): " } ?? "") + "line \(line), column \(column): \(message)"
    }
}
