/// A negative response code (NRC, ISO 14229-1 annex A.1): the third byte of `7F SID NRC`.
@frozen
public struct NegativeResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let generalReject = Self(rawValue: 0x10)
    public static let serviceNotSupported = Self(rawValue: 0x11)
    public static let subFunctionNotSupported = Self(rawValue: 0x12)
    public static let incorrectMessageLengthOrInvalidFormat = Self(rawValue: 0x13)
    public static let responseTooLong = Self(rawValue: 0x14)
    public static let busyRepeatRequest = Self(rawValue: 0x21)
    public static let conditionsNotCorrect = Self(rawValue: 0x22)
    public static let requestSequenceError = Self(rawValue: 0x24)
    public static let noResponseFromSubnetComponent = Self(rawValue: 0x25)
    public static let failurePreventsExecutionOfRequestedAction = Self(rawValue: 0x26)
    public static let requestOutOfRange = Self(rawValue: 0x31)
    public static let securityAccessDenied = Self(rawValue: 0x33)
    public static let invalidKey = Self(rawValue: 0x35)
    public static let exceedNumberOfAttempts = Self(rawValue: 0x36)
    public static let requiredTimeDelayNotExpired = Self(rawValue: 0x37)
    public static let uploadDownloadNotAccepted = Self(rawValue: 0x70)
    public static let transferDataSuspended = Self(rawValue: 0x71)
    public static let generalProgrammingFailure = Self(rawValue: 0x72)
    public static let wrongBlockSequenceCounter = Self(rawValue: 0x73)
    public static let requestCorrectlyReceivedResponsePending = Self(rawValue: 0x78)
    public static let subFunctionNotSupportedInActiveSession = Self(rawValue: 0x7E)
    public static let serviceNotSupportedInActiveSession = Self(rawValue: 0x7F)

    /// The ISO 14229-1 name in lower camel case, e.g. `requestOutOfRange`; `nrc0xNN` for codes without one.
    public var name: String {
        switch rawValue {
        case 0x10: "generalReject"
        case 0x11: "serviceNotSupported"
        case 0x12: "subFunctionNotSupported"
        case 0x13: "incorrectMessageLengthOrInvalidFormat"
        case 0x14: "responseTooLong"
        case 0x21: "busyRepeatRequest"
        case 0x22: "conditionsNotCorrect"
        case 0x24: "requestSequenceError"
        case 0x25: "noResponseFromSubnetComponent"
        case 0x26: "failurePreventsExecutionOfRequestedAction"
        case 0x31: "requestOutOfRange"
        case 0x33: "securityAccessDenied"
        case 0x35: "invalidKey"
        case 0x36: "exceedNumberOfAttempts"
        case 0x37: "requiredTimeDelayNotExpired"
        case 0x70: "uploadDownloadNotAccepted"
        case 0x71: "transferDataSuspended"
        case 0x72: "generalProgrammingFailure"
        case 0x73: "wrongBlockSequenceCounter"
        case 0x78: "requestCorrectlyReceivedResponsePending"
        case 0x7E: "subFunctionNotSupportedInActiveSession"
        case 0x7F: "serviceNotSupportedInActiveSession"
        default: "nrc0x\(Hex.byte(rawValue))"
        }
    }

    /// `requestOutOfRange (0x31)`.
    public var description: String { "\(name) (0x\(Hex.byte(rawValue)))" }
}
