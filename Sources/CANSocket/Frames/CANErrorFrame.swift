/// An error frame decoded into its parts (`linux/can/error.h`): error classes from the id, details from the
/// data bytes, and the error counters.
public struct CANErrorFrame: Hashable, Sendable, CustomStringConvertible {
    /// Error classes, the bits of the error frame's id (`CAN_ERR_*`).
    public struct Classes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// TX timeout (by netdevice driver). `CAN_ERR_TX_TIMEOUT`.
        public static let txTimeout = Classes(rawValue: 0x001)
        /// Lost arbitration; the bit is in data[0]. `CAN_ERR_LOSTARB`.
        public static let lostArbitration = Classes(rawValue: 0x002)
        /// Controller problems, in data[1]. `CAN_ERR_CRTL`.
        public static let controller = Classes(rawValue: 0x004)
        /// Protocol violations, type in data[2], location in data[3]. `CAN_ERR_PROT`.
        public static let protocolViolation = Classes(rawValue: 0x008)
        /// Transceiver status, in data[4]. `CAN_ERR_TRX`.
        public static let transceiver = Classes(rawValue: 0x010)
        /// No acknowledgement on transmission. `CAN_ERR_ACK`.
        public static let noAcknowledgement = Classes(rawValue: 0x020)
        /// Bus off. `CAN_ERR_BUSOFF`.
        public static let busOff = Classes(rawValue: 0x040)
        /// Bus error (may flood!). `CAN_ERR_BUSERROR`.
        public static let busError = Classes(rawValue: 0x080)
        /// Controller restarted. `CAN_ERR_RESTARTED`.
        public static let restarted = Classes(rawValue: 0x100)
        /// The counters in data[6] and data[7] are valid (Linux ≥ 5.16). `CAN_ERR_CNT`.
        public static let counters = Classes(rawValue: 0x200)
    }

    /// Controller problems, data[1] (`CAN_ERR_CRTL_*`).
    public struct ControllerProblems: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let rxOverflow = ControllerProblems(rawValue: 0x01)
        public static let txOverflow = ControllerProblems(rawValue: 0x02)
        public static let rxWarning = ControllerProblems(rawValue: 0x04)
        public static let txWarning = ControllerProblems(rawValue: 0x08)
        public static let rxPassive = ControllerProblems(rawValue: 0x10)
        public static let txPassive = ControllerProblems(rawValue: 0x20)
        /// Recovered to error active state. `CAN_ERR_CRTL_ACTIVE`.
        public static let active = ControllerProblems(rawValue: 0x40)
    }

    /// Protocol violation types, data[2] (`CAN_ERR_PROT_*`).
    public struct ProtocolViolations: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let singleBit = ProtocolViolations(rawValue: 0x01)
        public static let frameFormat = ProtocolViolations(rawValue: 0x02)
        public static let bitStuffing = ProtocolViolations(rawValue: 0x04)
        public static let dominantBit = ProtocolViolations(rawValue: 0x08)
        public static let recessiveBit = ProtocolViolations(rawValue: 0x10)
        public static let overload = ProtocolViolations(rawValue: 0x20)
        public static let activeError = ProtocolViolations(rawValue: 0x40)
        public static let errorOnTransmission = ProtocolViolations(rawValue: 0x80)
    }

    /// The error classes.
    public let classes: Classes
    /// The 8 detail bytes.
    public let data: [UInt8]

    /// Decodes an error frame; `nil` for a frame without `CAN_ERR_FLAG`.
    public init?(_ frame: CANFrame) {
        guard frame.isError else { return nil }
        classes = Classes(rawValue: frame.rawID & CANFrame.errorMask)
        data = (0..<8).map { frame[$0] }
    }

    /// The bit position where arbitration was lost, when ``Classes/lostArbitration`` is set (data[0]).
    public var arbitrationLostBit: UInt8? { classes.contains(.lostArbitration) ? data[0] : nil }
    /// Controller problems (data[1]).
    public var controllerProblems: ControllerProblems { ControllerProblems(rawValue: data[1]) }
    /// Protocol violation types (data[2]).
    public var protocolViolations: ProtocolViolations { ProtocolViolations(rawValue: data[2]) }
    /// Protocol violation location (data[3], `CAN_ERR_PROT_LOC_*`), as can-utils names it.
    public var protocolViolationLocation: String? {
        data[3] > 0 && Int(data[3]) < Self.locationNames.count ? Self.locationNames[Int(data[3])] : nil
    }
    /// Transceiver status (data[4], `CAN_ERR_TRX_*`).
    public var transceiverStatus: UInt8 { data[4] }
    /// The transmit error counter (data[6]).
    public var transmitErrorCounter: UInt8 { data[6] }
    /// The receive error counter (data[7]).
    public var receiveErrorCounter: UInt8 { data[7] }

    // can-utils lib.c's names, in bit order.
    static let classNames = ["tx-timeout", "lost-arbitration", "controller-problem", "protocol-violation",
                             "transceiver-status", "no-acknowledgement-on-tx", "bus-off", "bus-error",
                             "restarted-after-bus-off"]
    static let controllerNames = ["rx-overflow", "tx-overflow", "rx-error-warning", "tx-error-warning",
                                  "rx-error-passive", "tx-error-passive", "back-to-error-active"]
    static let violationNames = ["single-bit-error", "frame-format-error", "bit-stuffing-error",
                                 "tx-dominant-bit-error", "tx-recessive-bit-error", "bus-overload",
                                 "active-error", "error-on-tx"]
    static let locationNames = ["unspecified", "unspecified", "id.28-to-id.21", "start-of-frame", "bit-srtr",
                                "bit-ide", "id.20-to-id.18", "id.17-to-id.13", "crc-sequence", "reserved-bit-0",
                                "data-field", "data-length-code", "bit-rtr", "reserved-bit-1", "id.4-to-id.0",
                                "id.12-to-id.5", "unspecified", "active-error-flag", "intermission",
                                "tolerate-dominant-bits", "unspecified", "unspecified", "passive-error-flag",
                                "error-delimiter", "crc-delimiter", "acknowledge-slot", "end-of-frame",
                                "acknowledge-delimiter", "overload-flag", "unspecified", "unspecified", "unspecified"]

    /// Whether can-utils considers the class valid (`class <= 1 << 9`).
    public var hasValidClass: Bool { classes.rawValue <= 1 << 9 }

    /// The decoded text as can-utils' `snprintf_can_error_frame` writes it, parts joined by `separator`,
    /// e.g. `controller-problem{rx-error-warning}` or `protocol-violation{{bit-stuffing-error}{data-field}}`.
    public func text(separator: String = ",") -> String {
        var parts: [String] = []
        for (bit, name) in Self.classNames.enumerated() where classes.rawValue & (1 << bit) != 0 {
            var part = name
            switch UInt32(1) << bit {
            case Classes.lostArbitration.rawValue:
                part += "{at bit \(data[0])}"
            case Classes.controller.rawValue:
                part += "{" + Self.names(data[1], Self.controllerNames) + "}"
            case Classes.protocolViolation.rawValue:
                part += "{{" + Self.names(data[2], Self.violationNames) + "}{" + (protocolViolationLocation ?? "") + "}}"
            default:
                break
            }
            parts.append(part)
        }
        var text = parts.joined(separator: separator)
        if data[6] != 0 || data[7] != 0 {
            // can-utils writes the separator here even when no class came before.
            text += separator + "error-counter-tx-rx{{\(data[6])}{\(data[7])}}"
        }
        return text
    }

    private static func names(_ bits: UInt8, _ table: [String]) -> String {
        table.enumerated().filter { bits & (1 << $0.offset) != 0 }.map(\.element).joined(separator: ",")
    }

    public var description: String { text() }
}
