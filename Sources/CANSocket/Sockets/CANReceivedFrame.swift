import SocketBase

/// A frame as a CAN_RAW socket received it: the frame and what the kernel said about it.
public struct CANReceivedFrame: Hashable, Sendable {
    /// The frame.
    public var frame: CANFrame
    /// The interface the frame came in on.
    public var interface: String
    /// Its interface index.
    public var interfaceIndex: CInt
    /// The kernel's receive timestamp (`SO_TIMESTAMPNS`), taken in the same `recvmsg` as the frame.
    public var timestamp: CANTimestamp
    /// Who sent it, from the `recvmsg` flags.
    public var origin: Origin
    /// The socket's running count of frames the kernel dropped for it (`SO_RXQ_OVFL`).
    public var dropCount: UInt32

    /// Where a received frame came from.
    public enum Origin: Hashable, Sendable {
        /// Another node on the bus.
        case remote
        /// Another socket of this host (`MSG_DONTROUTE`).
        case localHost
        /// This very socket (`MSG_CONFIRM`, with `CAN_RAW_RECV_OWN_MSGS`).
        case ownSocket

        init(_ flags: MessageFlags) {
            self = flags.contains(.confirm) ? .ownSocket : flags.contains(.dontRoute) ? .localHost : .remote
        }

        /// Whether this host sent it (candump `-x`'s `TX`).
        public var isTransmitted: Bool { self != .remote }
    }
}

/// A kernel timestamp: seconds and nanoseconds since the epoch (or since boot for hardware clocks).
public struct CANTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The microseconds part, truncated as the kernel's `SO_TIMESTAMP` does.
    public var microseconds: Int32 { nanoseconds / 1000 }

    public static func < (a: Self, b: Self) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// The time from `earlier` to this one.
    public func since(_ earlier: CANTimestamp) -> Duration {
        .seconds(seconds - earlier.seconds) + .nanoseconds(Int64(nanoseconds) - Int64(earlier.nanoseconds))
    }

    public var description: String {
        let micro = String(microseconds)
        return "\(seconds).\(String(repeating: "0", count: 6 - micro.count))\(micro)"
    }
}

extension CANTimestamp {
    /// The current wall-clock time (`CLOCK_REALTIME`, the clock `SO_TIMESTAMPNS` uses).
    public static var now: CANTimestamp {
        let (seconds, nanoseconds) = WallClock.now()
        return CANTimestamp(seconds: seconds, nanoseconds: nanoseconds)
    }
}
