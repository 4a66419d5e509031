import SocketBase

/// Writes the start of each line in one ``TimestampStyle``, into the output buffer without allocating; keeps
/// the reference time of the delta styles.
struct TimestampPrinter {
    let style: TimestampStyle
    private var clock = LocalClock()
    /// tcpdump's `tv_ref` in microseconds: the first or previous packet; 0 until set (tcpdump's
    /// `timevalisset` also takes a packet at exactly the epoch for "not set").
    private var reference: Int64 = 0

    init(_ style: TimestampStyle) { self.style = style }

    /// Appends the timestamp and the space after it (nothing with `-t`).
    mutating func append(seconds: Int64, microseconds: Int, to line: inout [UInt8]) {
        switch style {
        case .none:
            return
        case .localTime, .dateAndLocalTime:
            guard Self.convertible(seconds, &line) else { break }
            clock.appendTime(seconds: seconds, microseconds: microseconds, withDate: style == .dateAndLocalTime, to: &line)
        case .unixTime:
            guard Self.convertible(seconds, &line) else { break }
            line.putDecimal(seconds)
            Self.appendFraction(microseconds, to: &line)
        case .sincePrevious, .sinceFirst:
            let now = seconds &* 1_000_000 &+ Int64(microseconds)
            if reference == 0 { reference = now }
            let delta = now - reference
            line.append(delta < 0 ? UInt8(ascii: "-") : UInt8(ascii: " "))
            let magnitude = delta.magnitude
            let deltaSeconds = Int64(magnitude / 1_000_000)
            if Self.convertible(deltaSeconds, &line) {
                // gmtime of the difference: hours wrap at a day.
                let ofDay = deltaSeconds % 86_400
                line.putDecimal(ofDay / 3600, minimumDigits: 2); line.append(UInt8(ascii: ":"))
                line.putDecimal(ofDay / 60 % 60, minimumDigits: 2); line.append(UInt8(ascii: ":"))
                line.putDecimal(ofDay % 60, minimumDigits: 2)
                Self.appendFraction(Int(magnitude % 1_000_000), to: &line)
            }
            if style == .sincePrevious { reference = now }
        }
        line.append(UInt8(ascii: " "))
    }

    /// tcpdump refuses seconds with bit 31 set: `[Error converting time]`.
    private static func convertible(_ seconds: Int64, _ line: inout [UInt8]) -> Bool {
        if UInt32(truncatingIfNeeded: seconds) & 0x8000_0000 != 0 || seconds < 0 {
            ByteText.append("[Error converting time]", to: &line)
            return false
        }
        return true
    }

    /// `.uuuuuu`
    private static func appendFraction(_ microseconds: Int, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "."))
        line.putDecimal(max(0, min(microseconds, 999_999)), minimumDigits: 6)
    }
}

private extension Array where Element == UInt8 {
    mutating func putDecimal<T: BinaryInteger>(_ value: T, minimumDigits: Int = 1) {
        ByteText.appendDecimal(value, minimumDigits: minimumDigits, to: &self)
    }
}
