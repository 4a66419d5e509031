import CANSocket

/// A replay that could not go on: an interface that cannot be sent on, or a frame it would not take.
public enum CANReplayError: Error, CustomStringConvertible {
    /// The write interface could not be opened (it does not exist, or CAN_RAW is missing).
    case cannotOpen(interface: String, underlying: any Error)
    /// Sending a frame failed.
    case sendFailed(interface: String, frame: CANFrame, underlying: any Error)
    /// The log has a CAN XL frame: the player sends classic and FD frames only.
    case xlFrameNotPlayable(line: String)

    public var description: String {
        switch self {
        case .cannotOpen(let interface, let underlying):
            // canplayer: "write-if interface name 'vcan9' is wrong!"
            "write-if interface name '\(interface)' is wrong! (\(underlying))"
        case .sendFailed(let interface, let frame, let underlying):
            "sending \(CANFrameText.compact(frame)) on \(interface): \(underlying)"
        case .xlFrameNotPlayable(let line):
            "a CAN XL frame cannot be replayed (classic and FD frames only): \(line)"
        }
    }
}
