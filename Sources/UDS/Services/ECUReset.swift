/// The reset type (the sub-function of ECUReset 0x11).
@frozen
public struct ResetType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x7F }
    public static let hardReset = ResetType(rawValue: 0x01)
    public static let keyOffOnReset = ResetType(rawValue: 0x02)
    public static let softReset = ResetType(rawValue: 0x03)
    public static let enableRapidPowerShutDown = ResetType(rawValue: 0x04)
    public static let disableRapidPowerShutDown = ResetType(rawValue: 0x05)
}

/// 0x11 ECUReset.
public struct ECUReset: UDSRequest {
    public static let service = UDSService.ecuReset
    public var type: ResetType
    public var suppressesPositiveResponse: Bool

    public init(_ type: ResetType, suppressPositiveResponse: Bool = false) {
        self.type = type
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    /// `51 type [powerDownTime]` (the power-down time only for enableRapidPowerShutDown).
    public struct Response: Hashable, Sendable {
        public var type: ResetType
        public var powerDownTime: UInt8?
    }

    public var label: String { "ECUReset 0x\(Hex.byte(type.rawValue))" }

    public func encoded() -> [UInt8] {
        encoded(subFunction: type.rawValue)
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        try r.expect(type.rawValue, "reset type")
        let time = type == .enableRapidPowerShutDown ? try r.byte("powerDownTime") : nil
        try r.expectEnd()
        return Response(type: type, powerDownTime: time)
    }
}
