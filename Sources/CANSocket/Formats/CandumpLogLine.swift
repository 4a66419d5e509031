import SocketBase

/// One line of a candump log (`candump -l`, `-L`; canplayer's input):
/// `(1700000000.123456) vcan0 123#DEADBEEF`, with ` T` or ` R` appended by `candump -x`.
public struct CandumpLogLine: Hashable, Sendable, CustomStringConvertible {
    /// The timestamp: seconds and microseconds, as printed.
    public var timestamp: CANTimestamp
    /// The interface name.
    public var interface: String
    /// The frame.
    public var frame: CANFrame
    /// `T` (sent by this host) or `R` from `-x`, if present.
    public var direction: Character?

    public init(timestamp: CANTimestamp, interface: String, frame: CANFrame, direction: Character? = nil) {
        self.timestamp = timestamp
        self.interface = interface
        self.frame = frame
        self.direction = direction
    }

    /// Parses one log line (without its newline): `(seconds.micro) name frame[ T| R]`, the name possibly
    /// preceded by padding spaces (candump aligns names when it dumps several interfaces).
    /// - Throws: ``CANTextParseError`` with the column of the problem.
    public init(parsing text: some StringProtocol) throws(CANTextParseError) {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "(") else { throw CANTextParseError("expected '(' to open the timestamp", column: 1) }
        var index = 1
        var seconds: Int64 = 0
        var digits = 0
        while index < bytes.count, let d = Self.digit(bytes[index]) {
            seconds = seconds * 10 + Int64(d); index += 1; digits += 1
            guard digits <= 18 else { throw CANTextParseError("timestamp seconds too long", column: index) }
        }
        guard digits > 0 else { throw CANTextParseError("expected timestamp seconds", column: index + 1) }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else {
            throw CANTextParseError("expected '.' in the timestamp", column: index + 1)
        }
        index += 1
        var micros: Int32 = 0
        digits = 0
        while index < bytes.count, let d = Self.digit(bytes[index]), digits < 9 {
            micros = micros * 10 + Int32(d); index += 1; digits += 1
        }
        guard digits == 6 else { throw CANTextParseError("expected 6 digits of microseconds", column: index + 1) }
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: ")"), bytes[index + 1] == UInt8(ascii: " ") else {
            throw CANTextParseError("expected ') ' after the timestamp", column: index + 1)
        }
        index += 2
        // candump right-aligns the name in the widest name's column: more spaces may come first.
        while index < bytes.count && bytes[index] == UInt8(ascii: " ") { index += 1 }
        let nameStart = index
        while index < bytes.count && bytes[index] != UInt8(ascii: " ") { index += 1 }
        guard index > nameStart else { throw CANTextParseError("expected an interface name", column: nameStart + 1) }
        guard index + 1 < bytes.count else { throw CANTextParseError("expected a frame after the interface name", column: index + 1) }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        index += 1
        let frameStart = index
        while index < bytes.count && bytes[index] != UInt8(ascii: " ") { index += 1 }
        let frameText = String(decoding: bytes[frameStart..<index], as: UTF8.self)
        let frame: CANFrame
        do {
            frame = try CANFrameText.parse(frameText)
        } catch {
            throw CANTextParseError(error.message, column: frameStart + error.column)
        }
        var direction: Character?
        if index < bytes.count {
            guard index + 2 == bytes.count, bytes[index + 1] == UInt8(ascii: "T") || bytes[index + 1] == UInt8(ascii: "R") else {
                throw CANTextParseError("unexpected text after the frame (only ' T' or ' R' may follow)", column: index + 1)
            }
            direction = Character(Unicode.Scalar(bytes[index + 1]))
        }
        self.init(timestamp: CANTimestamp(seconds: seconds, nanoseconds: micros * 1000), interface: name,
                  frame: frame, direction: direction)
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    /// The line as candump writes it (no newline).
    public var description: String {
        var buffer: [UInt8] = []
        appendFormatted(to: &buffer, interfaceWidth: 0)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the line as candump writes it: `(%010lu.%06lu) %*s FRAME[ T| R]` with the interface name
    /// right-aligned in `interfaceWidth` columns; no newline.
    public func appendFormatted(to buffer: inout [UInt8], interfaceWidth: Int) {
        buffer.append(UInt8(ascii: "("))
        CANFrameText.appendDecimal(UInt64(max(0, timestamp.seconds)), width: 10, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        CANFrameText.appendDecimal(UInt64(timestamp.microseconds), width: 6, to: &buffer)
        buffer.append(contentsOf: ") ".utf8)
        CANFrameText.appendPadded(interface, width: interfaceWidth, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        CANFrameText.appendCompact(frame, to: &buffer)
        if let direction {
            buffer.append(UInt8(ascii: " "))
            buffer.append(contentsOf: String(direction).utf8)
        }
    }
}

/// Reads a candump log: each line parsed, a bad line reported with its 1-based line and column.
///
/// Lines end in `\n` or `\r\n`; empty lines are passed over.
public struct CandumpLogReader: Sequence {
    /// What to do with a line that does not parse.
    public enum Policy: Sendable {
        /// Stop: the iterator yields the error and ends.
        case stop
        /// Skip it: the error is still yielded, so the caller can report it, and reading goes on.
        case skip
    }

    let text: String
    let policy: Policy

    /// Reads `text` (a whole log).
    /// - Parameters:
    ///   - policy: Whether to stop at the first bad line or go on after it.
    public init(text: String, onError policy: Policy = .stop) {
        self.text = text
        self.policy = policy
    }

    public struct Iterator: IteratorProtocol {
        let lines: [Substring.UTF8View]
        let policy: Policy
        var index = 0
        var stopped = false

        /// The next line: its entry, or the error that says where it went wrong.
        public mutating func next() -> Result<CandumpLogLine, CANTextParseError>? {
            while !stopped && index < lines.count {
                var line = lines[index]
                index += 1
                // Split on bytes: as Characters, "\r\n" is one grapheme and would hide the line end.
                if line.last == 0x0D { line = line.dropLast() }
                if line.isEmpty { continue }
                do {
                    return .success(try CandumpLogLine(parsing: Substring(line)))
                } catch {
                    var located = error
                    located.line = index
                    if policy == .stop { stopped = true }
                    return .failure(located)
                }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator {
        let whole = text[...].utf8
        return Iterator(lines: whole.split(separator: 0x0A, omittingEmptySubsequences: false), policy: policy)
    }
}

extension CANFrameText {
    /// `%0<width>lu`: a decimal zero-padded to at least `width` digits, without allocating.
    @inline(__always)
    public static func appendDecimal(_ value: UInt64, width: Int, to buffer: inout [UInt8]) {
        ByteText.appendDecimal(value, minimumDigits: width, to: &buffer)
    }

    /// `%*s`: `name` right-aligned in `width` columns.
    @inline(__always)
    public static func appendPadded(_ name: String, width: Int, to buffer: inout [UInt8]) {
        ByteText.appendRightAligned(name, width: width, to: &buffer)
    }
}
