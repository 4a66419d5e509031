/// 0x31 RoutineControl: start, stop, or request the results of a routine.
public struct RoutineControl: UDSRequest {
    public static let service = UDSService.routineControl

    /// The routine control type (sub-function).
    public enum ControlType: UInt8, Hashable, Sendable, CaseIterable {
        case start = 0x01
        case stop = 0x02
        case requestResults = 0x03
        var name: String {
            switch self {
            case .start: "start"
            case .stop: "stop"
            case .requestResults: "results"
            }
        }
    }

    public var control: ControlType
    public var identifier: UInt16
    /// routineControlOptionRecord.
    public var options: [UInt8]
    public var suppressesPositiveResponse: Bool

    public init(_ control: ControlType, identifier: UInt16, options: [UInt8] = [], suppressPositiveResponse: Bool = false) {
        self.control = control
        self.identifier = identifier
        self.options = options
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    /// `71 type RID [routineStatusRecord]`.
    public struct Response: Hashable, Sendable {
        public var control: ControlType
        public var identifier: UInt16
        public var statusRecord: [UInt8]
    }

    public var label: String { "RoutineControl \(control.name) \(Hex.word(identifier))" }

    public func encoded() -> [UInt8] {
        encoded(subFunction: control.rawValue, bigEndian(UInt64(identifier), size: 2) + options)
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        try r.expect(control.rawValue, "routine control type")
        try r.expectWord(identifier, "routine identifier")
        return Response(control: control, identifier: identifier, statusRecord: r.rest())
    }
}
