import SocketBase
import Dispatch
import Synchronization

/// A UDS (ISO 14229-1) client over a ``UDSTransport``: typed requests, negative responses as errors, P2/P2*
/// timing, busyRepeatRequest retries, and a TesterPresent keep-alive.
///
/// Thread-safe: requests from several threads or tasks are serialised (one exchange at a time), and every
/// write — requests and the keep-alive's TesterPresent — goes through one lock, so a keep-alive PDU never
/// lands inside another PDU's segmented transfer.
///
/// ```swift
/// let client = UDSClient(transport: try ISOTPTransport(interface: "vcan0", transmitID: CANID(standard: 0x7E0),
///                                                     receiveID: CANID(standard: 0x7E8)))
/// try client.changeSession(.extendedDiagnostic)
/// let vin = try client.readDataByIdentifier(0xF190)
/// ```
public final class UDSClient: Sendable {
    public let transport: any UDSTransport

    struct Settings {
        var timing: UDSTiming
        var busyRetryLimit: Int
        var busyRetryDelay: Duration
        var adoptsSessionTiming: Bool
    }

    let settings: Locked<Settings>
    /// Held for a whole exchange (request and its responses).
    private let exchange = Locked(())
    /// Held for each write.
    private let writing = Locked(())
    private let keepAlive = Locked<KeepAlive?>(nil)

    /// - Parameters:
    ///   - transport: The link to the ECU.
    ///   - timing: P2, P2*, S3.
    ///   - busyRetryLimit: How often a busyRepeatRequest (0x21) is answered by repeating the request before it
    ///     is thrown as a ``UDSNegativeResponse``.
    ///   - busyRetryDelay: The pause before each repeat.
    ///   - adoptsSessionTiming: Whether a DiagnosticSessionControl response's P2 and P2* become the timing (plus
    ///     ``UDSTiming/adoptionMargin``).
    public init(transport: any UDSTransport, timing: UDSTiming = UDSTiming(), busyRetryLimit: Int = 3,
                busyRetryDelay: Duration = .milliseconds(10), adoptsSessionTiming: Bool = true) {
        self.transport = transport
        settings = Locked(Settings(timing: timing, busyRetryLimit: max(0, busyRetryLimit), busyRetryDelay: busyRetryDelay,
                                  adoptsSessionTiming: adoptsSessionTiming))
    }

    deinit { stopKeepAlive() }

    /// The timers in use (after a session change, the ECU's).
    public var timing: UDSTiming {
        get { settings.withLock { $0.timing } }
        set { settings.withLock { $0.timing = newValue } }
    }

    public var busyRetryLimit: Int {
        get { settings.withLock { $0.busyRetryLimit } }
        set { settings.withLock { $0.busyRetryLimit = max(0, newValue) } }
    }

    // MARK: Exchanges

    /// Sends a request and decodes its positive response.
    ///
    /// Waits P2 for the first response; each requestCorrectlyReceivedResponsePending (0x78) restarts the wait
    /// with P2*, however often it comes. busyRepeatRequest (0x21) repeats the request up to
    /// ``busyRetryLimit`` times. Responses for other services (a late answer to an earlier request, a
    /// TesterPresent answer) are skipped.
    /// - Returns: The decoded response; nil when the request suppresses the positive response (then there is no
    ///   wait).
    /// - Throws: ``UDSNegativeResponse``, ``UDSTimeout``, ``UDSResponseError``, ``UDSRequestError``, or the
    ///   transport's error.
    @discardableResult
    public func send<R: UDSRequest>(_ request: R) throws -> R.Response? {
        let pdu = try request.encoded()
        guard pdu.count <= transport.maximumPDUSize else {
            throw UDSRequestError(request: request.label,
                                  reason: "request of \(pdu.count) bytes exceeds the transport's \(transport.maximumPDUSize)")
        }
        guard let response = try exchange(pdu, service: R.service, label: request.label,
                                          suppressed: request.suppressesPositiveResponse) else { return nil }
        return try request.decode(response)
    }

    /// Sends raw request bytes and returns the raw positive response (nil when suppressed), with the same
    /// waiting, retries and errors as ``send(_:)``.
    public func sendRaw(_ pdu: [UInt8], suppressed: Bool = false) throws -> [UInt8]? {
        guard let first = pdu.first else { throw UDSRequestError(request: "raw request", reason: "empty request") }
        let service = UDSService(rawValue: first)
        return try exchange(pdu, service: service, label: service.name, suppressed: suppressed)
    }

