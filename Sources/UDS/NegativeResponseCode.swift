import SocketBase

/// A negative response code (NRC, ISO 14229-1 annex A.1): the third byte of `7F SID NRC`.
@frozen
public struct NegativeResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
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

    /// The ISO 14229-1 names in lower camel case.
    package static let names: [Self: String] = [
        .generalReject: "generalReject",
        .serviceNotSupported: "serviceNotSupported",
        .subFunctionNotSupported: "subFunctionNotSupported",
        .incorrectMessageLengthOrInvalidFormat: "incorrectMessageLengthOrInvalidFormat",
        .responseTooLong: "responseTooLong",
        .busyRepeatRequest: "busyRepeatRequest",
        .conditionsNotCorrect: "conditionsNotCorrect",
        .requestSequenceError: "requestSequenceError",
        .noResponseFromSubnetComponent: "noResponseFromSubnetComponent",
        .failurePreventsExecutionOfRequestedAction: "failurePreventsExecutionOfRequestedAction",
        .requestOutOfRange: "requestOutOfRange",
        .securityAccessDenied: "securityAccessDenied",
        .invalidKey: "invalidKey",
        .exceedNumberOfAttempts: "exceedNumberOfAttempts",
        .requiredTimeDelayNotExpired: "requiredTimeDelayNotExpired",
        .uploadDownloadNotAccepted: "uploadDownloadNotAccepted",
        .transferDataSuspended: "transferDataSuspended",
        .generalProgrammingFailure: "generalProgrammingFailure",
        .wrongBlockSequenceCounter: "wrongBlockSequenceCounter",
        .requestCorrectlyReceivedResponsePending: "requestCorrectlyReceivedResponsePending",
        .subFunctionNotSupportedInActiveSession: "subFunctionNotSupportedInActiveSession",
        .serviceNotSupportedInActiveSession: "serviceNotSupportedInActiveSession",
    ]

    /// The ISO 14229-1 name in lower camel case, e.g. `requestOutOfRange`; `nrc0xNN` for codes without one.
    public var name: String { knownName ?? "nrc0x\(Hex.byte(rawValue))" }

    /// `requestOutOfRange (0x31)`.
    public var description: String { "\(name) (0x\(Hex.byte(rawValue)))" }
}
