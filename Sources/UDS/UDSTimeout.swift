/// No response came in time: within P2 after the request, or within P2* after a responsePending (0x78).
public struct UDSTimeout: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which timer ran out.
    public enum Phase: String, Hashable, Sendable {
        /// P2client: the first response to the request.
        case p2 = "P2"
        /// P2*client: the response after a requestCorrectlyReceivedResponsePending (0x78).
        case p2Star = "P2*"
    }

    public var service: UDSService
    /// The request as a reader names it (`ReadDataByIdentifier F190`).
    public var request: String
    public var phase: Phase
    /// The time waited.
    public var timeout: Duration
    /// How many responsePending answers came before the wait ran out.
    public var pendingCount: Int

    public init(service: UDSService, request: String, phase: Phase, timeout: Duration, pendingCount: Int = 0) {
        self.service = service
        self.request = request
        self.phase = phase
        self.timeout = timeout
        self.pendingCount = pendingCount
    }

    public var description: String {
        let pending = pendingCount > 0 ? " after \(pendingCount) responsePending" : ""
        return "\(request): no response within \(phase.rawValue) (\(UDSTiming.milliseconds(timeout)) ms)\(pending)"
    }
}