    func exchange(_ pdu: [UInt8], service: UDSService, label: String, suppressed: Bool) throws -> [UInt8]? {
        try exchange.withLock { _ throws -> [UInt8]? in
            let s = settings.withLock { $0 }
            // Late answers to an earlier request (one that timed out, or an NRC to a suppressed request) are
            // not this request's.
            while try transport.receive(before: .now) != nil {}
            var busyRetries = 0
            while true {
                try write(pdu)
                if suppressed { return nil }
                var phase = UDSTimeout.Phase.p2
                var wait = s.timing.p2
                var deadline = ContinuousClock.now + wait
                var pendingCount = 0
                receiving: while true {
                    guard let response = try transport.receive(before: deadline) else {
                        throw UDSTimeout(service: service, request: label, phase: phase, timeout: wait, pendingCount: pendingCount)
                    }
                    guard let first = response.first else { continue }
                    if first == service.positiveResponse { return response }
                    if first == UDSService.negativeResponse {
                        guard response.count == 3 else {
                            throw UDSResponseError(request: label,
                                                   reason: "negative response of \(response.count) bytes (7F SID NRC has 3)",
                                                   response: response)
                        }
                        guard response[1] == service.rawValue else { continue }
                        let code = NegativeResponseCode(rawValue: response[2])
                        switch code {
                        case .requestCorrectlyReceivedResponsePending:
                            pendingCount += 1
                            phase = .p2Star
                            wait = s.timing.p2Star
                            deadline = .now + wait
                            continue receiving
                        case .busyRepeatRequest where busyRetries < s.busyRetryLimit:
                            busyRetries += 1
                            if s.busyRetryDelay > .zero { sleep(for: s.busyRetryDelay) }
                            break receiving
                        default:
                            throw UDSNegativeResponse(service: service, request: label, code: code)
                        }
                    }
                    if first == UDSService.testerPresent.positiveResponse || first & 0x40 != 0 && first != UDSService.negativeResponse {
                        continue   // a response for another service
                    }
                    throw UDSResponseError(request: label, reason: "response starts with 0x\(Hex.byte(first)), expected 0x\(Hex.byte(service.positiveResponse)) or 7F",
                                           response: response)
                }
            }
        }
    }

    /// Writes one PDU under the write lock.
    func write(_ pdu: [UInt8]) throws {
        try writing.withLock { _ in try transport.send(pdu) }
    }

    // MARK: TesterPresent keep-alive

    final class KeepAlive: Sendable {
        let stop = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let sent = Atomic<Int>(0)
        let lastError = Locked<String?>(nil)
    }

    /// Starts sending TesterPresent with the suppress bit (`3E 80`) every `period` (default S3) in the
    /// background, on a fixed schedule, until ``stopKeepAlive()``. It goes on while a request waits on
    /// responsePending; each send takes the write lock, so it never lands inside a segmented transfer.
    public func startKeepAlive(every period: Duration? = nil) {
        stopKeepAlive()
        let period = period ?? timing.s3
        let job = KeepAlive()
        keepAlive.withLock { $0 = job }
        let pdu = TesterPresent(suppressPositiveResponse: true).encoded()
        let periodNanoseconds = UInt64(max(1, UDSTiming.milliseconds(period))) * 1_000_000
        DispatchQueue(label: "UDSClient.keepAlive").async { [self] in
            let start = DispatchTime.now().uptimeNanoseconds
            var next: UInt64 = 1
            while true {
                let due = DispatchTime(uptimeNanoseconds: start + next * periodNanoseconds)
                if job.stop.wait(timeout: due) == .success { break }
                do {
                    try write(pdu)
                    job.sent.add(1, ordering: .relaxed)
                } catch {
                    job.lastError.withLock { $0 = "\(error)" }
                }
                // Skip periods missed while the write waited (a long transfer): keep the schedule.
                let now = DispatchTime.now().uptimeNanoseconds
                next = max(next + 1, (now - start) / periodNanoseconds + 1)
            }
            job.done.signal()
        }
    }

    /// Stops the keep-alive and waits for its thread to finish.
    public func stopKeepAlive() {
        guard let job = keepAlive.withLock({ job in defer { job = nil }; return job }) else { return }
        job.stop.signal()
        job.done.wait()
    }

    /// How many TesterPresent PDUs the running keep-alive sent, and its last error.
    public var keepAliveStatus: (sent: Int, lastError: String?)? {
        keepAlive.withLock { job in job.map { ($0.sent.load(ordering: .relaxed), $0.lastError.withLock { $0 }) } }
    }
}

/// Blocks the calling thread.
func sleep(for duration: Duration) {
    let semaphore = DispatchSemaphore(value: 0)
    _ = semaphore.wait(timeout: .now() + .nanoseconds(Int(clamping: UDSTiming.milliseconds(duration) * 1_000_000)))
}
