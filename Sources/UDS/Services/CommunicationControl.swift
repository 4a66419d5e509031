/// 0x28 CommunicationControl: enables or disables receiving and transmitting of message groups.
public struct CommunicationControl: UDSRequest {
    public static let service = UDSService.communicationControl

    /// The control type (sub-function).
    @frozen
    public struct ControlType: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue & 0x7F }
        public static let enableRxAndTx = ControlType(rawValue: 0x00)
        public static let enableRxAndDisableTx = ControlType(rawValue: 0x01)
        public static let disableRxAndEnableTx = ControlType(rawValue: 0x02)
        public static let disableRxAndTx = ControlType(rawValue: 0x03)
    }

    public var control: ControlType
    /// communicationType: bits 0–1 the message groups (1 normal, 2 network management, 3 both), bits 4–7 the
    /// subnet number.
    public var communicationType: UInt8
    public var suppressesPositiveResponse: Bool

    public init(_ control: ControlType, communicationType: UInt8 = 0x01, suppressPositiveResponse: Bool = false) {
        self.control = control
        self.communicationType = communicationType
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    public var label: String { "CommunicationControl 0x\(Hex.byte(control.rawValue))" }

    public func encoded() -> [UInt8] {
        encoded(subFunction: control.rawValue, [communicationType])
    }

    public func decode(_ response: [UInt8]) throws -> ControlType {
        try decodeEcho(response, subFunction: control.rawValue, "control type")
        return control
    }
}
