import CANSocket

/// Reads Vector ASC text as can-utils' `asc2log` does: the `date` and `base … timestamps …` header lines, then
/// classic frame lines (`0.002367 1 390x Rx d 8 17 00 14 00 C0 00 08 00`, `r [<dlc>]` for remote requests),
/// `ErrorFrame` lines and `CANFD` lines (with or without a symbolic name, FDF/BRS/ESI/RTR from the flags word);
/// a `Begin Triggerblock <date>` line (python-can's `ASCWriter`, CANoe) sets the date the times count from.
///
/// Channel N becomes the interface ``CANLogChannels/name(for:)`` gives (`can<N-1>` by default, as asc2log
/// names it); `Rx`/`Tx` become the ` R`/` T` suffix. Times are `date` plus the offset (`timestamps absolute`) or
/// the running sum of the offsets (`relative`), with 4 to 9 decimal places. An `ErrorFrame` line carries no
/// detail: it reads as asc2log writes it, a bus error (`CAN_ERR_BUSERROR`) with 8 zero bytes.
///
/// Other events Vector tools log (`Start of measurement`, `Statistic:`, trigger blocks, comments) are passed
/// over, as asc2log does; a line that starts like a frame (time, channel, id, `Rx`/`Tx`) but does not finish
/// like one is an error with its line and column, where asc2log would skip it silently.
public struct ASCReader: Sequence, IteratorProtocol {
    let bytes: [UInt8]
    let channels: CANLogChannels
    var position = 0
    var lineNumber = 0
    var stopped = false
    var hexBase = true
    var absolute = true
    var date = LogTime.zero
    var running = LogTime.zero
    var seenFrame = false

    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - channels: The names for the channel numbers.
    public init(bytes: [UInt8], channels: CANLogChannels = CANLogChannels()) {
        self.bytes = bytes
        self.channels = channels
    }

    /// The next frame, or the error that says where a line went wrong (after which reading stops).
    public mutating func next() -> Result<CandumpLogLine, CANLogError>? {
        while !stopped && position < bytes.count {
            let end = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[position..<end]
            position = end + 1
            lineNumber += 1
            if line.last == 0x0D { line = line.dropLast() }
            do {
                if let entry = try parse(line) { return .success(entry) }
            } catch {
                stopped = true
                var located = error
                located.line = lineNumber
                return .failure(located)
            }
        }
        return nil
    }

    /// A token of the line and its 1-based column.
    typealias Token = (text: Substring, column: Int)

    mutating func parse(_ line: ArraySlice<UInt8>) throws(CANLogError) -> CandumpLogLine? {
        // Split on bytes (spaces and tabs): Character iteration would cost grapheme breaking on every line.
        let text = String(decoding: line, as: UTF8.self)
        let utf8 = text.utf8
        var tokens: [Token] = []
        var index = utf8.startIndex
        var column = 1
        while index < utf8.endIndex {
            if utf8[index] == 0x20 || utf8[index] == 0x09 {
                utf8.formIndex(after: &index); column += 1; continue
            }
            let start = index
            let startColumn = column
            while index < utf8.endIndex && utf8[index] != 0x20 && utf8[index] != 0x09 {
                utf8.formIndex(after: &index); column += 1
            }
            tokens.append((Substring(utf8[start..<index]), startColumn))
        }
        guard let first = tokens.first else { return nil }
        // python-can (and CANoe) start a trigger block with its own date: the times after it count from there.
        if first.text.lowercased() == "begin", tokens.count > 2, tokens[1].text.lowercased() == "triggerblock" {
            if let start = Self.parseDate(tokens.dropFirst(2).map(\.text)) {
                date = start
                running = .zero
            }
            return nil
        }
        if !seenFrame {
            if first.text == "date" {
                date = Self.parseDate(tokens.dropFirst().map(\.text)) ?? date
                return nil
            }
            if first.text == "base", tokens.count >= 4, tokens[2].text == "timestamps" {
                hexBase = tokens[1].text.lowercased().hasPrefix("h")
                absolute = !tokens[3].text.lowercased().hasPrefix("r")
                return nil
            }
        }
        guard tokens.count >= 3, let offset = Self.parseTime(first.text) else { return nil }
        if tokens[1].text == "CANFD" {
            return try parseFD(tokens, offset: offset)
        }
        guard let channel = Int(tokens[1].text), channel >= 0 else { return nil }
        if tokens[2].text.hasPrefix("ErrorFrame") {
            let frame = try! CANFrame(errorClass: 0x80, data: [UInt8](repeating: 0, count: 8))
            return try entry(offset: offset, channel: channel, frame: frame, direction: nil)
        }
        guard tokens.count >= 5, tokens[3].text == "Rx" || tokens[3].text == "Tx" else { return nil }
        guard let id = Self.parseID(tokens[2].text, hex: hexBase) else {
            throw CANLogError("'\(tokens[2].text)' is not a CAN id", column: tokens[2].column)
        }
        let kind = tokens[4]
        let direction: Character = tokens[3].text == "Tx" ? "T" : "R"
        if kind.text == "r" {
            var length = 0
            if tokens.count > 5 {
                guard let dlc = Int(tokens[5].text, radix: hexBase ? 16 : 10), (0...15).contains(dlc) else {
                    throw CANLogError("'\(tokens[5].text)' is not a remote request's DLC (0 to F)", column: tokens[5].column)
                }
                length = dlc
            }
            let frame = try remote(id, length: length, column: kind.column)
            return try entry(offset: offset, channel: channel, frame: frame, direction: direction)
        }
        guard kind.text == "d" else {
            throw CANLogError("expected 'd' (data) or 'r' (remote request) after the direction", column: kind.column)
        }
        guard tokens.count > 5, let dlc = Int(tokens[5].text, radix: hexBase ? 16 : 10), (0...15).contains(dlc) else {
            throw CANLogError("expected a DLC (0 to F) after 'd'", column: tokens.count > 5 ? tokens[5].column : kind.column + 2)
        }
        let length = Swift.min(dlc, 8)
        guard tokens.count >= 6 + length else {
            throw CANLogError("expected \(length) data bytes after 'd \(tokens[5].text)'", column: tokens.last!.column)
        }
        var data: [UInt8] = []
        for token in tokens[6..<(6 + length)] {
            guard let byte = UInt8(token.text, radix: hexBase ? 16 : 10) else {
                throw CANLogError("'\(token.text)' is not a data byte", column: token.column)
            }
            data.append(byte)
        }
        let frame: CANFrame
        do {
            frame = try CANFrame(id: id, data: data, len8DLC: dlc > 8 ? UInt8(dlc) : nil)
        } catch {
            throw CANLogError("\(error)", column: kind.column)
        }
        return try entry(offset: offset, channel: channel, frame: frame, direction: direction)
    }

