#if canImport(Glibc)
import Glibc
#endif
import CANSocket

/// Writes Vector ASC text byte for byte as can-utils' `log2asc` (2020.11, the Debian tool) does with the
/// interfaces given in the order they first appear.
///
/// The header is `date <ctime of the first frame, local time>`, `base hex  timestamps absolute` and
/// `no internal events logged`; each frame's time is the offset from the first frame, `%4lu.%06lu`.
/// Classic frames are `<ch> <id>[x] Rx|Tx d <dlc> <bytes>` (`r <dlc>` for remote requests, `ErrorFrame` for
/// error frames), CAN FD frames are `CANFD` lines with BRS/ESI, DLC, length and the FDF/BRS/ESI flags word.
/// A classic frame's raw DLC 9…F (len8_dlc) is written as its DLC, as current `log2asc` does.
///
/// Differences from 2020.11's `log2asc`: the header is written once even when the first timestamp is
/// 0 (2020.11 repeats it on every line whose seconds are 0), and no interface is dropped.
public struct ASCWriter: Sendable {
    /// Channel numbers for the interfaces.
    public private(set) var channels: CANLogChannels
    private var start: LogTime?

    public init(channels: CANLogChannels = CANLogChannels()) {
        self.channels = channels
    }

    /// The ASC flags word's bits (`ASC_F_*` in log2asc.c).
    enum Flag {
        static let remote: UInt32 = 0x0000_0010
        static let fdFormat: UInt32 = 0x0000_1000
        static let bitRateSwitch: UInt32 = 0x0000_2000
        static let errorStateIndicator: UInt32 = 0x0000_4000
    }

