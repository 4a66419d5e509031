#if canImport(Glibc)
import Glibc
#endif
import SocketBase

/// candump's per-frame output, byte for byte as can-utils 2020.11.0's `candump.c` main loop prints it:
/// the screen line (timestamp column, interface column, `-x` info, colours, then lib.c's long frame form)
/// and the log line of `-l` / `-L`. The options can-utils added since (`-8` raw DLCs, `-N` nanoseconds) print
/// as can-utils master's `candump.c` and `lib.c` do; without them every line is 2020.11's.
///
/// A formatter carries candump's state across frames: the width of the interface column (it starts at the
/// longest name on the command line and grows as interfaces are seen, like `max_devname_len`), the colour
/// slot of each interface (candump's interface index cache), whether standard ids are indented (once an
/// extended frame was seen) and the previous timestamp for `-t d` / `-t z`.
///
/// Everything is appended to a caller's reused buffer with lookup tables: once the buffer and the interface
/// table have grown to their working size, formatting a frame allocates nothing.
///
/// ```swift
/// var formatter = CandumpFormatter(options: .init(timestamp: .absolute), commandLineNames: ["vcan0"])
/// var line: [UInt8] = []
/// line.reserveCapacity(1 << 16)
/// for received in batch {
///     formatter.append(frame: received.frame, interface: received.interface,
///                      timestamp: received.timestamp, origin: received.origin, to: &line)
/// }
/// // " (1700000000.123456)  vcan0  123   [4]  DE AD BE EF\n"
/// ```
public struct CandumpFormatter: Sendable {
    /// candump's timestamp modes (`-t`).
    public enum TimestampMode: Hashable, Sendable {
        /// No timestamp column (the default).
        case none
        /// `-t a`: `(1700000000.123456) `.
        case absolute
        /// `-t A`: `(2023-11-14 22:13:20.123456) ` in the local time zone (or UTC, see ``Options/utcDates``).
        case absoluteWithDate
        /// `-t d`: `(000.001234) `, the time since the previous frame (0 for the first).
        case delta
        /// `-t z`: `(012.345678) `, the time since the first frame.
        case zero
    }

    /// What candump's command line selected.
    public struct Options: Hashable, Sendable {
        /// `-t a|A|d|z`.
        public var timestamp: TimestampMode
        /// How often `-c` was given: 1 colours the interface column, 2 also the frame, 3 and more the whole
        /// line including the timestamp.
        public var colorLevel: Int
        /// `-a`: ASCII column after the data (`CANLIB_VIEW_ASCII`).
        public var ascii: Bool
        /// `-i`: data in binary (`CANLIB_VIEW_BINARY`).
        public var binary: Bool
        /// `-S`: data bytes in reverse order, marked with a backtick (`CANLIB_VIEW_SWAP`).
        public var swap: Bool
        /// `-e`: decode error frames on the following lines (`CANLIB_VIEW_ERROR`).
        public var errorDecode: Bool
        /// `-x`: `  TX B E` / `  RX - -` on screen and ` T` / ` R` at the end of log lines.
        public var extraInfo: Bool
        /// `-L`: print log lines (``appendLogLine(frame:interface:timestamp:origin:to:)``) instead of the
        /// screen form. ``append(frame:interface:timestamp:origin:to:)`` honours it.
        public var logFormat: Bool
        /// Write `-t A` dates in UTC instead of the local time zone (candump always uses local time; for
        /// tests and for logs meant to be compared across machines).
        public var utcDates: Bool
        /// `-8` (can-utils after v2025.01, `CANLIB_VIEW_LEN8_DLC`): a classic frame's raw DLC in `{}` instead of
        /// its length in `[]` on screen (`{B}` for a len8_dlc of 11), and `_B` after its data in log lines.
        public var rawDLC: Bool
        /// `-N` (can-utils after v2025.01): 9 fraction digits, nanoseconds, in the `-t` column and in log lines
        /// (`(1700000000.123456789)`, `(000.000001500)`) instead of 6.
        public var nanoseconds: Bool

        public init(timestamp: TimestampMode = .none, colorLevel: Int = 0, ascii: Bool = false, binary: Bool = false,
                    swap: Bool = false, errorDecode: Bool = false, extraInfo: Bool = false, logFormat: Bool = false,
                    utcDates: Bool = false, rawDLC: Bool = false, nanoseconds: Bool = false) {
            self.timestamp = timestamp
            self.colorLevel = colorLevel
            self.ascii = ascii
            self.binary = binary
            self.swap = swap
            self.errorDecode = errorDecode
            self.extraInfo = extraInfo
            self.logFormat = logFormat
            self.utcDates = utcDates
            self.rawDLC = rawDLC
            self.nanoseconds = nanoseconds
        }

