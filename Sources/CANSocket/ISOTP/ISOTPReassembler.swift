/// Follows one ISO-TP conversation on CAN_RAW traffic and yields each whole PDU.
///
/// Feed it every frame seen (others are ignored): data frames on ``dataID`` (single, first, consecutive) and,
/// when ``flowControlID`` is set, the receiver's flow control there (an OVFLW aborts the transfer). Sequence
/// numbers are checked; padding after the PDU's last byte is dropped.
///
/// ```swift
/// var conversation = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8)
/// for try await received in raw.frames() {
///     if let pdu = try? conversation.accept(received.frame) { print(pdu) }
/// }
/// ```
public struct ISOTPReassembler: Sendable {
    /// The kernel `can_id` word of the sender's data frames (with `CAN_EFF_FLAG` for 29-bit ids).
    public let dataID: UInt32
    /// The `can_id` word of the receiver's flow control frames; `nil` to ignore flow control.
    public let flowControlID: UInt32?
    /// Whether an address byte precedes the PCI.
    public let addressing: ISOTPFrame.Addressing
    /// The longest PDU accepted; a longer FF_DL is refused (nothing is reserved for it).
    public let maximumLength: Int

    private var buffer: [UInt8] = []
    private var expectedLength = 0
    private var nextSequenceNumber: UInt8 = 0
    private var inProgress = false

    /// - Parameters:
    ///   - dataID: The sender's `can_id` word.
    ///   - flowControlID: The receiver's `can_id` word, to notice an OVFLW abort.
    ///   - addressing: Normal, extended or mixed addressing.
    ///   - maximumLength: The longest PDU to reassemble; 1 MiB by default (the 32-bit FF_DL allows up to 4 GiB).
    public init(dataID: UInt32, flowControlID: UInt32? = nil, addressing: ISOTPFrame.Addressing = .normal,
                maximumLength: Int = 1 << 20) {
        self.dataID = dataID
        self.flowControlID = flowControlID
        self.addressing = addressing
        self.maximumLength = maximumLength
    }

    /// Whether a segmented PDU is being received.
    public var isReceiving: Bool { inProgress }

    /// Takes the next frame seen on the bus.
    /// - Returns: A whole PDU when this frame completes one; `nil` otherwise (also for frames of other ids).
    /// - Throws: ``ISOTPFrameError`` for a malformed frame, an out-of-order or unexpected consecutive frame, a PDU
    ///   over ``maximumLength``, or an OVFLW flow control; the transfer in progress is dropped.
    public mutating func accept(_ frame: CANFrame) throws(ISOTPFrameError) -> [UInt8]? {
        if let flowControlID, frame.rawID == flowControlID, frame.rawID != dataID {
            guard inProgress, let decoded = try? ISOTPFrame(decoding: frame, addressing: addressing),
                  case .flowControl(.overflow, _, _) = decoded.kind else { return nil }
            reset()
            throw .abortedByReceiver
        }
        guard frame.rawID == dataID else { return nil }
        let decoded: ISOTPFrame
        do { decoded = try ISOTPFrame(decoding: frame, addressing: addressing) } catch { reset(); throw error }
        switch decoded.kind {
        case .single:
            reset()
            return decoded.payload
        case .first(let total):
            reset()
            guard total <= maximumLength else { throw .pduTooLong(total, maximum: maximumLength) }
            buffer.reserveCapacity(total)
            decoded.withUnsafePayload { buffer.append(contentsOf: $0.prefix(total)) }
            expectedLength = total
            nextSequenceNumber = 1
            inProgress = true
            return nil
        case .consecutive(let sn):
            guard inProgress else { throw .unexpectedConsecutiveFrame(sequenceNumber: sn) }
            guard sn == nextSequenceNumber else {
                let expected = nextSequenceNumber
                reset()
                throw .wrongSequenceNumber(expected: expected, received: sn)
            }
            nextSequenceNumber = (sn + 1) & 0x0F
            let remaining = expectedLength - buffer.count
            decoded.withUnsafePayload { buffer.append(contentsOf: $0.prefix(remaining)) }
            guard buffer.count == expectedLength else { return nil }
            let pdu = buffer
            reset()
            return pdu
        case .flowControl:
            return nil
        }
    }

    /// Drops any transfer in progress.
    public mutating func reset() {
        buffer = []
        expectedLength = 0
        nextSequenceNumber = 0
        inProgress = false
    }
}
