/// A message the broadcast manager sends to user space, decoded.
public enum BCMEvent: Hashable, Sendable {
    /// The reply to a `TX_READ`: the transmit job's settings and frames. The corresponding C constant is `TX_STATUS`.
    case txStatus(BCMJobStatus)
    /// A job sent with `TX_COUNTEVT` finished its `count` frames. The corresponding C constant is `TX_EXPIRED`.
    case txExpired(BCMJobKey)
    /// The reply to an `RX_READ`: the receive job's settings and frames. The corresponding C constant is `RX_STATUS`.
    case rxStatus(BCMJobStatus)
    /// The monitored frame did not arrive within interval 1. The corresponding C constant is `RX_TIMEOUT`.
    case rxTimeout(BCMJobKey)
    /// A frame arrived for the first time or changed in the masked bits (or in length with `RX_CHECK_DLC`);
    /// with `RX_FILTER_ID`, every matching frame. The corresponding C constant is `RX_CHANGED`.
    case rxChanged(BCMJobKey, CANFrame)

    /// The job the event is about.
    public var key: BCMJobKey {
        switch self {
        case .txStatus(let status), .rxStatus(let status): status.key
        case .txExpired(let key), .rxTimeout(let key), .rxChanged(let key, _): key
        }
    }

    /// Decodes a message from the kernel.
    /// - Parameters:
    ///   - bytes: The message: `bcm_msg_head` and its frames.
    ///   - interfaceIndex: The interface of the job (from the socket's address or the message's `sockaddr_can`).
    /// - Throws: ``BCMError`` for a malformed message or an opcode the kernel does not send to user space.
    public init(kernelBytes bytes: UnsafeRawBufferPointer, interfaceIndex: CInt) throws(BCMError) {
        let head = try BCMMessage.Head(bytes)
        let key = BCMJobKey(rawID: head.rawID, interfaceIndex: interfaceIndex, isFD: head.flags.contains(.fdFrames))
        func status() -> BCMJobStatus {
            BCMJobStatus(key: key, flags: head.flags, count: head.count, interval1: head.interval1,
                         interval2: head.interval2, frames: (0..<head.nframes).map { head.frame($0, in: bytes) })
        }
        switch head.opcode {
        case .txStatus: self = .txStatus(status())
        case .rxStatus: self = .rxStatus(status())
        case .txExpired: self = .txExpired(key)
        case .rxTimeout: self = .rxTimeout(key)
        case .rxChanged:
            guard head.nframes == 1 else {
                throw .lengthMismatch(count: bytes.count, nframes: UInt32(head.nframes), frameSize: head.frameSize)
            }
            self = .rxChanged(key, head.frame(0, in: bytes))
        default: throw .unexpectedOpcode(head.opcode)
        }
    }
}
