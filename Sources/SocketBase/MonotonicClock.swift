#if canImport(Glibc)
import Glibc
#endif

/// The monotonic clock as nanoseconds, and sleeping until an absolute time on it: what paced senders (a log
/// player) schedule by, so that one late wake-up does not shift every later deadline.
public enum MonotonicClock {
    /// The time now: `clock_gettime(CLOCK_MONOTONIC)`, in nanoseconds since an arbitrary start (boot).
    public static func now() -> Int64 {
        let ts = Sys.monotonicNow()
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Sleeps until `deadline` (nanoseconds on ``now()``'s clock): `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)`.
    /// A deadline already past returns at once.
    /// - Parameter stopOnSignal: Return when a signal interrupts the sleep (EINTR) instead of sleeping on.
    /// - Returns: True when the deadline was reached, false when a signal ended the sleep (with `stopOnSignal`).
    @discardableResult
    public static func sleep(until deadline: Int64, stopOnSignal: Bool = false) -> Bool {
        let clamped = max(deadline, 0)
        let target = timespec(tv_sec: Int(clamped / 1_000_000_000), tv_nsec: Int(clamped % 1_000_000_000))
        while true {
            let result = Sys.sleepUntilMonotonic(target)
            if result == 0 { return true }
            if result == EINTR && stopOnSignal { return false }
            if result != EINTR { return true }   // EINVAL cannot come from a normalised timespec
        }
    }
}
