import CANSocket

/// Reads frames from candump's text, line by line, the way `cantools decode` reads its input: the first line
/// that is a frame fixes the format (screen output with or without `-t`, or log lines), and later lines in
/// another format are passed over as text.
///
/// Screen lines: `  vcan0  123   [4]  DE AD BE EF`, with `-t`'s `(1700000000.123456)` / `(000.000000)` /
/// `(2020-12-19 12:04:45.485261)` before, `-x`'s `RX - -` after the interface, `-a`'s ASCII or
/// `ERRORFRAME` after the data; `[08]` (two digits) is CAN FD. Log lines: `(1700000000.123456) vcan0 123#DEADBEEF`.
public struct CandumpTextReader: Sendable {
    /// The text formats candump writes.
    public enum Format: Hashable, Sendable {
        /// Screen output without timestamps.
        case screen
        /// Screen output with `-ta`, `-td`, `-tz` timestamps (seconds in parentheses).
        case screenTimestamped
        /// Log lines (`-l`, `-L`).
        case log
        /// Screen output with `-tA` (date and time in parentheses).
        case screenAbsoluteTime
    }

    /// The format the first frame line had; nil until then.
    public private(set) var format: Format?

    public init(format: Format? = nil) { self.format = format }

    /// What a line holds.
    public enum Line: Sendable {
        /// Not a frame in the reader's format: print it as it is.
        case text
        /// An error frame (no signals to decode): print it as it is.
        case errorFrame
        /// A frame.
        case frame(CANFrame)
    }

    /// A frame line's fields, written in place by ``read(_:into:)``: what decoding needs, without building a
    /// ``CANFrame`` (candecode-swift's hot path). Reuse one instance: its data storage is allocated once.
    public struct Fields: Sendable {
        /// The kernel `can_id` word: the id with `CAN_EFF_FLAG`, and `CAN_RTR_FLAG` for a remote request.
        public var rawID: UInt32 = 0
        /// Whether the line shows a CAN FD frame.
        public var isFD = false
        /// How many data bytes ``data`` holds (0 for a remote request).
        public var count = 0
        /// A remote request's length (DLC).
        public var remoteLength = 0
        /// The data bytes (64 of room; the first ``count`` are the frame's).
        public var data = [UInt8](repeating: 0, count: 64)

        public init() {}

        public var isExtended: Bool { rawID & CANFrame.extendedFlag != 0 }
        public var isRemote: Bool { rawID & CANFrame.remoteFlag != 0 }
        /// The id without flags.
        public var id: UInt32 { rawID & (isExtended ? CANID.extendedMax : CANID.standardMax) }

        /// Calls `body` with the ``count`` data bytes.
        @inline(__always)
        public func withUnsafeData<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            data.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }

        /// The frame these fields describe (nil when they make none, e.g. a standard id above 0x7FF).
        public var frame: CANFrame? {
            do throws(CANFrameError) {
                let canID = isExtended ? try CANID(extended: id) : try CANID(standard: id)
                if isRemote { return try CANFrame(remote: canID, length: min(remoteLength, 8)) }
                let bytes = data[..<count]
                return isFD ? try CANFrame(fd: canID, data: bytes) : try CANFrame(id: canID, data: bytes)
            } catch {
                return nil
            }
        }

