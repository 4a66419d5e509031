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
    public var timestamp: KernelTimestamp
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