        /// The log lines' timestamp precision: 9 digits with `-N`.
        public var logPrecision: CandumpLogTimestamp.Precision { nanoseconds ? .nanoseconds : .microseconds }

        /// The lib.c view flags these options select.
        public var view: CANFrameText.View {
            var view = CANFrameText.View()
            view.ascii = ascii
            view.binary = binary
            view.swap = swap
            view.errorDecode = errorDecode
            view.rawDLC = rawDLC
            return view
        }
    }

    /// The options.
    public var options: Options
    /// The width of the interface column (`max_devname_len`): names are right-aligned in it.
    public var interfaceWidth: Int
    /// Whether standard ids are indented to line up with extended ones (`CANLIB_VIEW_INDENT_SFF`); candump
    /// sets it for good once it has received an extended frame.
    public var indentStandardIDs = false
    /// What candump would have written to stderr while formatting (e.g. `Error class 0x400 is invalid\n`
    /// for `-e`): the caller writes it out and empties it.
    public var diagnostics: [UInt8] = []
    /// Interfaces in order of first appearance; the position picks the colour (candump's `dindex` cache).
    public private(set) var interfaces: [String] = []
    /// The previous frame's time (`last_tv`, `last_ts` in master), for `-t d` and `-t z`.
    private var lastTime: KernelTimestamp?

    /// A formatter for a candump session.
    /// - Parameters:
    ///   - options: The command line's choices.
    ///   - commandLineNames: The interface names given on the command line, without their filters (`any`
    ///     included): the interface column starts as wide as the longest, as in candump.
    public init(options: Options = Options(), commandLineNames: [String] = []) {
        self.options = options
        self.interfaceWidth = commandLineNames.reduce(0) { max($0, $1.utf8.count) }
        interfaces.reserveCapacity(32)
    }

    // MARK: Escapes and fixed texts (can-utils terminal.h and candump.c)

    /// candump's colours in slot order: BLUE, RED, GREEN, BOLD, MAGENTA, CYAN (each bold), from terminal.h.
    public static let colors: [[UInt8]] = ["\u{1B}[1m\u{1B}[34m", "\u{1B}[1m\u{1B}[31m", "\u{1B}[1m\u{1B}[32m",
                                           "\u{1B}[1m", "\u{1B}[1m\u{1B}[35m", "\u{1B}[1m\u{1B}[36m"].map { Array($0.utf8) }
    /// `ATTRESET`.
    public static let colorReset: [UInt8] = Array("\u{1B}[0m".utf8)
    /// candump's `extra_m_info`, indexed by the FD flags' BRS and ESI bits.
    static let extraFlags: [StaticString] = ["- -", "B -", "- E", "B E"]

    // MARK: Interfaces

    /// The colour slot of an interface, registering it (and widening the column) the first time it is seen,
    /// as candump's `idx2dindex` does.
    /// - Returns: The interface's position in order of first appearance.
    @discardableResult
    public mutating func slot(for interface: String) -> Int {
        for i in interfaces.indices where interfaces[i] == interface { return i }
        interfaces.append(interface)
        interfaceWidth = max(interfaceWidth, interface.utf8.count)
        return interfaces.count - 1
    }

    // MARK: Lines

