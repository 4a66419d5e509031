/// One UDS request with its typed response: how it is encoded and how its positive response decodes.
///
/// ``UDSClient/send(_:)`` runs the exchange: negative responses become ``UDSNegativeResponse``, timeouts
/// ``UDSTimeout``, undecodable responses ``UDSResponseError``.
public protocol UDSRequest: Sendable {
    associatedtype Response: Sendable
    /// The service identifier (the request's first byte).
    static var service: UDSService { get }
    /// The request as error messages name it: `ReadDataByIdentifier F190`.
    var label: String { get }
    /// Whether bit 7 of the sub-function is set: the ECU sends no positive response and the client does not wait.
    var suppressesPositiveResponse: Bool { get }
    /// The request's bytes, SID first.
    /// - Throws: ``UDSRequestError`` for values that do not fit.
    func encoded() throws -> [UInt8]
    /// Decodes a positive response (SID + 0x40 first; the client checked that byte).
    /// - Throws: ``UDSResponseError``.
    func decode(_ response: [UInt8]) throws -> Response
}

extension UDSRequest {
    public var suppressesPositiveResponse: Bool { false }
    public var label: String { Self.service.name }

    /// The bytes of a request with a sub-function: the SID, the sub-function with bit 7
    /// (suppressPosRspMsgIndicationBit) set when ``suppressesPositiveResponse``, then `parameters`.
    func encoded(subFunction: UInt8, _ parameters: [UInt8] = []) -> [UInt8] {
        [Self.service.rawValue, subFunction | (suppressesPositiveResponse ? 0x80 : 0)] + parameters
    }

    /// Checks a positive response that only echoes the sub-function: `SID+0x40 subFunction`, nothing after.
    /// - Throws: ``UDSResponseError`` naming `what` when the echo differs or bytes follow.
    func decodeEcho(_ response: [UInt8], subFunction: UInt8, _ what: String) throws(UDSResponseError) {
        var r = ResponseReader(response, request: label)
        try r.expect(subFunction, what)
        try r.expectEnd()
    }
}

/// A cursor over a positive response that throws ``UDSResponseError`` naming what is missing and where.
struct ResponseReader {
    let bytes: [UInt8]
    let request: String
    var offset: Int

    init(_ bytes: [UInt8], request: String, skip: Int = 1) {
        self.bytes = bytes
        self.request = request
        self.offset = skip
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    func error(_ reason: String) -> UDSResponseError {
        UDSResponseError(request: request, reason: reason, response: bytes)
    }

    mutating func byte(_ what: String) throws(UDSResponseError) -> UInt8 {
        guard offset < bytes.count else { throw error("truncated: no \(what) at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int, _ what: String) throws(UDSResponseError) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw error("truncated: \(what) needs \(count) bytes at byte \(offset), \(max(remaining, 0)) left")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uint(_ size: Int, _ what: String) throws(UDSResponseError) -> UInt64 {
        try bytes(size, what).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func word(_ what: String) throws(UDSResponseError) -> UInt16 { UInt16(try uint(2, what)) }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return offset < bytes.count ? Array(bytes[offset...]) : []
    }

    /// Checks a byte echoed from the request (a sub-function, an identifier).
    mutating func expect(_ value: UInt8, _ what: String) throws(UDSResponseError) {
        let at = offset
        let got = try byte(what)
        guard got == value else { throw error("\(what) 0x\(Hex.byte(got)) at byte \(at), expected 0x\(Hex.byte(value))") }
    }

    mutating func expectWord(_ value: UInt16, _ what: String) throws(UDSResponseError) {
        let at = offset
        let got = try word(what)
        guard got == value else { throw error("\(what) \(Hex.word(got)) at byte \(at), expected \(Hex.word(value))") }
    }

    func expectEnd() throws(UDSResponseError) {
        guard isAtEnd else { throw error("\(remaining) unexpected bytes from byte \(offset)") }
    }
}

/// Big-endian bytes of a value in `size` bytes.
func bigEndian(_ value: UInt64, size: Int) -> [UInt8] {
    (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}
