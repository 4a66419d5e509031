/// 0x85 ControlDTCSetting: stops or resumes the updating of DTC status bits.
public struct ControlDTCSetting: UDSRequest {
    public static let service = UDSService.controlDTCSetting

    /// The setting type (sub-function).
    @frozen
    public struct SettingType: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue & 0x7F }
        public static let on = SettingType(rawValue: 0x01)
        public static let off = SettingType(rawValue: 0x02)
    }

    public var setting: SettingType
    /// DTCSettingControlOptionRecord (optional, manufacturer specific).
    public var optionRecord: [UInt8]
    public var suppressesPositiveResponse: Bool

    public init(_ setting: SettingType, optionRecord: [UInt8] = [], suppressPositiveResponse: Bool = false) {
        self.setting = setting
        self.optionRecord = optionRecord
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    public var label: String { "ControlDTCSetting 0x\(Hex.byte(setting.rawValue))" }

    public func encoded() -> [UInt8] {
        encoded(subFunction: setting.rawValue, optionRecord)
    }

    public func decode(_ response: [UInt8]) throws -> SettingType {
        try decodeEcho(response, subFunction: setting.rawValue, "DTC setting type")
        return setting
    }
}