        mutating func set(_ frame: CANFrame) {
            rawID = frame.rawID
            isFD = frame.isFD
            remoteLength = frame.isRemote ? frame.count : 0
            count = frame.isRemote ? 0 : frame.count
            frame.withUnsafeData { bytes in for (i, b) in bytes.enumerated() { data[i] = b } }
        }
    }

    /// What ``read(_:into:)`` found on a line.
    public enum Kind: Sendable {
        /// Not a frame in the reader's format: print it as it is.
        case text
        /// An error frame (no signals to decode): print it as it is.
        case errorFrame
        /// A frame, in the fields.
        case frame
    }

    /// Reads one line (without its line end) into `fields`, allocating nothing.
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>, into fields: inout Fields) -> Kind {
        guard let (lineFormat, isFrame) = Self.parse(line, into: &fields) else { return .text }
        if let format, format != lineFormat { return .text }
        format = lineFormat
        return isFrame ? .frame : .errorFrame
    }

    /// Reads one line (without its line end).
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>) -> Line {
        var fields = Fields()
        switch read(line, into: &fields) {
        case .text: return .text
        case .errorFrame: return .errorFrame
        case .frame: return fields.frame.map { .frame($0) } ?? .text
        }
    }

    /// Reads one line of text.
    public mutating func read(_ line: String) -> Line {
        var copy = line
        return copy.withUTF8 { read($0) }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Whether a DLC encodes this CAN FD length (`CANFrame.fdLengths`, without the array search per line).
    @inline(__always)
    static func isFDLength(_ n: Int) -> Bool {
        n <= 8 || n == 12 || n == 16 || n == 20 || n == 24 || n == 32 || n == 48 || n == 64
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// The line's format and whether it is a data or remote frame (false: an error frame), its fields in
    /// `fields`; nil when it is no frame line.
    static func parse(_ b: UnsafeBufferPointer<UInt8>, into fields: inout Fields) -> (Format, Bool)? {
        if let isError = parsePlainLogLine(b, into: &fields) { return (.log, !isError) }
        return parseAnyLine(b, into: &fields)
    }

    /// ``parse(_:into:)`` for every form, byte by byte.
    static func parseAnyLine(_ b: UnsafeBufferPointer<UInt8>, into fields: inout Fields) -> (Format, Bool)? {
        var i = 0
        let n = b.count
        while i < n && isSpace(b[i]) { i += 1 }
        var format = Format.screen
        if i < n && b[i] == UInt8(ascii: "(") {
            var close = i + 1
            var hasDash = false
            while close < n && b[close] != UInt8(ascii: ")") {
                let c = b[close]
                if c == UInt8(ascii: "-") || c == UInt8(ascii: ":") || c == 0x20 { hasDash = true }
                else if !(c >= 0x30 && c <= 0x39) && c != UInt8(ascii: ".") { return nil }
                close += 1
            }
            guard close < n, close > i + 1 else { return nil }
            format = hasDash ? .screenAbsoluteTime : .screenTimestamped
            i = close + 1
            guard i < n, isSpace(b[i]) else { return nil }
            while i < n && isSpace(b[i]) { i += 1 }
        }
        // The interface name.
        let nameStart = i
        while i < n && !isSpace(b[i]) { i += 1 }
        guard i > nameStart, i < n else { return nil }
        while i < n && isSpace(b[i]) { i += 1 }
        // A log line: `ID#…` right after the name.
        if format == .screenTimestamped {
            var j = i
            while j < n && hexValue(b[j]) != nil { j += 1 }
            if j < n && b[j] == UInt8(ascii: "#") {
                guard let isError = parseCompact(UnsafeBufferPointer(rebasing: b[i..<n]), into: &fields) else { return nil }
                return (.log, !isError)
            }
        }
        // -x: `RX - -` / `TX B E`.
        if i + 1 < n && (b[i] == UInt8(ascii: "R") || b[i] == UInt8(ascii: "T")) && b[i + 1] == UInt8(ascii: "X") {
            i += 2
            for _ in 0..<2 {
                while i < n && isSpace(b[i]) { i += 1 }
                guard i < n else { return nil }
                i += 1
            }
            while i < n && isSpace(b[i]) { i += 1 }
        }
        var id: UInt32 = 0
        let idStart = i
        while i < n, let v = hexValue(b[i]), b[i] < 0x61 {
            guard i - idStart < 8 else { return nil }
            id = id << 4 | UInt32(v); i += 1
        }
        let idDigits = i - idStart
        guard idDigits > 0, i < n, isSpace(b[i]) else { return nil }
        while i < n && isSpace(b[i]) { i += 1 }
        guard i < n, b[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        var length = 0
        let lengthStart = i
        while i < n && b[i] >= 0x30 && b[i] <= 0x39 { length = length * 10 + Int(b[i] - 0x30); i += 1; if length > 64 { return nil } }
        guard i > lengthStart, i < n, b[i] == UInt8(ascii: "]") else { return nil }
        let fd = i - lengthStart == 2
        i += 1
        if i < n && b[i] == UInt8(ascii: "{") {  // -8: the raw DLC of a classic frame
            while i < n && b[i] != UInt8(ascii: "}") { i += 1 }
            i += 1
        }
        let extended = idDigits > 3
        if extended && id & CANFrame.errorFlag != 0 { return (format, false) }
        guard extended ? id <= CANID.extendedMax : id <= CANID.standardMax else { return nil }
        while i < n && isSpace(b[i]) { i += 1 }
        var count = 0
        var remote = false
        fields.data.withUnsafeMutableBufferPointer { out in
            if n - i >= 14 && b[i] == UInt8(ascii: "r") && b[i + 1] == UInt8(ascii: "e") && b[i + 7] == UInt8(ascii: "r") {
                remote = true
                return
            }
            while count < 64, i + 1 < n, let hi = hexValue(b[i]), let lo = hexValue(b[i + 1]),
                  i + 2 == n || !(hexValue(b[i + 2]) != nil) {
                out[count] = hi << 4 | lo
                count += 1
                i += 2
                if i < n && b[i] == 0x20 { i += 1 } else { break }
            }
        }
        // What CANFrame's constructors accept: at most 8 bytes classic, an FD length a DLC encodes.
        if !remote && (fd ? !isFDLength(count) : count > 8) { return nil }
        fields.rawID = id | (extended ? CANFrame.extendedFlag : 0) | (remote ? CANFrame.remoteFlag : 0)
        fields.isFD = fd && !remote
        fields.count = remote ? 0 : count
        fields.remoteLength = remote ? min(length, 8) : 0
        return (format, true)
    }

    /// The log line candump -l writes, `(1700000000.123456) can0 123#11223344`, in one pass: single spaces,
    /// a timestamp of digits and dots, and a frame ``parsePlainCompact(_:into:)`` reads. What ``parse(_:into:)``
    /// finds for such a line (a log line); nil for any other line, which that parser then reads.
    @inline(__always)
    static func parsePlainLogLine(_ b: UnsafeBufferPointer<UInt8>, into fields: inout Fields) -> Bool? {
        let n = b.count
        guard n > 0, b[0] == UInt8(ascii: "(") else { return nil }
        var i = 1
        // The timestamp's digits and dots, eight bytes at a time while eight remain.
        while i + 8 <= n {
            let rest = timestampBytes(UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)))
            if rest == 8 { i += 8 } else { i += rest; break }
        }
        if i + 8 > n { while i < n && (b[i] &- 0x30 < 10 || b[i] == UInt8(ascii: ".")) { i += 1 } }
        guard i > 1, i + 2 < n, b[i] == UInt8(ascii: ")"), b[i + 1] == 0x20, !isSpace(b[i + 2]) else { return nil }
        i += 2
        while i < n && !isSpace(b[i]) { i += 1 }
        guard i + 1 < n, b[i] == 0x20, !isSpace(b[i + 1]) else { return nil }
        return parsePlainCompact(UnsafeBufferPointer(rebasing: b[(i + 1)...]), into: &fields)
    }

    /// How many of eight bytes (the first in the low byte) are, from the first on, digits or dots.
    @inline(__always)
    static func timestampBytes(_ w: UInt64) -> Int {
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        // Per byte x < 0x80, x + (0x80 - a) sets the byte's high bit exactly when x >= a, without carries; a byte
        // of 0x80 or more is masked to its low bits first and then refused.
        let x = w & ~high
        func atLeast(_ a: UInt64) -> UInt64 { (x &+ (0x80 &- a) &* ones) & high }
        // '.' (0x2E) ... '9' (0x39), but not '/' (0x2F).
        let ok = atLeast(0x2E) & ~atLeast(0x3A) & ~(atLeast(0x2F) & ~atLeast(0x30)) & ~w
        let bad = ~ok & high
        return bad.trailingZeroBitCount >> 3
    }

    /// A hex digit's value, or 16 or more for any other byte.
    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8 {
        let digit = c &- 0x30
        if digit < 10 { return digit }
        let letter = (c | 0x20) &- 0x61  // 'A'...'F' and 'a'...'f', and no other byte, land on 0...5
        return letter < 6 ? letter &+ 10 : 0xFF
    }

    /// Eight hex digits (the first in the low byte) as four bytes (the first in the low byte), eight at once; nil
    /// when one is no hex digit.
    @inline(__always)
    static func hexWord(_ w: UInt64) -> UInt32? {
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        guard w & high == 0 else { return nil }
        // Per byte x < 0x80, x + (0x80 - a) sets the byte's high bit exactly when x >= a, without carries.
        let digit = (w &+ 0x50 &* ones) & ~(w &+ 0x46 &* ones) & high              // 0x30...0x39
        let y = w | 0x20 &* ones
        let letter = (y &+ 0x1F &* ones) & ~(y &+ 0x19 &* ones) & high             // 'a'...'f', 'A'...'F'
        guard digit | letter == high else { return nil }
        let v = (w & (0x0F &* ones)) &+ (letter >> 7) &* 9                           // each byte's value
        var t = ((v << 4) | (v >> 8)) & 0x00FF_00FF_00FF_00FF                       // pairs in 16-bit lanes
        t = (t | t >> 8) & 0x0000_FFFF_0000_FFFF
        t = (t | t >> 16) & 0xFFFF_FFFF
        return UInt32(truncatingIfNeeded: t)
    }

    /// `123#11223344`, `12345678#R`, `123##1AABB` (cansend syntax), into `fields`.
    /// - Returns: Whether it is an error frame; nil when it is no frame.
    static func parseCompact(_ b: UnsafeBufferPointer<UInt8>, into fields: inout Fields) -> Bool? {
        var end = 0
        while end < b.count && !isSpace(b[end]) { end += 1 }
        // Anything after the frame may only be candump -x's ` T` / ` R`.
        if end < b.count {
            var j = end
            while j < b.count && isSpace(b[j]) { j += 1 }
            guard j + 1 == b.count, b[j] == UInt8(ascii: "T") || b[j] == UInt8(ascii: "R") else { return nil }
        }
        let text = UnsafeBufferPointer(rebasing: b[..<end])
        if let isError = parsePlainCompact(text, into: &fields) { return isError }
        // Anything else (`.` separators, `_` raw DLCs, a remote request's length, mistakes): CANSocket's parser.
        guard let frame = try? CANFrameText.parse(String(decoding: text, as: UTF8.self)) else { return nil }
        if frame.isError { return true }
        fields.set(frame)
        return false
    }

    /// The common forms, without allocating: `ID#` then hex pairs, or `ID##F` then hex pairs (an FD length),
    /// `ID#R`, with a 3-digit standard id up to 7FF or an 8-digit extended one (an error frame when it has
    /// `CAN_ERR_FLAG`), as `CANFrameText.parse` reads them. nil for anything else, which that parser decides.
    @inline(__always)
    static func parsePlainCompact(_ b: UnsafeBufferPointer<UInt8>, into fields: inout Fields) -> Bool? {
        let n = b.count
        let digits: Int
        if n >= 4 && b[3] == UInt8(ascii: "#") { digits = 3 } else if n >= 9 && b[8] == UInt8(ascii: "#") { digits = 8 } else { return nil }
        var id: UInt32 = 0
        for i in 0..<digits {
            guard let v = hexValue(b[i]) else { return nil }
            id = id << 4 | UInt32(v)
        }
        if digits == 3 {
            guard id <= CANID.standardMax else { return nil }
        } else {
            if id & CANFrame.errorFlag != 0 { return nil }  // error frames: the general parser
            id |= CANFrame.extendedFlag
        }
        var i = digits + 1
        if i < n && b[i] == UInt8(ascii: "R") {
            guard i + 1 == n else { return nil }
            fields.rawID = id | CANFrame.remoteFlag
            fields.isFD = false
            fields.count = 0
            fields.remoteLength = 0
            return false
        }
        var fd = false
        if i < n && b[i] == UInt8(ascii: "#") {
            guard i + 1 < n, hexValue(b[i + 1]) != nil else { return nil }
            fd = true
            i += 2
        }
        let pairs = (n - i) / 2
        guard (n - i) % 2 == 0, pairs <= (fd ? 64 : 8) else { return nil }
        if fd && !isFDLength(pairs) { return nil }
        let ok = fields.data.withUnsafeMutableBufferPointer { out -> Bool in
            var k = 0
            var bad: UInt8 = 0
            let raw = UnsafeMutableRawPointer(out.baseAddress!)
            while k + 4 <= pairs {
                guard let word = hexWord(UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)))
                else { return false }
                raw.storeBytes(of: word.littleEndian, toByteOffset: k, as: UInt32.self)
                i += 8
                k += 4
            }
            while k < pairs {
                let hi = nibble(b[i]), lo = nibble(b[i + 1])
                bad |= hi | lo
                out[k] = hi << 4 | lo & 0xF
                i += 2
                k += 1
            }
            return bad < 16
        }
        guard ok else { return nil }
        fields.rawID = id
        fields.isFD = fd
        fields.count = pairs
        fields.remoteLength = 0
        return false
    }
}
