/// 0x3E TesterPresent: keeps a non-default session alive (sub-function zeroSubFunction, 0x00).
public struct TesterPresent: UDSRequest {
    public static let service = UDSService.testerPresent
    public var suppressesPositiveResponse: Bool

    public init(suppressPositiveResponse: Bool = false) {
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    /// `3E 00`, or `3E 80` with the suppress bit (what the keep-alive sends).
    public func encoded() -> [UInt8] { encoded(subFunction: 0x00) }

    public func decode(_ response: [UInt8]) throws {
        try decodeEcho(response, subFunction: 0x00, "zeroSubFunction")
    }
}
