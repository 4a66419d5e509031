#if canImport(Glibc)
import Glibc
#endif

/// The realtime clock and calendar fields, through SocketBase's system-call layer.
public enum WallClock {
    /// The time now: `clock_gettime(CLOCK_REALTIME)`, as seconds and nanoseconds since the epoch.
    public static func now() -> (seconds: Int64, nanoseconds: Int32) {
        let ts = Sys.realtimeNow()
        return (Int64(ts.tv_sec), Int32(ts.tv_nsec))
    }

    /// A moment broken into calendar fields, in local time (`localtime_r(3)`) or UTC (`gmtime_r(3)`).
    public struct Fields: Hashable, Sendable {
        /// The year, e.g. 2026.
        public var year: Int
        /// 1 to 12.
        public var month: Int
        /// 1 to 31.
        public var day: Int
        /// 0 to 23.
        public var hour: Int
        /// 0 to 59.
        public var minute: Int
        /// 0 to 60 (a leap second).
        public var second: Int
        /// 0 (Sunday) to 6.
        public var weekday: Int
    }

    /// The calendar fields of `seconds` since the epoch.
    /// - Parameter utc: UTC (`gmtime_r`) instead of the local time zone (`localtime_r`).
    public static func fields(ofSeconds seconds: Int64, utc: Bool = false) -> Fields {
        let tm = Sys.brokenDownTime(seconds, utc: utc)
        return Fields(year: Int(tm.tm_year) + 1900, month: Int(tm.tm_mon) + 1, day: Int(tm.tm_mday),
                      hour: Int(tm.tm_hour), minute: Int(tm.tm_min), second: Int(tm.tm_sec), weekday: Int(tm.tm_wday))
    }

    /// `seconds` since the epoch formatted by `strftime(3)` with `pattern`, in local time (`localtime_r`).
    /// - Parameter capacity: The buffer `strftime` gets, terminating zero included (tcpdump's is `PATH_MAX`).
    /// - Returns: The text, or nil when it does not fit (or is empty: `strftime` cannot tell the two apart).
    public static func format(_ pattern: String, seconds: Int64, capacity: Int = 4096) -> String? {
        Sys.formatTime(pattern, seconds, capacity: capacity).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Seconds since the epoch of a calendar date and time, the inverse of ``fields(ofSeconds:utc:)``: in local
    /// time (`mktime(3)`, daylight saving time as the zone has it on that date) or UTC (`timegm(3)`).
    /// - Parameters:
    ///   - month: 1 to 12.
    ///   - utc: UTC (`timegm`) instead of the local time zone (`mktime`).
    /// - Returns: The seconds, or -1 where `mktime` cannot represent the time.
    public static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, utc: Bool = false) -> Int64 {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1
        return Sys.secondsSinceEpoch(&parts, utc: utc)
    }
}

/// Facts about the running system, through SocketBase's system-call layer.
public enum RunningSystem {
    /// The kernel's release (`uname(2)`), e.g. `6.12.95+deb12-amd64`; nil if `uname` fails.
    public static func kernelRelease() -> String? { Sys.kernelRelease() }
}
