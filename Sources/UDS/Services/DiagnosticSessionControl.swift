import SocketBase

/// A diagnostic session type (the sub-function of DiagnosticSessionControl 0x10).
@frozen
public struct UDSSession: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x7F }
    public static let defaultSession = UDSSession(rawValue: 0x01)
    public static let programming = UDSSession(rawValue: 0x02)
    public static let extendedDiagnostic = UDSSession(rawValue: 0x03)
    public static let safetySystemDiagnostic = UDSSession(rawValue: 0x04)
    /// The names a request label gives.
    package static let names: [Self: String] = [
        .defaultSession: "default",
        .programming: "programming",
        .extendedDiagnostic: "extended",
        .safetySystemDiagnostic: "safety",
    ]

    public var description: String { knownName ?? "0x\(Hex.byte(rawValue))" }
}

/// 0x10 DiagnosticSessionControl: switches the session; the response carries the server's P2 and P2*, which
/// ``UDSClient`` adopts.
public struct DiagnosticSessionControl: UDSRequest {
    public static let service = UDSService.diagnosticSessionControl
    public var session: UDSSession
    public var suppressesPositiveResponse: Bool

    public init(_ session: UDSSession, suppressPositiveResponse: Bool = false) {
        self.session = session
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    /// `50 session P2(ms, 2 bytes) P2*(10 ms, 2 bytes)`.
    public struct Response: Hashable, Sendable {
        public var session: UDSSession
        /// P2server_max.
        public var p2: Duration
        /// P2*server_max.
        public var p2Star: Duration
    }

    public var label: String { "DiagnosticSessionControl \(session)" }

    public func encoded() -> [UInt8] {
        encoded(subFunction: session.rawValue)
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        try r.expect(session.rawValue, "session type")
        let p2 = try r.word("P2server_max")
        let p2Star = try r.word("P2*server_max")
        try r.expectEnd()
        return Response(session: session, p2: .milliseconds(Int(p2)), p2Star: .milliseconds(Int(p2Star) * 10))
    }

    /// The bytes of a positive response, as a server sends it.
    public static func encodeResponse(session: UDSSession, p2: Duration, p2Star: Duration) -> [UInt8] {
        let p2ms = UInt16(clamping: UDSTiming.milliseconds(p2))
        let p2Star10 = UInt16(clamping: UDSTiming.milliseconds(p2Star) / 10)
        return [service.positiveResponse, session.rawValue] + bigEndian(UInt64(p2ms), size: 2) + bigEndian(UInt64(p2Star10), size: 2)
    }
}
