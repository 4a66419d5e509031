/// 0x2F InputOutputControlByIdentifier: the DID, the control option record (its first byte the
/// inputOutputControlParameter when used) and an optional control enable mask.
public struct InputOutputControlByIdentifier: UDSRequest {
    public static let service = UDSService.inputOutputControlByIdentifier

    /// inputOutputControlParameter values (ISO 14229-1 table E.1).
    @frozen
    public struct ControlParameter: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let returnControlToECU = ControlParameter(rawValue: 0x00)
        public static let resetToDefault = ControlParameter(rawValue: 0x01)
        public static let freezeCurrentState = ControlParameter(rawValue: 0x02)
        public static let shortTermAdjustment = ControlParameter(rawValue: 0x03)
    }

    public var identifier: UInt16
    public var parameter: ControlParameter?
    /// controlState for shortTermAdjustment.
    public var state: [UInt8]
    public var enableMask: [UInt8]

    public init(_ identifier: UInt16, parameter: ControlParameter?, state: [UInt8] = [], enableMask: [UInt8] = []) {
        self.identifier = identifier
        self.parameter = parameter
        self.state = state
        self.enableMask = enableMask
    }

    /// `6F DID controlStatusRecord` (the inputOutputControlParameter echoed first when one was sent, then the state).
    public struct Response: Hashable, Sendable {
        public var identifier: UInt16
        public var statusRecord: [UInt8]
    }

    public var label: String { "InputOutputControlByIdentifier \(Hex.word(identifier))" }

    public func encoded() throws -> [UInt8] {
        let record = (parameter.map { [$0.rawValue] } ?? []) + state
        guard !record.isEmpty else { throw UDSRequestError(request: label, reason: "no control parameter and no control state") }
        return [Self.service.rawValue] + bigEndian(UInt64(identifier), size: 2) + record + enableMask
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        try r.expectWord(identifier, "data identifier")
        return Response(identifier: identifier, statusRecord: r.rest())
    }
}
