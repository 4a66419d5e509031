/// A broadcast-manager request refused before the system call, or a kernel message that could not be decoded.
public enum BCMError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation needs at least one frame (`TX_SETUP`, `TX_SEND`, `RX_RTR_FRAME`).
    case noFrames(opcode: BCMOpcode)
    /// More frames than the kernel takes for one job (`MAX_NFRAMES` 256; 257 for `RX_SETUP`, mask included).
    case tooManyFrames(opcode: BCMOpcode, count: Int, maximum: Int)
    /// `TX_SEND` takes exactly one frame.
    case oneFrameExpected(opcode: BCMOpcode, count: Int)
    /// A frame whose kind (classic or FD) differs from the job's (`CAN_FD_FRAME` decides for every frame).
    case mixedFrameKinds(index: Int, jobIsFD: Bool)
    /// A negative interval.
    case negativeInterval(name: String, value: Duration)
    /// An interval above the kernel's limit (`BCM_TIMER_SEC_MAX`, 400 days).
    case intervalTooLong(name: String, value: Duration)
    /// A `can_id` word whose identifier does not fit 11 bits without `CAN_EFF_FLAG`.
    case idOutOfRange(UInt32)
    /// A count of frames with no interval 1 to send them at (the kernel would ignore the count).
    case countWithoutInterval(count: UInt32)
    /// A remote-request reply must be a classic data frame (CAN FD has no remote frames).
    case remoteReplyMustBeClassic
    /// A kernel message shorter than `struct bcm_msg_head` (56 bytes).
    case truncatedMessage(count: Int)
    /// A kernel message whose size does not match its `nframes`.
    case lengthMismatch(count: Int, nframes: UInt32, frameSize: Int)
    /// A message from the kernel with an opcode it never sends to user space.
    case unexpectedOpcode(BCMOpcode)

    public var description: String {
        switch self {
        case .noFrames(let opcode):
            "\(opcode): needs at least one frame"
        case .tooManyFrames(let opcode, let count, let maximum):
            "\(opcode): \(count) frames, the kernel takes at most \(maximum) per job"
        case .oneFrameExpected(let opcode, let count):
            "\(opcode): takes exactly one frame, got \(count)"
        case .mixedFrameKinds(let index, let jobIsFD):
            "frame \(index) is \(jobIsFD ? "classic" : "CAN FD") in a \(jobIsFD ? "CAN FD" : "classic") job: all frames of a job must be of one kind"
        case .negativeInterval(let name, let value):
            "\(name) \(value) is negative"
        case .intervalTooLong(let name, let value):
            "\(name) \(value) exceeds the broadcast manager's limit of 400 days"
        case .idOutOfRange(let word):
            "can_id 0x\(String(word, radix: 16, uppercase: true)): a standard id must fit 11 bits (max 0x7FF); set CAN_EFF_FLAG for 29 bits"
        case .countWithoutInterval(let count):
            "count \(count) needs a non-zero interval for those frames (ival1)"
        case .remoteReplyMustBeClassic:
            "RX_RTR_FRAME: the reply must be a classic data frame (CAN FD has no remote frames)"
        case .truncatedMessage(let count):
            "BCM message of \(count) bytes is shorter than bcm_msg_head (56)"
        case .lengthMismatch(let count, let nframes, let frameSize):
            "BCM message of \(count) bytes does not hold 56 + \(nframes) × \(frameSize) bytes"
        case .unexpectedOpcode(let opcode):
            "unexpected \(opcode) from the kernel"
        }
    }
}
