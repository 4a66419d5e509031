/// One CAN frame of an ISO 15765-2 (ISO-TP) transfer, decoded from its protocol control information (PCI):
/// single frame, first frame, consecutive frame or flow control.
///
/// For sniffing ISO-TP on a CAN_RAW socket, without an ISO-TP socket. Decoding never reads past the frame's
/// data and refuses malformed frames with an ``ISOTPFrameError``; it allocates nothing (the payload stays in
/// the frame, see ``withUnsafePayload(_:)``).
///
/// ```swift
/// let pci = try ISOTPFrame(decoding: received.frame)   // e.g. .first(totalLength: 20), payload 6 bytes
/// ```
public struct ISOTPFrame: Hashable, Sendable, CustomStringConvertible {
    /// Where the PCI starts: right away, or after an address byte.
    public enum Addressing: Hashable, Sendable {
        /// Normal (and normal fixed) addressing: the PCI is the first data byte.
        case normal
        /// Extended addressing: the first data byte is the target address (the kernel's `CAN_ISOTP_EXTEND_ADDR`).
        case extended
        /// Mixed addressing: the first data byte is the address extension.
        case mixed

        /// The number of address bytes before the PCI.
        var offset: Int { self == .normal ? 0 : 1 }
    }

    /// The flow status of a flow control frame (FS, low nibble of its PCI byte).
    public enum FlowStatus: UInt8, Hashable, Sendable {
        /// Continue to send (CTS, 0).
        case continueToSend = 0
        /// Wait for another flow control frame (WAIT, 1).
        case wait = 1
        /// Overflow: the receiver cannot take the PDU, abort (OVFLW, 2).
        case overflow = 2
    }

    /// The frame type and its PCI fields.
    public enum Kind: Hashable, Sendable {
        /// A whole PDU in one frame; `length` is SF_DL (1...7 classic, up to 62 in CAN FD's escape form).
        case single(length: Int)
        /// The start of a segmented PDU of `totalLength` bytes (FF_DL, 12 bits or the 32-bit escape form).
        case first(totalLength: Int)
        /// The next segment; `sequenceNumber` (SN) counts 1, 2, ... 15, 0, 1 ... after the first frame.
        case consecutive(sequenceNumber: UInt8)
        /// The receiver's flow control: status, block size (BS, 0 = no limit) and the raw STmin byte.
        case flowControl(FlowStatus, blockSize: UInt8, separationTime: UInt8)
    }

    /// The frame type and PCI fields.
    public let kind: Kind
    /// The address byte with extended or mixed addressing; `nil` with normal addressing.
    public let address: UInt8?
    /// Where the payload lies in the frame's data (empty for flow control). A consecutive frame's range runs to
    /// the end of the frame, padding included: only the PDU's length says where its data ends.
    public let payloadRange: Range<Int>
    /// The frame decoded.
    public let frame: CANFrame

    /// The largest CAN_DL with the classic single-frame form; above it SF_DL 0 in the PCI nibble is an escape and
    /// the length is in the next byte.
    static let classicMaximumLength = 8
    /// The largest 12-bit FF_DL; longer PDUs use the 32-bit escape form.
    public static let shortFirstFrameMaximum = 4095

    /// Decodes a frame's PCI.
    /// - Parameters:
    ///   - frame: A data frame (classic or CAN FD).
    ///   - addressing: Whether an address byte comes first.
    /// - Throws: ``ISOTPFrameError`` for a remote or error frame, a frame too short for its PCI, a reserved PCI type
    ///   or flow status, or a length that the frame cannot carry or that the standard forbids.
    public init(decoding frame: CANFrame, addressing: Addressing = .normal) throws(ISOTPFrameError) {
        guard frame.isData else { throw .notDataFrame }
        let result: Result<(Kind, UInt8?, Range<Int>), ISOTPFrameError> = frame.withUnsafeData { data in
            do throws(ISOTPFrameError) { return .success(try Self.parse(data, addressing: addressing)) } catch { return .failure(error) }
        }
        (kind, address, payloadRange) = try result.get()
        self.frame = frame
    }

