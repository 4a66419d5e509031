import CANSocket
import SocketBase

/// Where a ``CANLogPlayer`` sends frames: the CAN_RAW sockets of ``CANRawReplaySender``, or a test's recorder.
///
/// The player asks once per write interface for a route (an index of the sender's choosing) and then sends by
/// route, so nothing is looked up by name per frame.
public protocol CANReplaySender {
    /// The route of a write interface, opening what sending on it needs.
    /// - Throws: When the interface cannot be sent on (it does not exist, is down, cannot be opened).
    mutating func route(for interface: String) throws -> Int

    /// Sends one frame, or reports that the interface's transmit queue is full (`ENOBUFS`) without sending it.
    mutating func send(_ frame: CANFrame, route: Int) throws -> CANReplaySendResult

    /// Waits a little for room in a full transmit queue (the player then resends the same frame).
    mutating func waitForRoom(route: Int) throws
}

/// What one send did.
public enum CANReplaySendResult: Sendable, Hashable {
    /// The frame is on its way.
    case sent
    /// The transmit queue was full (`ENOBUFS`); nothing was sent.
    case queueFull
}

/// The clock a ``CANLogPlayer`` waits on: nanoseconds of a monotonic clock, and sleeping until a deadline.
public protocol CANReplayClock {
    /// The time now in nanoseconds.
    mutating func now() -> Int64
    /// Sleeps until `deadline` (returns at once if it has passed; `nil`: no wait, only the stop check).
    /// - Returns: False when the replay is to stop (a stop signal arrived), true otherwise.
    mutating func sleep(until deadline: Int64?) -> Bool
}

/// The system's monotonic clock (`CLOCK_MONOTONIC`, `clock_nanosleep` with `TIMER_ABSTIME`).
public struct CANReplaySystemClock: CANReplayClock {
    /// Whether a stop signal (``StopSignals``, once installed) ends a sleep and the replay.
    public var stopsOnSignals: Bool

    public init(stopsOnSignals: Bool = true) { self.stopsOnSignals = stopsOnSignals }

    public func now() -> Int64 { MonotonicClock.now() }

    public func sleep(until deadline: Int64?) -> Bool {
        if stopsOnSignals && StopSignals.isStopRequested { return false }
        guard let deadline else { return true }
        let reached = MonotonicClock.sleep(until: deadline, stopOnSignal: stopsOnSignals)
        return reached || !(stopsOnSignals && StopSignals.isStopRequested)
    }
}