    /// `CANFD <ch> <Rx|Tx> <id> [<name>] <brs> <esi> <dlc> <length> <bytes> <duration> <bits> <flags> …`.
    mutating func parseFD(_ tokens: [Token], offset: LogTime) throws(CANLogError) -> CandumpLogLine? {
        guard tokens.count >= 5, let channel = Int(tokens[2].text),
              tokens[3].text == "Rx" || tokens[3].text == "Tx" else { return nil }
        let direction: Character = tokens[3].text == "Tx" ? "T" : "R"
        guard let id = Self.parseID(tokens[4].text, hex: true) else {
            throw CANLogError("'\(tokens[4].text)' is not a CAN id", column: tokens[4].column)
        }
        var index = 5
        // An optional symbolic name stands between the id and the BRS bit.
        if index < tokens.count, tokens[index].text != "0" && tokens[index].text != "1" { index += 1 }
        guard index + 3 < tokens.count,
              let brs = Int(tokens[index].text), (0...1).contains(brs),
              let esi = Int(tokens[index + 1].text), (0...1).contains(esi),
              let dlc = Int(tokens[index + 2].text, radix: 16), (0...15).contains(dlc),
              let length = Int(tokens[index + 3].text), (0...64).contains(length) else {
            let column = index < tokens.count ? tokens[index].column : tokens.last!.column
            throw CANLogError("expected '<brs 0|1> <esi 0|1> <dlc hex> <data length>' in a CANFD line", column: column)
        }
        index += 4
        // The data bytes, then message duration and bit count, then the flags word.
        guard tokens.count >= index + length + 3 else {
            throw CANLogError("expected \(length) data bytes, the duration, bit count and flags", column: tokens.last!.column)
        }
        var data: [UInt8] = []
        for token in tokens[index..<(index + length)] {
            guard let byte = UInt8(token.text, radix: 16) else {
                throw CANLogError("'\(token.text)' is not a data byte", column: token.column)
            }
            data.append(byte)
        }
        index += length
        let flagsToken = tokens[index + 2]
        guard let flags = UInt32(flagsToken.text, radix: 16) else {
            throw CANLogError("'\(flagsToken.text)' is not the flags word", column: flagsToken.column)
        }
        let frame: CANFrame
        do {
            if flags & ASCWriter.Flag.fdFormat != 0 {
                var fdFlags: CANFDFlags = []
                if flags & ASCWriter.Flag.bitRateSwitch != 0 || brs == 1 { fdFlags.insert(.bitRateSwitch) }
                if flags & ASCWriter.Flag.errorStateIndicator != 0 || esi == 1 { fdFlags.insert(.errorStateIndicator) }
                frame = try CANFrame(fd: id, data: data, flags: fdFlags)
            } else if flags & ASCWriter.Flag.remote != 0 {
                frame = try remote(id, length: dlc, column: tokens[index].column)
            } else {
                frame = try CANFrame(id: id, data: data, len8DLC: dlc > 8 && length == 8 ? UInt8(dlc) : nil)
            }
        } catch {
            throw CANLogError("\(error)", column: tokens[4].column)
        }
        return try entry(offset: offset, channel: channel, frame: frame, direction: direction)
    }

