import SocketBase

/// A UDS service identifier (SID, ISO 14229-1 table 23): the first byte of a request.
///
/// A positive response starts with the SID plus 0x40; a negative response is `7F SID NRC`.
@frozen
public struct UDSService: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let diagnosticSessionControl = UDSService(rawValue: 0x10)
    public static let ecuReset = UDSService(rawValue: 0x11)
    public static let clearDiagnosticInformation = UDSService(rawValue: 0x14)
    public static let readDTCInformation = UDSService(rawValue: 0x19)
    public static let readDataByIdentifier = UDSService(rawValue: 0x22)
    public static let readMemoryByAddress = UDSService(rawValue: 0x23)
    public static let securityAccess = UDSService(rawValue: 0x27)
    public static let communicationControl = UDSService(rawValue: 0x28)
    public static let writeDataByIdentifier = UDSService(rawValue: 0x2E)
    public static let inputOutputControlByIdentifier = UDSService(rawValue: 0x2F)
    public static let routineControl = UDSService(rawValue: 0x31)
    public static let requestDownload = UDSService(rawValue: 0x34)
    public static let requestUpload = UDSService(rawValue: 0x35)
    public static let transferData = UDSService(rawValue: 0x36)
    public static let requestTransferExit = UDSService(rawValue: 0x37)
    public static let writeMemoryByAddress = UDSService(rawValue: 0x3D)
    public static let testerPresent = UDSService(rawValue: 0x3E)
    public static let controlDTCSetting = UDSService(rawValue: 0x85)

    /// The first byte of a positive response: SID + 0x40.
    public var positiveResponse: UInt8 { rawValue &+ 0x40 }

    /// The byte that starts every negative response.
    public static let negativeResponse: UInt8 = 0x7F

    /// Whether the service's second byte is a sub-function whose bit 7 suppresses the positive response
    /// (ISO 14229-1 table 23, "SubFunction supported").
    public var hasSubFunction: Bool {
        switch self {
        case .diagnosticSessionControl, .ecuReset, .readDTCInformation, .securityAccess, .communicationControl,
             .routineControl, .testerPresent, .controlDTCSetting: true
        default: false
        }
    }

    /// The ISO 14229-1 names.
    package static let names: [Self: String] = [
        .diagnosticSessionControl: "DiagnosticSessionControl",
        .ecuReset: "ECUReset",
        .clearDiagnosticInformation: "ClearDiagnosticInformation",
        .readDTCInformation: "ReadDTCInformation",
        .readDataByIdentifier: "ReadDataByIdentifier",
        .readMemoryByAddress: "ReadMemoryByAddress",
        .securityAccess: "SecurityAccess",
        .communicationControl: "CommunicationControl",
        .writeDataByIdentifier: "WriteDataByIdentifier",
        .inputOutputControlByIdentifier: "InputOutputControlByIdentifier",
        .routineControl: "RoutineControl",
        .requestDownload: "RequestDownload",
        .requestUpload: "RequestUpload",
        .transferData: "TransferData",
        .requestTransferExit: "RequestTransferExit",
        .writeMemoryByAddress: "WriteMemoryByAddress",
        .testerPresent: "TesterPresent",
        .controlDTCSetting: "ControlDTCSetting",
    ]

    /// The ISO 14229-1 name, e.g. `ReadDataByIdentifier`.
    public var name: String { knownName ?? "Service0x\(Hex.byte(rawValue))" }

    public var description: String { name }
}
