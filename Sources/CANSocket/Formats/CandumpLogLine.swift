import SocketBase

/// One line of a candump log (`candump -l`, `-L`, `-f`; canplayer's input):
/// `(1700000000.123456) vcan0 123#DEADBEEF`, with ` T` or ` R` appended by `candump -x`; with `candump -N`
/// the timestamp has 9 digits. The frame is classic, FD or, as current can-utils logs it, CAN XL
/// (`(1700000000.123456) vcan0 39598#82:4A:3239B34A#3CAB`).
public struct CandumpLogLine: Hashable, Sendable, CustomStringConvertible {
    /// The timestamp.
    public var timestamp: KernelTimestamp
    /// Whether the timestamp was (or is to be) written with 6 or 9 fraction digits.
    public var precision: CandumpLogTimestamp.Precision
    /// The interface name.
    public var interface: String
    /// The frame: classic or FD, or CAN XL.
    public var frame: CANAnyFrame
    /// `T` (sent by this host) or `R` from `-x`, if present.
    public var direction: Character?

    public init(timestamp: KernelTimestamp, interface: String, frame: CANAnyFrame, direction: Character? = nil,
                precision: CandumpLogTimestamp.Precision = .microseconds) {
        self.timestamp = timestamp
        self.precision = precision
        self.interface = interface
        self.frame = frame
        self.direction = direction
    }

    /// A line with a classic or FD frame.
    public init(timestamp: KernelTimestamp, interface: String, frame: CANFrame, direction: Character? = nil,
                precision: CandumpLogTimestamp.Precision = .microseconds) {
        self.init(timestamp: timestamp, interface: interface, frame: .can(frame), direction: direction, precision: precision)
    }

    /// The classic or FD frame; nil for a CAN XL frame.
    public var canFrame: CANFrame? {
        if case .can(let frame) = frame { return frame }
        return nil
    }

    /// Parses one log line (without its newline): `(seconds.fraction) name frame[ T| R]`, the name possibly
    /// preceded by padding spaces (candump aligns names when it dumps several interfaces).
    ///
    /// Accepts every variant can-utils writes: 6 or 9 fraction digits (see ``CandumpLogTimestamp``),
    /// classic, remote, error and FD frames with any flags nibble `0`–`F` (2020.11 logs `##1` for BRS, current
    /// can-utils ORs in FDF and logs `##5`), `_<dlc>` after 8 data bytes (len8_dlc), CAN XL frames
    /// (`<vcid><prio>#<flags>:<sdt>:<af>#<data>`, see ``CANFrameText/parseAny(_:)``), and the ` T`/` R` suffix.
    /// - Throws: ``CANTextParseError`` with the column of the problem.
    public init(parsing text: some StringProtocol) throws(CANTextParseError) {
        let bytes = Array(text.utf8)
        var (timestamp, precision, index) = try CandumpLogTimestamp.parse(bytes)
        guard index < bytes.count, bytes[index] == UInt8(ascii: " ") else {
            throw CANTextParseError("expected ' ' after the timestamp", column: index + 1)
        }
        index += 1
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
        let frame: CANAnyFrame
        do {
            let text = bytes[frameStart..<index]
            frame = CANFrameText.compactKind(text) == .xl ? .xl(try CANFrameText.parseXL(Array(text)))
                : .can(try CANFrameText.parse(text))
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
        self.init(timestamp: timestamp, interface: name, frame: frame, direction: direction, precision: precision)
    }

    /// The line as candump writes it (no newline).
    public var description: String {
        var buffer: [UInt8] = []
        appendFormatted(to: &buffer, interfaceWidth: 0)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the line as candump writes it: `(%010lu.%06lu) %*s FRAME[ T| R]` (9 digits with
    /// ``precision`` `.nanoseconds`) with the interface name right-aligned in `interfaceWidth` columns; no newline.
    /// A classic frame's raw DLC is written as `_B`, as current can-utils does.
    public func appendFormatted(to buffer: inout [UInt8], interfaceWidth: Int) {
        CandumpLogTimestamp.append(timestamp, precision: precision, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        CANFrameText.appendPadded(interface, width: interfaceWidth, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        switch frame {
        case .can(let frame):
            // Log files carry the raw DLC (`_B`): the reader takes it back, current canplayer sends it.
            CANFrameText.appendCompact(frame, rawDLC: true, to: &buffer)
        case .xl(let frame):
            CANFrameText.appendCompact(frame, to: &buffer)
        }
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
        /// The 1-based number of the line the last result came from (0 before the first).
        public var lineNumber: Int { index }

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
