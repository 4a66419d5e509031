import CANSocket

/// A log time as nanoseconds since the epoch: what ASC offsets, BLF start times and offsets are computed in.
/// The one place this module converts from and to the frames' timestamp type.
struct LogTime: Hashable, Comparable, Sendable {
    var nanoseconds: Int64

    static let zero = LogTime(nanoseconds: 0)

    init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The latest second a time can have: a signed 64-bit nanosecond count, as the kernel's `ktime_t`, ends in
    /// April 2262. Readers refuse later times; conversions clamp to it rather than trap.
    static let maximumSeconds: Int64 = Int64.max / 1_000_000_000 - 1

    init(_ timestamp: KernelTimestamp) {
        self.init(seconds: timestamp.seconds, nanoseconds: Int64(timestamp.nanoseconds))
    }

    init(seconds: Int64, nanoseconds: Int64 = 0) {
        let clamped = Swift.min(Swift.max(seconds, -Self.maximumSeconds), Self.maximumSeconds)
        self.nanoseconds = clamped * 1_000_000_000 + nanoseconds
    }

    /// The sum, or nil past the range.
    func adding(_ other: LogTime) -> LogTime? {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(other.nanoseconds)
        return overflow ? nil : LogTime(nanoseconds: sum)
    }

    var timestamp: KernelTimestamp {
        let (seconds, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return rest < 0 ? KernelTimestamp(seconds: seconds - 1, nanoseconds: Int32(rest + 1_000_000_000))
            : KernelTimestamp(seconds: seconds, nanoseconds: Int32(rest))
    }

    /// Whole seconds (floor) and the microseconds within them (truncated), as `struct timeval` holds a time.
    var timeval: (seconds: Int64, microseconds: Int64) {
        let t = timestamp
        return (t.seconds, Int64(t.nanoseconds) / 1000)
    }

    /// Cut to the millisecond (floor).
    var flooredToMilliseconds: LogTime {
        LogTime(nanoseconds: nanoseconds - ((nanoseconds % 1_000_000) + 1_000_000) % 1_000_000)
    }

    /// Rounded to the nearest millisecond.
    var roundedToMilliseconds: LogTime { LogTime(nanoseconds: nanoseconds + 500_000).flooredToMilliseconds }

    static func < (a: LogTime, b: LogTime) -> Bool { a.nanoseconds < b.nanoseconds }
    static func + (a: LogTime, b: LogTime) -> LogTime { LogTime(nanoseconds: a.nanoseconds + b.nanoseconds) }
    static func - (a: LogTime, b: LogTime) -> LogTime { LogTime(nanoseconds: a.nanoseconds - b.nanoseconds) }
}
