/// 0x2E WriteDataByIdentifier.
public struct WriteDataByIdentifier: UDSRequest {
    public static let service = UDSService.writeDataByIdentifier
    public var identifier: UInt16
    public var data: [UInt8]

    public init(_ identifier: UInt16, data: [UInt8]) {
        self.identifier = identifier
        self.data = data
    }

    public var label: String { "WriteDataByIdentifier \(Hex.word(identifier))" }

    public func encoded() throws -> [UInt8] {
        guard !data.isEmpty else { throw UDSRequestError(request: label, reason: "no data to write") }
        return [Self.service.rawValue] + bigEndian(UInt64(identifier), size: 2) + data
    }

    /// `6E DID`: returns the DID echoed.
    public func decode(_ response: [UInt8]) throws -> UInt16 {
        var r = ResponseReader(response, request: label)
        try r.expectWord(identifier, "data identifier")
        try r.expectEnd()
        return identifier
    }
}
