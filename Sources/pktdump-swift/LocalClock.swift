import SocketBase

/// Formats `HH:MM:SS.uuuuuu` in local time like tcpdump's default timestamps; the `HH:MM:SS` part is cached per second.
struct LocalClock {
    private var cachedSecond: Int64 = .min
    private var cached: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)

    mutating func appendTime(seconds: Int64, microseconds: Int, to line: inout [UInt8]) {
        if seconds != cachedSecond {
            cachedSecond = seconds
            let parts = WallClock.fields(ofSeconds: seconds)
            let values = [parts.hour, parts.minute, parts.second]
            withUnsafeMutableBytes(of: &cached) { buffer in
                for (i, value) in values.enumerated() {
                    buffer[i * 3] = UInt8(ascii: "0") + UInt8(value / 10)
                    buffer[i * 3 + 1] = UInt8(ascii: "0") + UInt8(value % 10)
                    if i < 2 { buffer[i * 3 + 2] = UInt8(ascii: ":") }
                }
            }
        }
        withUnsafeBytes(of: cached) { line.append(contentsOf: $0) }
        line.append(UInt8(ascii: "."))
        var divisor = 100_000
        let micro = max(0, min(microseconds, 999_999))
        while divisor > 0 {
            line.append(UInt8(ascii: "0") + UInt8(micro / divisor % 10))
            divisor /= 10
        }
    }
}
