import SocketBase

/// Formats `HH:MM:SS.uuuuuu` (or `YYYY-MM-DD HH:MM:SS.uuuuuu`) in local time like tcpdump's default (and `-tttt`)
/// timestamps; the text before the fraction is cached per second.
struct LocalClock {
    private var cachedSecond: Int64 = .min
    private var cachedWithDate = false
    /// `YYYY-MM-DD HH:MM:SS`, or `HH:MM:SS`; its capacity is reserved once.
    private var cached: [UInt8] = []

    mutating func appendTime(seconds: Int64, microseconds: Int, withDate: Bool = false, to line: inout [UInt8]) {
        if seconds != cachedSecond || withDate != cachedWithDate {
            cachedSecond = seconds
            cachedWithDate = withDate
            let parts = WallClock.fields(ofSeconds: seconds)
            cached.removeAll(keepingCapacity: true)
            cached.reserveCapacity(32)
            if withDate {
                ByteText.appendDecimal(parts.year, minimumDigits: 4, to: &cached); cached.append(UInt8(ascii: "-"))
                ByteText.appendDecimal(parts.month, minimumDigits: 2, to: &cached); cached.append(UInt8(ascii: "-"))
                ByteText.appendDecimal(parts.day, minimumDigits: 2, to: &cached); cached.append(UInt8(ascii: " "))
            }
            ByteText.appendDecimal(parts.hour, minimumDigits: 2, to: &cached); cached.append(UInt8(ascii: ":"))
            ByteText.appendDecimal(parts.minute, minimumDigits: 2, to: &cached); cached.append(UInt8(ascii: ":"))
            ByteText.appendDecimal(parts.second, minimumDigits: 2, to: &cached)
        }
        line.append(contentsOf: cached)
        line.append(UInt8(ascii: "."))
        ByteText.appendDecimal(max(0, min(microseconds, 999_999)), minimumDigits: 6, to: &line)
    }
}
