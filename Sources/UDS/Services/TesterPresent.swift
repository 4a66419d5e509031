/// 0x3E TesterPresent: keeps a non-default session alive (sub-function zeroSubFunction, 0x00).
public struct TesterPresent: UDSRequest {
    public static let service = UDSService.testerPresent
    public var suppressesPositiveResponse: Bool

    public init(suppressPositiveResponse: Bool = false) {
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    /// `3E 00`, or `3E 80` with the suppress bit (what the keep-alive sends).
    public func encoded() -> [UInt8] { [Self.service.rawValue, suppressesPositiveResponse ? 0x80 : 0x00] }

    public func decode(_ response: [UInt8]) throws {
        var r = ResponseReader(response, request: label)
        try r.expect(0x00, "zeroSubFunction")
        try r.expectEnd()
    }
}
