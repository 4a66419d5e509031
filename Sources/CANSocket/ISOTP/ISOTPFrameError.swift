/// Why a CAN frame is not a valid ISO 15765-2 frame, or does not fit the transfer being reassembled.
public enum ISOTPFrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A remote or error frame carries no ISO-TP data.
    case notDataFrame
    /// The frame has fewer data bytes than its frame type needs.
    case tooShort(frameType: String, count: Int, minimum: Int)
    /// PCI type 4...15 (the high nibble of the PCI byte) is reserved.
    case reservedFrameType(UInt8)
    /// Flow status 3...15 is reserved.
    case reservedFlowStatus(UInt8)
    /// SF_DL is 0, more than the frame carries, or (escape form) short enough for the classic form.
    case invalidSingleFrameLength(Int, maximum: Int, escape: Bool)
    /// A CAN FD frame longer than 8 bytes with SF_DL in the PCI nibble: it must use the escape form (nibble 0).
    case singleFrameWithoutEscape(nibble: UInt8, count: Int)
    /// FF_DL short enough for a single frame (or ≤ 4095 in the 32-bit escape form).
    case invalidFirstFrameLength(Int, minimum: Int)
    /// Reassembly: a consecutive frame with no first frame before it.
    case unexpectedConsecutiveFrame(sequenceNumber: UInt8)
    /// Reassembly: a consecutive frame out of order.
    case wrongSequenceNumber(expected: UInt8, received: UInt8)
    /// Reassembly: a PDU longer than the reassembler accepts.
    case pduTooLong(Int, maximum: Int)
    /// Reassembly: the receiver answered with flow status OVFLW, the transfer is aborted.
    case abortedByReceiver

    public var description: String {
        switch self {
        case .notDataFrame:
            "not an ISO-TP frame: remote and error frames carry no data"
        case .tooShort(let type, let count, let minimum):
            "\(type == "any" ? "frame" : type) of \(count) data bytes is too short: at least \(minimum) needed"
        case .reservedFrameType(let type):
            "reserved PCI frame type \(type) (valid: 0 single, 1 first, 2 consecutive, 3 flow control)"
        case .reservedFlowStatus(let status):
            "reserved flow status \(status) (valid: 0 CTS, 1 WAIT, 2 OVFLW)"
        case .invalidSingleFrameLength(let length, let maximum, let escape):
            escape
                ? "single frame length \(length) in the CAN FD escape form: must be above the classic maximum and at most \(maximum)"
                : "single frame length (SF_DL) \(length): must be 1...\(maximum) for this frame"
        case .singleFrameWithoutEscape(let nibble, let count):
            "single frame of \(count) bytes with SF_DL \(nibble) in the PCI: frames over 8 bytes must use the escape (SF_DL 0, length in the next byte)"
        case .invalidFirstFrameLength(let length, let minimum):
            "first frame length (FF_DL) \(length) is below the minimum \(minimum) for this frame"
        case .unexpectedConsecutiveFrame(let sn):
            "consecutive frame (SN \(sn)) without a first frame"
        case .wrongSequenceNumber(let expected, let received):
            "consecutive frame with sequence number \(received), expected \(expected)"
        case .pduTooLong(let length, let maximum):
            "PDU of \(length) bytes exceeds the reassembler's maximum of \(maximum)"
        case .abortedByReceiver:
            "transfer aborted: the receiver sent flow control OVFLW"
        }
    }
}