    /// Appends candump's output for one received frame, newline included: the log line when
    /// ``Options/logFormat`` is set, otherwise the screen line.
    ///
    /// Screen line, as candump.c prints it: `" "`, colour (level ≥ 3), the timestamp column, `" "`, colour
    /// (levels 1–2), the interface name right-aligned in ``interfaceWidth``, with `-x` `"  TX B E"` (BRS/ESI
    /// from the FD flags byte), colour off (level 1), `"  "`, lib.c's long frame form (and the `-e` decode
    /// lines), colour off (level ≥ 2), `"\n"`.
    /// - Parameters:
    ///   - frame: The frame as received.
    ///   - interface: The name of the interface it came in on.
    ///   - timestamp: Its receive time; candump prints whole microseconds (`SO_TIMESTAMP`), with `-N` nanoseconds.
    ///   - origin: Who sent it; `-x` prints `TX` for frames sent from this host (`MSG_DONTROUTE`).
    ///   - buffer: The output, appended to.
    public mutating func append(frame: CANFrame, interface: String, timestamp: KernelTimestamp,
                                origin: CANReceivedFrame.Origin, to buffer: inout [UInt8]) {
        let index = slot(for: interface)
        if frame.isExtended { indentStandardIDs = true }
        if options.logFormat {
            appendLogLine(frame: frame, interface: interface, timestamp: timestamp, origin: origin, to: &buffer)
            return
        }
        appendScreenHead(slot: index, interface: interface, timestamp: timestamp, origin: origin,
                         extraFlags: Self.extraFlags[Int(frame.rawFlagsByte & 3)], to: &buffer)
        var view = options.view
        view.indentStandardIDs = indentStandardIDs
        CANFrameText.appendLong(frame, view: view, to: &buffer, warnings: &diagnostics)
        if options.colorLevel > 1 { buffer.append(contentsOf: Self.colorReset) }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The screen line up to the frame, for every frame kind: the colour of the interface's slot, the timestamp
    /// column, the padded interface name, with `-x` the direction and `extraFlags` (`B E`/`S R` words), then two
    /// spaces (candump.c's sequence of `printf`s before `sprint_long_canframe`).
    mutating func appendScreenHead(slot index: Int, interface: String, timestamp: KernelTimestamp,
                          origin: CANReceivedFrame.Origin, extraFlags: StaticString, to buffer: inout [UInt8]) {
        let color = options.colorLevel
        buffer.append(UInt8(ascii: " "))
        if color > 2 { buffer.append(contentsOf: Self.colors[index % Self.colors.count]) }
        appendTimestampColumn(timestamp, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        if color > 0 && color < 3 { buffer.append(contentsOf: Self.colors[index % Self.colors.count]) }
        CANFrameText.appendPadded(interface, width: interfaceWidth, to: &buffer)
        if options.extraInfo {
            CANErrorFrame.append(origin.isTransmitted ? "  TX " : "  RX ", to: &buffer)
            CANErrorFrame.append(extraFlags, to: &buffer)
        }
        if color == 1 { buffer.append(contentsOf: Self.colorReset) }
        buffer.append(UInt8(ascii: " "))
        buffer.append(UInt8(ascii: " "))
    }

    /// Appends the received frame's line in a ``CANReceivedFrame``; see
    /// ``append(frame:interface:timestamp:origin:to:)``.
    public mutating func append(_ received: CANReceivedFrame, to buffer: inout [UInt8]) {
        append(frame: received.frame, interface: received.interface, timestamp: received.timestamp,
               origin: received.origin, to: &buffer)
    }

    /// Appends the log line of `-l` / `-L`, newline included:
    /// `(%010lu.%06lu) %*s FRAME` with the interface right-aligned in ``interfaceWidth`` and, with `-x`,
    /// ` T` (sent from this host) or ` R`; with `-N` the timestamp has 9 digits, with `-8` a classic frame's raw
    /// DLC follows its data as `_B` (both as can-utils master writes them).
    ///
    /// Does not register the interface: call ``slot(for:)`` first (``append(frame:interface:timestamp:origin:to:)``
    /// does) so the column widens as candump's does.
    public func appendLogLine(frame: CANFrame, interface: String, timestamp: KernelTimestamp,
                              origin: CANReceivedFrame.Origin, to buffer: inout [UInt8]) {
        appendLogLine(interface: interface, timestamp: timestamp, origin: origin, to: &buffer) {
            CANFrameText.appendCompact(frame, rawDLC: options.rawDLC, to: &$0)
        }
    }

    /// The log line around a frame's compact text, for every frame kind: the timestamp, the interface, the text
    /// `frameText` appends, ` T`/` R` with `-x`, the newline.
    func appendLogLine(interface: String, timestamp: KernelTimestamp, origin: CANReceivedFrame.Origin,
                       to buffer: inout [UInt8], frameText: (inout [UInt8]) -> Void) {
        CandumpLogTimestamp.append(timestamp, precision: options.logPrecision, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        CANFrameText.appendPadded(interface, width: interfaceWidth, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        frameText(&buffer)
        if options.extraInfo {
            buffer.append(UInt8(ascii: " "))
            buffer.append(origin.isTransmitted ? UInt8(ascii: "T") : UInt8(ascii: "R"))
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends candump's `-d` drop report, newline included:
    /// `DROPCOUNT: dropped 3 CAN frames on 'vcan0' socket (total drops 7)`.
    /// - Parameters:
    ///   - dropped: Frames dropped since the last report.
    ///   - total: The socket's running drop count (`SO_RXQ_OVFL`).
    public static func appendDropCount(dropped: UInt32, interface: String, total: UInt32, to buffer: inout [UInt8]) {
        CANErrorFrame.append("DROPCOUNT: dropped ", to: &buffer)
        appendSignedDecimal(Int32(bitPattern: dropped), to: &buffer)  // candump prints these with %d
        CANErrorFrame.append(" CAN frame", to: &buffer)
        if dropped > 1 { buffer.append(UInt8(ascii: "s")) }
        CANErrorFrame.append(" on '", to: &buffer)
        buffer.append(contentsOf: interface.utf8)
        CANErrorFrame.append("' socket (total drops ", to: &buffer)
        appendSignedDecimal(Int32(bitPattern: total), to: &buffer)
        CANErrorFrame.append(")\n", to: &buffer)
    }

    // MARK: Timestamp column

    /// Appends the `-t` column with its trailing space (nothing for ``TimestampMode/none``), updating the
    /// delta state as candump does: 6 fraction digits, or 9 with ``Options/nanoseconds`` (master's
    /// `sprint_timestamp` with `use_ns`).
    public mutating func appendTimestampColumn(_ timestamp: KernelTimestamp, to buffer: inout [UInt8]) {
        let nanoseconds = options.nanoseconds
        switch options.timestamp {
        case .none:
            return
        case .absolute:
            Self.appendParenthesized(seconds: UInt64(truncatingIfNeeded: timestamp.seconds), secondsWidth: 10,
                                     fraction: timestamp, nanoseconds: nanoseconds, to: &buffer)
        case .absoluteWithDate:
            let fields = WallClock.fields(ofSeconds: timestamp.seconds, utc: options.utcDates)
            buffer.append(UInt8(ascii: "("))
            CANFrameText.appendDecimal(UInt64(truncatingIfNeeded: fields.year), width: 4, to: &buffer)
            buffer.append(UInt8(ascii: "-"))
            CANFrameText.appendDecimal(UInt64(fields.month), width: 2, to: &buffer)
            buffer.append(UInt8(ascii: "-"))
            CANFrameText.appendDecimal(UInt64(fields.day), width: 2, to: &buffer)
            buffer.append(UInt8(ascii: " "))
            CANFrameText.appendDecimal(UInt64(fields.hour), width: 2, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            CANFrameText.appendDecimal(UInt64(fields.minute), width: 2, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            CANFrameText.appendDecimal(UInt64(fields.second), width: 2, to: &buffer)
            buffer.append(UInt8(ascii: "."))
            Self.appendFraction(of: timestamp, nanoseconds: nanoseconds, to: &buffer)
            buffer.append(UInt8(ascii: ")"))
            buffer.append(UInt8(ascii: " "))
        case .delta, .zero:
            // candump (re)starts when last_tv.tv_sec is 0 and clamps negatives to 0. 2020.11 subtracts struct
            // timevals (whole microseconds, as SO_TIMESTAMP truncates them); master with -N subtracts timespecs.
            if lastTime == nil || lastTime!.seconds == 0 { lastTime = timestamp }
            let last = lastTime!
            let unit: Int64 = nanoseconds ? 1 : 1000
            let perSecond = 1_000_000_000 / unit
            var seconds = timestamp.seconds - last.seconds
            var fraction = Int64(timestamp.nanoseconds) / unit - Int64(last.nanoseconds) / unit
            if fraction < 0 { seconds -= 1; fraction += perSecond }
            if seconds < 0 { seconds = 0; fraction = 0 }
            buffer.append(UInt8(ascii: "("))
            CANFrameText.appendDecimal(UInt64(seconds), width: 3, to: &buffer)
            buffer.append(UInt8(ascii: "."))
            CANFrameText.appendDecimal(UInt64(fraction), width: nanoseconds ? 9 : 6, to: &buffer)
            buffer.append(UInt8(ascii: ")"))
            buffer.append(UInt8(ascii: " "))
            if options.timestamp == .delta { lastTime = timestamp }
        }
    }

    /// `(%0<w>lu.%06lu) `, or `(%0<w>lu.%09lu) ` with `nanoseconds`: the fraction of `fraction`'s second.
    static func appendParenthesized(seconds: UInt64, secondsWidth: Int, fraction: KernelTimestamp, nanoseconds: Bool,
                                    to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "("))
        CANFrameText.appendDecimal(seconds, width: secondsWidth, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendFraction(of: fraction, nanoseconds: nanoseconds, to: &buffer)
        buffer.append(UInt8(ascii: ")"))
        buffer.append(UInt8(ascii: " "))
    }

    /// The 6 (microseconds, truncated) or 9 (nanoseconds) fraction digits of a timestamp.
    @inline(__always)
    static func appendFraction(of timestamp: KernelTimestamp, nanoseconds: Bool, to buffer: inout [UInt8]) {
        if nanoseconds {
            CANFrameText.appendDecimal(UInt64(timestamp.nanoseconds), width: 9, to: &buffer)
        } else {
            CANFrameText.appendDecimal(UInt64(timestamp.microseconds), width: 6, to: &buffer)
        }
    }

    static func appendSignedDecimal(_ value: Int32, to buffer: inout [UInt8]) {
        ByteText.appendDecimal(value, to: &buffer)
    }
}
