/// 0x27 SecurityAccess: one step of the seed/key exchange. An odd level requests a seed; level + 1 sends the
/// key. ``UDSClient/unlock(level:key:)`` runs both steps.
public struct SecurityAccess: UDSRequest {
    public static let service = UDSService.securityAccess

    /// The two steps.
    public enum Step: Hashable, Sendable {
        /// requestSeed with an odd security level (0x01, 0x03, …, 0x41).
        case requestSeed(level: UInt8)
        /// sendKey: the sub-function is the seed's level + 1.
        case sendKey(level: UInt8, key: [UInt8])
    }

    public var step: Step
    public var suppressesPositiveResponse: Bool

    public init(_ step: Step, suppressPositiveResponse: Bool = false) {
        self.step = step
        self.suppressesPositiveResponse = suppressPositiveResponse
    }

    /// `67 subfunction [seed]`: the seed for requestSeed (all zero when already unlocked), empty after sendKey.
    public struct Response: Hashable, Sendable {
        public var subFunction: UInt8
        public var seed: [UInt8]
    }

    var subFunction: UInt8 {
        switch step {
        case .requestSeed(let level): level
        case .sendKey(let level, _): level &+ 1
        }
    }

    public var label: String {
        switch step {
        case .requestSeed(let level): "SecurityAccess requestSeed 0x\(Hex.byte(level))"
        case .sendKey(let level, _): "SecurityAccess sendKey 0x\(Hex.byte(level &+ 1))"
        }
    }

    public func encoded() throws -> [UInt8] {
        let level: UInt8
        switch step {
        case .requestSeed(let l), .sendKey(let l, _): level = l
        }
        guard level & 1 == 1, level < 0x7F else {
            throw UDSRequestError(request: label, reason: "security level 0x\(Hex.byte(level)) is not an odd requestSeed level (0x01-0x7D)")
        }
        if case .sendKey(_, let key) = step { return encoded(subFunction: subFunction, key) }
        return encoded(subFunction: subFunction)
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        try r.expect(subFunction, "security access type")
        let seed = r.rest()
        if case .requestSeed = step, seed.isEmpty { throw r.error("requestSeed response has no seed") }
        if case .sendKey = step, !seed.isEmpty { throw r.error("sendKey response has \(seed.count) unexpected bytes") }
        return Response(subFunction: subFunction, seed: seed)
    }
}