    static func parse(_ data: UnsafeRawBufferPointer, addressing: Addressing) throws(ISOTPFrameError) -> (Kind, UInt8?, Range<Int>) {
        let ae = addressing.offset
        let n = data.count
        guard n >= ae + 1 else { throw .tooShort(frameType: "any", count: n, minimum: ae + 1) }
        let address: UInt8? = ae == 1 ? data[0] : nil
        let pci = data[ae]
        let nibble = pci & 0x0F
        switch pci >> 4 {
        case 0:  // single frame
            if n <= classicMaximumLength {
                let length = Int(nibble)
                let maximum = n - ae - 1
                guard length >= 1, length <= maximum else {
                    throw .invalidSingleFrameLength(length, maximum: maximum, escape: false)
                }
                return (.single(length: length), address, (ae + 1)..<(ae + 1 + length))
            }
            guard nibble == 0 else { throw .singleFrameWithoutEscape(nibble: nibble, count: n) }
            let length = Int(data[ae + 1])
            let maximum = n - ae - 2
            // Lengths that fit the classic form use it (ISO 15765-2:2016; Linux isotp does so too).
            guard length >= classicMaximumLength - ae, length <= maximum else {
                throw .invalidSingleFrameLength(length, maximum: maximum, escape: true)
            }
            return (.single(length: length), address, (ae + 2)..<(ae + 2 + length))
        case 1:  // first frame
            guard n >= classicMaximumLength else { throw .tooShort(frameType: "first frame", count: n, minimum: classicMaximumLength) }
            var length = Int(nibble) << 8 | Int(data[ae + 1])
            var start = ae + 2
            if length == 0 {
                length = Int(data[ae + 2]) << 24 | Int(data[ae + 3]) << 16 | Int(data[ae + 4]) << 8 | Int(data[ae + 5])
                start = ae + 6
                guard length > shortFirstFrameMaximum else { throw .invalidFirstFrameLength(length, minimum: shortFirstFrameMaximum + 1) }
            } else {
                // A PDU that fits a single frame must be sent as one.
                let minimum = n <= classicMaximumLength ? classicMaximumLength - ae : n - 1 - ae
                guard length >= minimum else { throw .invalidFirstFrameLength(length, minimum: minimum) }
            }
            return (.first(totalLength: length), address, start..<n)
        case 2:  // consecutive frame
            guard n >= ae + 2 else { throw .tooShort(frameType: "consecutive frame", count: n, minimum: ae + 2) }
            return (.consecutive(sequenceNumber: nibble), address, (ae + 1)..<n)
        case 3:  // flow control
            guard n >= ae + 3 else { throw .tooShort(frameType: "flow control", count: n, minimum: ae + 3) }
            guard let status = FlowStatus(rawValue: nibble) else { throw .reservedFlowStatus(nibble) }
            return (.flowControl(status, blockSize: data[ae + 1], separationTime: data[ae + 2]), address, (ae + 3)..<(ae + 3))
        default:
            throw .reservedFrameType(pci >> 4)
        }
    }

    /// Calls `body` with the payload bytes, without copying.
    public func withUnsafePayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try frame.withUnsafeData { try body(UnsafeRawBufferPointer(rebasing: $0[payloadRange])) }
    }

    /// The payload bytes as an array (allocates).
    public var payload: [UInt8] { withUnsafePayload { Array($0) } }

    /// The time an STmin byte stands for: 0x00...0x7F milliseconds, 0xF1...0xF9 100...900 µs; `nil` for the
    /// reserved values (0x80...0xF0, 0xFA...0xFF), which a sender treats as 127 ms.
    public static func separationTime(_ byte: UInt8) -> Duration? {
        ISOTPSeparationTime(rawValue: byte)?.duration
    }

    /// e.g. `SF 5`, `FF 20`, `CF 3`, `FC CTS bs=0 st=0x05` (with `[ea 0x12]` first for an address byte).
    public var description: String {
        let prefix = address.map { "[ea 0x\(String($0, radix: 16, uppercase: true))] " } ?? ""
        switch kind {
        case .single(let length): return prefix + "SF \(length)"
        case .first(let length): return prefix + "FF \(length)"
        case .consecutive(let sn): return prefix + "CF \(sn)"
        case .flowControl(let status, let bs, let st):
            let name = ["CTS", "WAIT", "OVFLW"][Int(status.rawValue)]
            let hex = String(st, radix: 16, uppercase: true)
            return prefix + "FC \(name) bs=\(bs) st=0x\(hex.count < 2 ? "0" + hex : hex)"
        }
    }
}
