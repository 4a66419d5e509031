import SocketBase

/// An error frame decoded into its parts (`linux/can/error.h`): the error classes from the id, the details
/// from the data bytes, and the error counters.
///
/// The kernel (or a driver) reports bus and controller trouble as a frame whose `can_id` has `CAN_ERR_FLAG`
/// set and error class bits below it; a CAN_RAW socket receives such frames only when its error mask
/// (`CAN_RAW_ERR_FILTER`) selects the class. The value is inline (no heap) and decoding allocates nothing.
public struct CANErrorFrame: Hashable, Sendable, CustomStringConvertible {
    /// Error classes, the bits of the error frame's id (`CAN_ERR_*`).
    @frozen
    public struct Classes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// TX timeout (by netdevice driver). The corresponding C constant is `CAN_ERR_TX_TIMEOUT`.
        public static let txTimeout = Classes(rawValue: 0x001)
        /// Lost arbitration; the bit is in data[0]. The corresponding C constant is `CAN_ERR_LOSTARB`.
        public static let lostArbitration = Classes(rawValue: 0x002)
        /// Controller problems, in data[1]. The corresponding C constant is `CAN_ERR_CRTL`.
        public static let controller = Classes(rawValue: 0x004)
        /// Protocol violations, type in data[2], location in data[3]. The corresponding C constant is `CAN_ERR_PROT`.
        public static let protocolViolation = Classes(rawValue: 0x008)
        /// Transceiver status, in data[4]. The corresponding C constant is `CAN_ERR_TRX`.
        public static let transceiver = Classes(rawValue: 0x010)
        /// No acknowledgement on transmission. The corresponding C constant is `CAN_ERR_ACK`.
        public static let noAcknowledgement = Classes(rawValue: 0x020)
        /// Bus off. The corresponding C constant is `CAN_ERR_BUSOFF`.
        public static let busOff = Classes(rawValue: 0x040)
        /// Bus error (may flood!). The corresponding C constant is `CAN_ERR_BUSERROR`.
        public static let busError = Classes(rawValue: 0x080)
        /// Controller restarted. The corresponding C constant is `CAN_ERR_RESTARTED`.
        public static let restarted = Classes(rawValue: 0x100)
        /// The counters in data[6] and data[7] are valid (Linux ≥ 5.16). The corresponding C constant is `CAN_ERR_CNT`.
        public static let counters = Classes(rawValue: 0x200)
    }

    /// Controller problems, data[1] (`CAN_ERR_CRTL_*`).
    @frozen
    public struct ControllerProblems: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The corresponding C constant is `CAN_ERR_CRTL_RX_OVERFLOW`.
        public static let rxOverflow = ControllerProblems(rawValue: 0x01)
        /// The corresponding C constant is `CAN_ERR_CRTL_TX_OVERFLOW`.
        public static let txOverflow = ControllerProblems(rawValue: 0x02)
        /// Reached the warning level for RX errors. The corresponding C constant is `CAN_ERR_CRTL_RX_WARNING`.
        public static let rxWarning = ControllerProblems(rawValue: 0x04)
        /// Reached the warning level for TX errors. The corresponding C constant is `CAN_ERR_CRTL_TX_WARNING`.
        public static let txWarning = ControllerProblems(rawValue: 0x08)
        /// Reached error passive status (RX). The corresponding C constant is `CAN_ERR_CRTL_RX_PASSIVE`.
        public static let rxPassive = ControllerProblems(rawValue: 0x10)
        /// Reached error passive status (TX). The corresponding C constant is `CAN_ERR_CRTL_TX_PASSIVE`.
        public static let txPassive = ControllerProblems(rawValue: 0x20)
        /// Recovered to error active state. The corresponding C constant is `CAN_ERR_CRTL_ACTIVE`.
        public static let active = ControllerProblems(rawValue: 0x40)
    }

    /// Protocol violation types, data[2] (`CAN_ERR_PROT_*`).
    @frozen
    public struct ProtocolViolations: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The corresponding C constant is `CAN_ERR_PROT_BIT`.
        public static let singleBit = ProtocolViolations(rawValue: 0x01)
        /// The corresponding C constant is `CAN_ERR_PROT_FORM`.
        public static let frameFormat = ProtocolViolations(rawValue: 0x02)
        /// The corresponding C constant is `CAN_ERR_PROT_STUFF`.
        public static let bitStuffing = ProtocolViolations(rawValue: 0x04)
        /// Unable to send a dominant bit. The corresponding C constant is `CAN_ERR_PROT_BIT0`.
        public static let dominantBit = ProtocolViolations(rawValue: 0x08)
        /// Unable to send a recessive bit. The corresponding C constant is `CAN_ERR_PROT_BIT1`.
        public static let recessiveBit = ProtocolViolations(rawValue: 0x10)
        /// The corresponding C constant is `CAN_ERR_PROT_OVERLOAD`.
        public static let overload = ProtocolViolations(rawValue: 0x20)
        /// Active error announcement. The corresponding C constant is `CAN_ERR_PROT_ACTIVE`.
        public static let activeError = ProtocolViolations(rawValue: 0x40)
        /// The error occurred on transmission. The corresponding C constant is `CAN_ERR_PROT_TX`.
        public static let errorOnTransmission = ProtocolViolations(rawValue: 0x80)
    }

    /// Where in the frame a protocol violation happened, data[3] (`CAN_ERR_PROT_LOC_*`).
    @frozen
    public struct ProtocolViolationLocation: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_UNSPEC`.
        public static let unspecified = Self(rawValue: 0x00)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_SOF`.
        public static let startOfFrame = Self(rawValue: 0x03)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_DATA`.
        public static let dataField = Self(rawValue: 0x0A)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_DLC`.
        public static let dataLengthCode = Self(rawValue: 0x0B)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_CRC_SEQ`.
        public static let crcSequence = Self(rawValue: 0x08)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_CRC_DEL`.
        public static let crcDelimiter = Self(rawValue: 0x18)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_ACK`.
        public static let acknowledgeSlot = Self(rawValue: 0x19)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_ACK_DEL`.
        public static let acknowledgeDelimiter = Self(rawValue: 0x1B)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_EOF`.
        public static let endOfFrame = Self(rawValue: 0x1A)
        /// The corresponding C constant is `CAN_ERR_PROT_LOC_INTERM`.
        public static let intermission = Self(rawValue: 0x12)

        /// can-utils' name for the location (`id.28-to-id.21`, `data-field`, …), `nil` beyond its table.
        public var name: StaticString? {
            Int(rawValue) < CANErrorFrame.locationNames.count ? CANErrorFrame.locationNames[Int(rawValue)] : nil
        }

        public var description: String { name.map { "\($0)" } ?? "0x\(String(rawValue, radix: 16, uppercase: true))" }
    }

    /// The transceiver status, data[4] (`CAN_ERR_TRX_*`): CANH in the low nibble, CANL in the high one.
    @frozen
    public struct TransceiverStatus: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The corresponding C constant is `CAN_ERR_TRX_UNSPEC`.
        public static let unspecified = Self(rawValue: 0x00)
        /// The corresponding C constant is `CAN_ERR_TRX_CANH_NO_WIRE`.
        public static let canHighNoWire = Self(rawValue: 0x04)
        /// The corresponding C constant is `CAN_ERR_TRX_CANH_SHORT_TO_BAT`.
        public static let canHighShortToBattery = Self(rawValue: 0x05)
        /// The corresponding C constant is `CAN_ERR_TRX_CANH_SHORT_TO_VCC`.
        public static let canHighShortToVCC = Self(rawValue: 0x06)
        /// The corresponding C constant is `CAN_ERR_TRX_CANH_SHORT_TO_GND`.
        public static let canHighShortToGround = Self(rawValue: 0x07)
        /// The corresponding C constant is `CAN_ERR_TRX_CANL_NO_WIRE`.
        public static let canLowNoWire = Self(rawValue: 0x40)
        /// The corresponding C constant is `CAN_ERR_TRX_CANL_SHORT_TO_BAT`.
        public static let canLowShortToBattery = Self(rawValue: 0x50)
        /// The corresponding C constant is `CAN_ERR_TRX_CANL_SHORT_TO_VCC`.
        public static let canLowShortToVCC = Self(rawValue: 0x60)
        /// The corresponding C constant is `CAN_ERR_TRX_CANL_SHORT_TO_GND`.
        public static let canLowShortToGround = Self(rawValue: 0x70)
        /// The corresponding C constant is `CAN_ERR_TRX_CANL_SHORT_TO_CANH`.
        public static let canLowShortToCANHigh = Self(rawValue: 0x80)
    }

    /// The error classes (the id bits under `CAN_ERR_FLAG`).
    public let classes: Classes
    /// The 8 detail bytes, inline: data[0] in the lowest byte.
    private let detail: UInt64

    /// Decodes an error frame.
    /// - Returns: `nil` for a frame without `CAN_ERR_FLAG`.
    public init?(_ frame: CANFrame) {
        guard frame.isError else { return nil }
        // Bytes beyond `count` are zero in every CANFrame, so reading all 8 is what the kernel's buffer holds.
        var detail: UInt64 = 0
        for index in 0..<8 { detail |= UInt64(frame[index]) << (8 * index) }
        self.init(classes: Classes(rawValue: frame.rawID & CANFrame.errorMask), detail: detail)
    }

    private init(classes: Classes, detail: UInt64) {
        self.classes = classes
        self.detail = detail
    }

    /// An error frame from its parts, each detail in its own field of `struct can_frame`'s data as
    /// `<linux/can/error.h>` lays them out (for building one to send or to test with):
    ///
    ///     CANErrorFrame(classes: [.controller, .counters], controllerProblems: .rxPassive,
    ///                   transmitErrorCounter: 12, receiveErrorCounter: 130)
    /// - Parameters:
    ///   - arbitrationLostBit: data[0], with ``Classes/lostArbitration``.
    ///   - controllerProblems: data[1], with ``Classes/controller``.
    ///   - protocolViolations: data[2], with ``Classes/protocolViolation``.
    ///   - protocolViolationLocation: data[3].
    ///   - transceiverStatus: data[4], with ``Classes/transceiver``.
    ///   - controllerSpecific: data[5], the controller's own information.
    ///   - transmitErrorCounter: data[6], with ``Classes/counters``.
    ///   - receiveErrorCounter: data[7], with ``Classes/counters``.
    public init(classes: Classes, arbitrationLostBit: UInt8 = 0, controllerProblems: ControllerProblems = [],
                protocolViolations: ProtocolViolations = [], protocolViolationLocation: ProtocolViolationLocation = .unspecified,
                transceiverStatus: TransceiverStatus = .unspecified, controllerSpecific: UInt8 = 0,
                transmitErrorCounter: UInt8 = 0, receiveErrorCounter: UInt8 = 0) {
        let fields = [arbitrationLostBit, controllerProblems.rawValue, protocolViolations.rawValue,
                      protocolViolationLocation.rawValue, transceiverStatus.rawValue, controllerSpecific,
                      transmitErrorCounter, receiveErrorCounter]
        var detail: UInt64 = 0
        for (index, byte) in fields.enumerated() { detail |= UInt64(byte) << (8 * index) }
        self.init(classes: classes, detail: detail)
    }

    /// An error frame from its classes and up to 8 detail bytes as they stand in the frame (missing ones 0).
    /// - Throws: ``CANFrameError/tooMuchData(count:maximum:)`` for more than 8 bytes.
    public init(classes: Classes, data: some Collection<UInt8>) throws(CANFrameError) {
        guard data.count <= 8 else { throw .tooMuchData(count: data.count, maximum: 8) }
        var detail: UInt64 = 0
        for (index, byte) in data.enumerated() { detail |= UInt64(byte) << (8 * index) }
        self.init(classes: classes, detail: detail)
    }

    /// The detail byte at `index` (0..<8).
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < 8, "an error frame has 8 detail bytes")
        return UInt8(truncatingIfNeeded: detail >> (8 * index))
    }

    /// The 8 detail bytes as an array (allocates; for code off the hot path).
    public var data: [UInt8] { (0..<8).map { self[$0] } }

    /// The frame carrying this error (`CAN_ERR_FLAG` | classes, 8 bytes).
    public var frame: CANFrame {
        // Classes are masked to 29 bits and there are 8 bytes, so this cannot throw.
        withUnsafeBytes(of: detail.littleEndian) { try! CANFrame(errorClass: classes.rawValue & CANFrame.errorMask, data: $0) }
    }

    /// The bit position where arbitration was lost, when ``Classes/lostArbitration`` is set (data[0];
    /// 0 is `CAN_ERR_LOSTARB_UNSPEC`).
    public var arbitrationLostBit: UInt8? { classes.contains(.lostArbitration) ? self[0] : nil }
    /// Controller problems (data[1]).
    public var controllerProblems: ControllerProblems { ControllerProblems(rawValue: self[1]) }
    /// Protocol violation types (data[2]).
    public var protocolViolations: ProtocolViolations { ProtocolViolations(rawValue: self[2]) }
    /// Protocol violation location (data[3]).
    public var protocolViolationLocation: ProtocolViolationLocation { ProtocolViolationLocation(rawValue: self[3]) }
    /// Transceiver status (data[4]).
    public var transceiverStatus: TransceiverStatus { TransceiverStatus(rawValue: self[4]) }
    /// The transmit error counter (data[6]; valid with ``Classes/counters``, and can-utils prints it when non-zero).
    public var transmitErrorCounter: UInt8 { self[6] }
    /// The receive error counter (data[7]).
    public var receiveErrorCounter: UInt8 { self[7] }

    /// Whether can-utils 2020.11 accepts the class for decoding (`class <= 1 << 9`); otherwise
    /// `snprintf_can_error_frame` prints "Error class %#x is invalid" to stderr and decodes nothing.
    public var hasValidClass: Bool { classes.rawValue <= 1 << 9 }

    // MARK: can-utils text

    // can-utils 2020.11 lib.c's names, in bit order.
    static let classNames: [StaticString] = [
        "tx-timeout", "lost-arbitration", "controller-problem", "protocol-violation", "transceiver-status",
        "no-acknowledgement-on-tx", "bus-off", "bus-error", "restarted-after-bus-off",
    ]
    static let controllerNames: [StaticString] = [
        "rx-overflow", "tx-overflow", "rx-error-warning", "tx-error-warning", "rx-error-passive",
        "tx-error-passive", "back-to-error-active",
    ]
    static let violationNames: [StaticString] = [
        "single-bit-error", "frame-format-error", "bit-stuffing-error", "tx-dominant-bit-error",
        "tx-recessive-bit-error", "bus-overload", "active-error", "error-on-tx",
    ]
    static let locationNames: [StaticString] = [
        "unspecified", "unspecified", "id.28-to-id.21", "start-of-frame", "bit-srtr", "bit-ide",
        "id.20-to-id.18", "id.17-to-id.13", "crc-sequence", "reserved-bit-0", "data-field", "data-length-code",
        "bit-rtr", "reserved-bit-1", "id.4-to-id.0", "id.12-to-id.5", "unspecified", "active-error-flag",
        "intermission", "tolerate-dominant-bits", "unspecified", "unspecified", "passive-error-flag",
        "error-delimiter", "crc-delimiter", "acknowledge-slot", "end-of-frame", "acknowledge-delimiter",
        "overload-flag", "unspecified", "unspecified", "unspecified",
    ]

    /// Appends the decoded text as can-utils 2020.11's `snprintf_can_error_frame` writes it, parts joined by
    /// `separator`: `controller-problem{rx-error-warning}`, `protocol-violation{{bit-stuffing-error}{data-field}}`,
    /// `lost-arbitration{at bit 5}`, then `error-counter-tx-rx{{tx}{rx}}` when a counter is non-zero
    /// (preceded by the separator even when no class came before, as can-utils does).
    ///
    /// Nothing is allocated. Appends nothing for an invalid class (see ``hasValidClass``).
    /// - Returns: The number of bytes appended (0 when can-utils would leave its buffer untouched).
    @discardableResult
    public func appendText(separator: StaticString = ",", to buffer: inout [UInt8]) -> Int {
        guard hasValidClass else { return 0 }
        let start = buffer.count
        var written = 0
        for bit in 0..<Self.classNames.count where classes.rawValue & (1 << UInt32(bit)) != 0 {
            if written > 0 { Self.append(separator, to: &buffer) }
            Self.append(Self.classNames[bit], to: &buffer)
            switch Classes(rawValue: 1 << UInt32(bit)) {
            case .lostArbitration:
                Self.append("{at bit ", to: &buffer)
                CANFrameText.appendDecimal(UInt64(self[0]), width: 1, to: &buffer)
                buffer.append(UInt8(ascii: "}"))
            case .controller:
                buffer.append(UInt8(ascii: "{"))
                Self.appendNames(self[1], Self.controllerNames, to: &buffer)
                buffer.append(UInt8(ascii: "}"))
            case .protocolViolation:
                Self.append("{{", to: &buffer)
                Self.appendNames(self[2], Self.violationNames, to: &buffer)
                Self.append("}{", to: &buffer)
                if self[3] > 0, let name = protocolViolationLocation.name { Self.append(name, to: &buffer) }
                Self.append("}}", to: &buffer)
            default:
                break
            }
            written += 1
        }
        if self[6] != 0 || self[7] != 0 {
            Self.append(separator, to: &buffer)
            Self.append("error-counter-tx-rx{{", to: &buffer)
            CANFrameText.appendDecimal(UInt64(self[6]), width: 1, to: &buffer)
            Self.append("}{", to: &buffer)
            CANFrameText.appendDecimal(UInt64(self[7]), width: 1, to: &buffer)
            Self.append("}}", to: &buffer)
        }
        return buffer.count - start
    }

    /// The decoded text (``appendText(separator:to:)``) as a string.
    public func text(separator: StaticString = ",") -> String {
        var buffer: [UInt8] = []
        appendText(separator: separator, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    public var description: String { text() }

    @inline(__always)
    static func append(_ text: StaticString, to buffer: inout [UInt8]) {
        ByteText.append(text, to: &buffer)
    }

    private static func appendNames(_ bits: UInt8, _ table: [StaticString], to buffer: inout [UInt8]) {
        var count = 0
        for (bit, name) in table.enumerated() where bits & (1 << bit) != 0 {
            if count > 0 { buffer.append(UInt8(ascii: ",")) }
            append(name, to: &buffer)
            count += 1
        }
    }
}