    func remote(_ id: CANID, length: Int, column: Int) throws(CANLogError) -> CANFrame {
        do {
            return try CANFrame(remote: id, length: Swift.min(length, 8), len8DLC: length > 8 ? UInt8(length) : nil)
        } catch {
            throw CANLogError("\(error)", column: column)
        }
    }

    mutating func entry(offset: LogTime, channel: Int, frame: CANFrame, direction: Character?) throws(CANLogError) -> CandumpLogLine {
        seenFrame = true
        let time: LogTime
        if absolute {
            time = date + offset
        } else {
            if running == .zero { running = date }
            guard let next = running.adding(offset), next.nanoseconds / 1_000_000_000 <= LogTime.maximumSeconds else {
                throw CANLogError("relative times add up beyond the year 2262", column: 1)
            }
            running = next
            time = running
        }
        return CandumpLogLine(timestamp: time.timestamp, interface: channels.name(for: channel), frame: frame, direction: direction)
    }

    /// The largest time offset a line may have, 100 years: a longer one is not a time, and could not be added to a
    /// header's date (years up to 2161) without passing 2262. ``ASCWriter`` refuses frames that would need more.
    static let maximumOffsetSeconds: Int64 = 3_155_760_000

    /// `<seconds>.<4 to 9 digits>`.
    static func parseTime(_ text: Substring) -> LogTime? {
        guard let dot = text.firstIndex(of: "."), let seconds = Int64(text[..<dot]), (0...maximumOffsetSeconds).contains(seconds) else {
            return nil
        }
        let fraction = text[text.index(after: dot)...]
        guard (4...9).contains(fraction.count), fraction.allSatisfy(\.isASCII), let value = Int64(fraction), value >= 0 else {
            return nil
        }
        var nanos = value
        for _ in fraction.count..<9 { nanos *= 10 }
        return LogTime(seconds: seconds, nanoseconds: nanos)
    }

    /// `123` (standard) or `12345678x` (extended).
    static func parseID(_ text: Substring, hex: Bool) -> CANID? {
        let extended = text.hasSuffix("x") || text.hasSuffix("X")
        guard let value = UInt32(extended ? text.dropLast() : text, radix: hex ? 16 : 10) else { return nil }
        if extended { return try? CANID(extended: value) }
        return try? CANID(standard: value)
    }

    /// `Tue Nov 14 22:13:20 2023` (ctime, as log2asc writes it) or Vector's `Tue Nov 14 10:13:20.250 pm 2023`,
    /// read in local time as asc2log's `mktime` does
    /// (``WallClock/seconds(year:month:day:hour:minute:second:utc:)``); nil when it is neither.
    static func parseDate(_ fields: [Substring]) -> LogTime? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard fields.count >= 4 else { return nil }
        // The weekday is optional.
        var rest = fields[...]
        if let first = rest.first, first.count == 3, !months.contains(first.lowercased()),
           rest.count >= 5 { rest = rest.dropFirst() }
        let items = Array(rest)
        guard items.count >= 4, let month = months.firstIndex(of: String(items[0].prefix(3)).lowercased()),
              let day = Int(items[1]) else { return nil }
        let clock = items[2].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        let secondParts = clock[2].split(separator: ".", omittingEmptySubsequences: false)
        guard let second = Int(secondParts[0]) else { return nil }
        let millis = secondParts.count > 1 ? Int(secondParts[1].prefix(3)) ?? 0 : 0
        var index = 3
        var hour24 = hour
        let marker = items[index].lowercased()
        if marker == "am" || marker == "pm" {
            hour24 = hour % 12 + (marker == "pm" ? 12 : 0)
            index += 1
        }
        // Each field within its range before any arithmetic: a wild hour would overflow the seconds.
        guard index < items.count, let year = Int(items[index]), (1970...2161).contains(year), (1...31).contains(day),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<61).contains(second), (0...999).contains(millis)
        else { return nil }
        let seconds = WallClock.seconds(year: year, month: month + 1, day: day, hour: hour24, minute: minute, second: second)
        guard seconds >= 0 else { return nil }
        return LogTime(seconds: Int64(seconds), nanoseconds: Int64(millis) * 1_000_000)
    }
}
