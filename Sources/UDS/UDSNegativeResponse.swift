/// A negative response (`7F SID NRC`) as an error: names the request and the code, e.g.
/// `ReadDataByIdentifier F190: requestOutOfRange (0x31)`.
public struct UDSNegativeResponse: Error, Hashable, Sendable, CustomStringConvertible {
    /// The service that was refused.
    public var service: UDSService
    /// The request as a reader names it: the service and its key argument (`ReadDataByIdentifier F190`).
    public var request: String
    /// The code the ECU answered.
    public var code: NegativeResponseCode

    public var description: String { "\(request): \(code)" }
}
