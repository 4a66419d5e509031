/// How a ``CANLogPlayer`` paces and routes a log: canplayer's `-t -g -s -l -x` and its interface assignments.
public struct CANReplayOptions: Sendable, Hashable {
    /// When each frame goes out.
    public enum Timing: Sendable, Hashable {
        /// At its logged time relative to the first frame (of each loop), on the monotonic clock: every frame
        /// has an absolute deadline, so a late wake-up does not delay the frames after it.
        case original
        /// A fixed gap between consecutive frames, whatever the log's timestamps (canlog-swift play `-g`).
        case fixedGap(Duration)
        /// As fast as the sockets take them, timestamps ignored (canplayer `-t`).
        case immediate
    }

    /// How often the log is played.
    public enum Loops: Sendable, Hashable {
        /// This many times (1 or more).
        case count(Int)
        /// Until the process is stopped (canplayer `-l i`).
        case infinite
    }

    /// When frames go out; ``Timing/original`` by default.
    public var timing: Timing = .original
    /// With ``Timing/original``: a gap between logged timestamps longer than this is not waited out; the next
    /// frame goes out at once and timing goes on from it (canplayer `-s`). A timestamp earlier than the one before
    /// it restarts the timing the same way, as in canplayer.
    public var skipGapsLongerThan: Duration? = nil
    /// How often the log is played; once by default.
    public var loops: Loops = .count(1)
    /// Which interface each logged interface is played on.
    public var mapping = CANInterfaceMapping()
    /// Other sockets of this host see the frames sent (`CAN_RAW_LOOPBACK`); off is canplayer's `-x`.
    public var loopback = true

    public init(timing: Timing = .original, skipGapsLongerThan: Duration? = nil, loops: Loops = .count(1),
                mapping: CANInterfaceMapping = CANInterfaceMapping(), loopback: Bool = true) {
        self.timing = timing
        self.skipGapsLongerThan = skipGapsLongerThan
        self.loops = loops
        self.mapping = mapping
        self.loopback = loopback
    }
}
