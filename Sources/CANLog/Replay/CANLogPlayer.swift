import CANSocket
import SocketBase

/// Puts a log back on CAN interfaces with its original timing (or a fixed gap, or as fast as possible), as
/// canplayer does: interface assignments, loops, skipped long gaps, `ENOBUFS` waited out and never a frame skipped.
///
/// The log is any sequence of ``CandumpLogLine`` results, such as a ``CANLogReader`` over a candump log, ASC or BLF
/// file; it is iterated once per loop. Deadlines come from ``CANReplaySchedule`` on the sender's monotonic clock.
///
/// ```swift
/// let bytes = try FileDescriptor.open("trace.log", .readOnly).closeAfter { try $0.readAll() }
/// var mapping = CANInterfaceMapping()
/// try mapping.add(write: "vcan1", log: "can0")
/// var player = CANLogPlayer(options: CANReplayOptions(mapping: mapping), sender: CANRawReplaySender())
/// let statistics = try player.play(CANLogReader(bytes: bytes, format: .candump, file: "trace.log"))
/// print(statistics.framesSent)
/// ```
public struct CANLogPlayer<Sender: CANReplaySender, Clock: CANReplayClock> {
    /// What a replay did.
    public struct Statistics: Sendable, Hashable {
        /// Frames sent.
        public var framesSent = 0
        /// Frames of log interfaces without an assignment, not sent.
        public var framesNotAssigned = 0
        /// Times a full transmit queue (`ENOBUFS`) was waited out before a frame was sent again.
        public var fullQueueWaits = 0
        /// Loops played to their end.
        public var loopsCompleted = 0
        /// Whether a stop signal ended the replay early.
        public var stopped = false

        public init() {}
    }

    /// The options the replay follows.
    public let options: CANReplayOptions
    /// Where frames go.
    public var sender: Sender
    /// What the replay waits on.
    public var clock: Clock
    /// Called after each frame is sent, with the frame's log line and the interface it went out on
    /// (canplayer `-v` prints these).
    public var onSent: ((CandumpLogLine, String) throws -> Void)?
    /// Called before waiting for a frame's deadline (monotonic nanoseconds), e.g. to write out buffered `-v` text
    /// while there is time.
    public var onWait: ((Int64) throws -> Void)?

    /// Routes of log interfaces seen so far: the sender's route, or nil for a log interface not played.
    var routes: [String: (route: Int, write: String)?] = [:]

    public init(options: CANReplayOptions, sender: Sender, clock: Clock) {
        self.options = options
        self.sender = sender
        self.clock = clock
    }

    /// Plays `log` (once per loop).
    /// - Returns: What was sent, skipped and waited for.
    /// - Throws: The log's first error (``CANLogError``, naming file and line), or the sender's (an interface
    ///   that does not exist, a frame the interface cannot carry), after the frames before it were sent.
    public mutating func play<Log: Sequence>(_ log: Log) throws -> Statistics
        where Log.Element == Result<CandumpLogLine, CANLogError> {
        var statistics = Statistics()
        // Assigned interfaces are opened before the first frame, as canplayer checks them: a wrong name fails
        // the replay before anything is sent.
        for (_, log) in options.mapping.assignments { _ = try route(for: log) }
        var schedule = CANReplaySchedule(timing: options.timing, skipGapsLongerThan: options.skipGapsLongerThan)
        var remaining = options.loops
        while true {
            if case .count(let n) = remaining {
                guard n > 0 else { break }
                remaining = .count(n - 1)
            }
            schedule.startLoop()
            var sentThisLoop = 0
            for result in log {
                let line = try result.get()
                guard let target = try route(for: line.interface) else {
                    statistics.framesNotAssigned += 1
                    continue
                }
                let deadline = schedule.deadline(forLogTime: line.timestamp, now: { clock.now() })
                if let onWait, let deadline { try onWait(deadline) }
                if !clock.sleep(until: deadline) {
                    statistics.stopped = true
                    return statistics
                }
                guard let frame = line.canFrame else {
                    throw CANReplayError.xlFrameNotPlayable(line: line.description)
                }
                while try sender.send(frame, route: target.route) == .queueFull {
                    statistics.fullQueueWaits += 1
                    try sender.waitForRoom(route: target.route)
                }
                schedule.frameSent(now: { clock.now() })
                statistics.framesSent += 1
                sentThisLoop += 1
                try onSent?(line, target.write)
            }
            statistics.loopsCompleted += 1
            // A log with nothing to send would loop forever without pause: one pass says all there is to say.
            if sentThisLoop == 0 { break }
        }
        return statistics
    }

    /// The route of a log interface, asking the sender the first time.
    mutating func route(for logInterface: String) throws -> (route: Int, write: String)? {
        if let known = routes[logInterface] { return known }
        let entry = try options.mapping.writeInterface(forLog: logInterface).map { write in
            (route: try sender.route(for: write), write: write)
        }
        routes[logInterface] = entry
        return entry
    }
}

extension CANLogPlayer where Clock == CANReplaySystemClock {
    /// A player on the system's monotonic clock (stopped by ``StopSignals`` once installed).
    public init(options: CANReplayOptions, sender: Sender) {
        self.init(options: options, sender: sender, clock: CANReplaySystemClock())
    }
}
