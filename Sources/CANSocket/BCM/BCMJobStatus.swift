/// A job as the kernel reports it in `TX_STATUS` (reply to `TX_READ`) or `RX_STATUS` (reply to `RX_READ`).
public struct BCMJobStatus: Hashable, Sendable {
    /// The job's key.
    public var key: BCMJobKey
    /// The job's flags as the kernel holds them (those of its last setup message).
    public var flags: BCMFlags
    /// Frames still to send at interval 1 (`count`).
    public var count: UInt32
    /// Interval 1 (`ival1`).
    public var interval1: Duration
    /// Interval 2 (`ival2`).
    public var interval2: Duration
    /// The job's frames (TX: the frames sent; RX: the mask and multiplex frames).
    public var frames: [CANFrame]

    public init(key: BCMJobKey, flags: BCMFlags, count: UInt32, interval1: Duration, interval2: Duration, frames: [CANFrame]) {
        self.key = key
        self.flags = flags
        self.count = count
        self.interval1 = interval1
        self.interval2 = interval2
        self.frames = frames
    }
}
