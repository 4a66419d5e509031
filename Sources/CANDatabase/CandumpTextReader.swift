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

    /// Reads one line (without its line end).
    public mutating func read(_ line: UnsafeBufferPointer<UInt8>) -> Line {
        guard let (lineFormat, frame) = Self.parse(line) else { return .text }
        if let format, format != lineFormat { return .text }
        format = lineFormat
        return frame.map { .frame($0) } ?? .errorFrame
    }

    /// Reads one line of text.
    public mutating func read(_ line: String) -> Line {
        var copy = line
        return copy.withUTF8 { read($0) }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// The line's format and frame (nil for an error frame), or nil when it is no frame line.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> (Format, CANFrame?)? {
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
                guard let frame = parseCompact(UnsafeBufferPointer(rebasing: b[i..<n])) else { return nil }
                return (.log, frame.isError ? nil : frame)
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
        if extended && id & CANFrame.errorFlag != 0 { return (format, nil) }
        while i < n && isSpace(b[i]) { i += 1 }
        var data: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remote = false
        withUnsafeMutableBytes(of: &data) { out in
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
        do throws(CANFrameError) {
            let canID = extended ? try CANID(extended: id) : try CANID(standard: id)
            let frame: CANFrame
            if remote {
                frame = try CANFrame(remote: canID, length: min(length, 8))
            } else {
                frame = try withUnsafeBytes(of: data) { raw throws(CANFrameError) in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[..<count])
                    return fd ? try CANFrame(fd: canID, data: bytes) : try CANFrame(id: canID, data: bytes)
                }
            }
            return (format, frame)
        } catch {
            return nil
        }
    }

    /// `123#11223344`, `12345678#R`, `123##1AABB` (cansend syntax).
    static func parseCompact(_ b: UnsafeBufferPointer<UInt8>) -> CANFrame? {
        var end = 0
        while end < b.count && !isSpace(b[end]) { end += 1 }
        // Anything after the frame may only be candump -x's ` T` / ` R`.
        if end < b.count {
            var j = end
            while j < b.count && isSpace(b[j]) { j += 1 }
            guard j + 1 == b.count, b[j] == UInt8(ascii: "T") || b[j] == UInt8(ascii: "R") else { return nil }
        }
        return try? CANFrameText.parse(String(decoding: UnsafeBufferPointer(rebasing: b[..<end]), as: UTF8.self))
    }
}