    /// Appends one frame's line (and, for the first, the header) to `buffer`.
    /// - Throws: ``CANLogError`` for an error frame in CAN FD form, which ASC cannot hold (`log2asc` drops it),
    /// for a CAN XL frame (ASC as log2asc writes it has no CAN XL), and for a frame more than 100 years after the
    /// first (``ASCReader`` would not read its time).
    public mutating func append(_ line: CandumpLogLine, to buffer: inout [UInt8]) throws(CANLogError) {
        guard let frame = line.canFrame else { throw CANLogError.noXL(in: "ASC", line) }
        if frame.isFD && frame.isError {
            throw CANLogError("an error frame in CAN FD form (\(frame)) cannot be written to ASC")
        }
        let time = LogTime(line.timestamp)
        if start == nil {
            start = time
            Self.appendHeader(date: time.timeval.seconds, to: &buffer)
        }
        let (startSeconds, startMicros) = start!.timeval
        // log2asc: microseconds, borrow from the seconds, negative offsets written as 0.
        var seconds = time.timeval.seconds - startSeconds
        var micros = time.timeval.microseconds - startMicros
        if micros < 0 { seconds -= 1; micros += 1_000_000 }
        if seconds < 0 { seconds = 0; micros = 0 }
        guard seconds <= ASCReader.maximumOffsetSeconds else {
            throw CANLogError("\(line) is more than 100 years after the log's first frame, more than an ASC time offset holds")
        }
        Self.appendPadded(UInt64(seconds), width: 4, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        CANFrameText.appendDecimal(UInt64(micros), width: 6, to: &buffer)
        buffer.append(UInt8(ascii: " "))

        let channel = channels.channel(for: line.interface)
        let direction = line.direction == "T" ? "Tx" : "Rx"
        if frame.isFD {
            appendFD(frame, channel: channel, direction: direction, to: &buffer)
        } else {
            appendClassic(frame, channel: channel, direction: direction, to: &buffer)
        }
        buffer.append(0x0A)
    }

    /// `%-2d ` then the frame: log2asc's `can_asc`.
    private func appendClassic(_ frame: CANFrame, channel: Int, direction: String, to buffer: inout [UInt8]) {
        Self.appendLeft(String(channel), width: 2, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        if frame.isError {
            buffer.append(contentsOf: "ErrorFrame".utf8)
            return
        }
        Self.appendLeft(Self.idText(frame), width: 15, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: direction.utf8)
        buffer.append(contentsOf: "   ".utf8)
        let dlc = frame.count == 8 && frame.len8DLC > 8 ? Int(frame.len8DLC) : frame.count
        if frame.isRemote {
            buffer.append(contentsOf: "r ".utf8)
            buffer.append(contentsOf: String(dlc, radix: 16, uppercase: true).utf8)
            return
        }
        buffer.append(contentsOf: "d ".utf8)
        buffer.append(contentsOf: String(dlc, radix: 16, uppercase: true).utf8)
        frame.withUnsafeData { data in
            for byte in data { Self.appendHexByte(byte, to: &buffer) }
        }
    }

    /// log2asc's `canfd_asc`: `CANFD %3d %s %11s<34 spaces><brs> <esi> <dlc> %2d <bytes> 130000 130 <flags> 0 0 0 0 0`.
    private func appendFD(_ frame: CANFrame, channel: Int, direction: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "CANFD ".utf8)
        Self.appendRight(String(channel), width: 3, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: direction.utf8)
        buffer.append(UInt8(ascii: " "))
        Self.appendRight(Self.idText(frame), width: 11, to: &buffer)
        buffer.append(contentsOf: String(repeating: " ", count: 34).utf8)
        let flags = frame.fdFlags
        buffer.append(contentsOf: (flags.contains(.bitRateSwitch) ? "1 " : "0 ").utf8)
        buffer.append(contentsOf: (flags.contains(.errorStateIndicator) ? "1 " : "0 ").utf8)
        buffer.append(contentsOf: String(frame.dlc, radix: 16).utf8)
        buffer.append(UInt8(ascii: " "))
        Self.appendRight(String(frame.count), width: 2, to: &buffer)
        frame.withUnsafeData { data in
            for byte in data { Self.appendHexByte(byte, to: &buffer) }
        }
        var word = Flag.fdFormat
        if flags.contains(.bitRateSwitch) { word |= Flag.bitRateSwitch }
        if flags.contains(.errorStateIndicator) { word |= Flag.errorStateIndicator }
        buffer.append(contentsOf: "   130000  130 ".utf8)
        Self.appendRight(String(word, radix: 16, uppercase: true), width: 8, to: &buffer)
        buffer.append(contentsOf: " 0 0 0 0 0".utf8)
    }

    /// The three header lines; the date as `ctime(3)` prints it, in local time.
    static func appendHeader(date seconds: Int64, to buffer: inout [UInt8]) {
        var time = time_t(seconds)
        var text = [CChar](repeating: 0, count: 64)
        buffer.append(contentsOf: "date ".utf8)
        if ctime_r(&time, &text) != nil {
            buffer.append(contentsOf: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
        } else {
            buffer.append(0x0A)
        }
        buffer.append(contentsOf: "base hex  timestamps absolute\nno internal events logged\n".utf8)
    }

    /// `%X` of the id plus `x` for an extended one, a space otherwise.
    static func idText(_ frame: CANFrame) -> String {
        String(frame.rawID & CANFrame.errorMask, radix: 16, uppercase: true) + (frame.isExtended ? "x" : " ")
    }

    static func appendHexByte(_ byte: UInt8, to buffer: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(hex[Int(byte >> 4)])
        buffer.append(hex[Int(byte & 0x0F)])
    }

    /// `%-*s`.
    static func appendLeft(_ text: String, width: Int, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: text.utf8)
        if width > text.utf8.count { buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.utf8.count)) }
    }

    /// `%*s`.
    static func appendRight(_ text: String, width: Int, to buffer: inout [UInt8]) {
        if width > text.utf8.count { buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.utf8.count)) }
        buffer.append(contentsOf: text.utf8)
    }

    /// `%*lu`.
    static func appendPadded(_ value: UInt64, width: Int, to buffer: inout [UInt8]) {
        appendRight(String(value), width: width, to: &buffer)
    }
}
