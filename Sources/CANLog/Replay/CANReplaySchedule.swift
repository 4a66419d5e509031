import SocketBase

/// The deadlines of a replay: for each frame, the monotonic time (nanoseconds) it is due, from its logged
/// timestamp and the ``CANReplayOptions``. Pure arithmetic, no clock of its own: the caller passes `now`.
///
/// - ``CANReplayOptions/Timing/original``: the first frame of each loop is due at once (`now`) and anchors the
///   timing at the time it went out (``frameSent(now:)``); every later frame is due at that anchor plus its
///   logged distance from the anchor frame. A timestamp earlier than the previous
///   one, or (with a skip limit) a gap longer than the limit, re-anchors on that frame, which is then due at once.
/// - ``CANReplayOptions/Timing/fixedGap(_:)``: the first frame at once, each next one a gap after the previous
///   deadline (not after the previous send), across loops too.
/// - ``CANReplayOptions/Timing/immediate``: every frame at once (deadline `nil`).
public struct CANReplaySchedule: Sendable {
    let timing: CANReplayOptions.Timing
    let skipLimit: Int64?
    /// The anchor: a frame's logged time and the monotonic time it was due.
    var anchorLog: Int64 = 0
    var anchorClock: Int64 = 0
    /// The logged time of the previous frame in this loop; nil before the first.
    var previousLog: Int64?
    /// The previous deadline (fixed gap).
    var previousDeadline: Int64?
    /// The last deadline handed out anchors the timing: ``frameSent(now:)`` moves the anchor to the send.
    var anchorPending = false

    public init(timing: CANReplayOptions.Timing, skipGapsLongerThan skip: Duration? = nil) {
        self.timing = timing
        self.skipLimit = skip.map(Self.nanoseconds)
    }

    /// Starts a loop: its first frame is due at once and the timing restarts from it.
    public mutating func startLoop() {
        previousLog = nil
    }

    /// When the frame logged at `logTime` is due, or nil for "now, without waiting".
    /// - Parameter now: The monotonic time now (nanoseconds), read only when the frame (re-)anchors the timing.
    public mutating func deadline(forLogTime logTime: KernelTimestamp, now: () -> Int64) -> Int64? {
        switch timing {
        case .immediate:
            return nil
        case .fixedGap(let gap):
            if let previous = previousDeadline {
                previousDeadline = Self.adding(previous, Self.nanoseconds(gap))
            } else {
                previousDeadline = now()
                anchorPending = true
            }
            return previousDeadline
        case .original:
            let log = Self.nanoseconds(logTime)
            defer { previousLog = log }
            if let previous = previousLog, log >= previous,
               skipLimit.map({ Self.subtracting(log, previous) <= $0 }) ?? true {
                return Self.adding(anchorClock, Self.subtracting(log, anchorLog))
            }
            anchorLog = log
            anchorClock = now()
            anchorPending = true
            return anchorClock
        }
    }

    /// Tells the schedule a frame went out. After a frame that anchors the timing, the anchor moves to the time it
    /// actually went out: a slow first send (a cold start: page faults, a socket's first use) then delays the
    /// whole replay instead of bunching up the frames due meanwhile. Reads the clock only after an anchor frame.
    public mutating func frameSent(now: () -> Int64) {
        guard anchorPending else { return }
        anchorPending = false
        let sent = now()
        switch timing {
        case .original: anchorClock = Swift.max(anchorClock, sent)
        case .fixedGap: previousDeadline = Swift.max(previousDeadline ?? sent, sent)
        case .immediate: break
        }
    }

    static func nanoseconds(_ t: KernelTimestamp) -> Int64 {
        let (product, overflow) = t.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return t.seconds < 0 ? .min : .max }
        return adding(product, Int64(t.nanoseconds))
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return adding(product, attoseconds / 1_000_000_000)
    }

    /// Sums and differences saturate: a log spanning centuries gives a far deadline, never a trap.
    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }

    static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }
}
