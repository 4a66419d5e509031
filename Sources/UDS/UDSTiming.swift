/// The client's timers (ISO 14229-2): P2 for the first response, P2* after responsePending, S3 for the
/// TesterPresent keep-alive.
public struct UDSTiming: Hashable, Sendable {
    /// P2client: how long to wait for the first response to a request.
    public var p2: Duration
    /// P2*client: how long to wait after each requestCorrectlyReceivedResponsePending (0x78).
    public var p2Star: Duration
    /// S3: the TesterPresent keep-alive period.
    public var s3: Duration
    /// Added to P2 and P2* when they are adopted from a DiagnosticSessionControl response: the kernel's ISO-TP
    /// socket hands over a PDU only once all its frames arrived, so the transfer time of a long response (and
    /// of our own request) is inside the measured wait.
    public var adoptionMargin: Duration

    /// ISO 14229-2 defaults for the server (P2 50 ms, P2* 5 s) with a 1 s client P2 and S3 = 2 s.
    public init(p2: Duration = .seconds(1), p2Star: Duration = .seconds(5), s3: Duration = .seconds(2),
                adoptionMargin: Duration = .milliseconds(100)) {
        self.p2 = p2
        self.p2Star = p2Star
        self.s3 = s3
        self.adoptionMargin = adoptionMargin
    }

    /// Whole milliseconds of a duration, rounded down.
    static func milliseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
