import SocketBase
import Dispatch

/// One end of an in-memory UDS link: what one end sends, the other receives, whole PDUs in order.
///
/// ```swift
/// let (tester, ecu) = UDSLoopbackTransport.pair()
/// ```
public final class UDSLoopbackTransport: UDSTransport {
    final class Inbox: Sendable {
        let queue = Locked<[[UInt8]]>([])
        let available = DispatchSemaphore(value: 0)
        func put(_ pdu: [UInt8]) {
            queue.withLock { $0.append(pdu) }
            available.signal()
        }
    }

    private let inbox: Inbox
    private let outbox: Inbox
    private let sentLog = Locked<[(ContinuousClock.Instant, [UInt8])]>([])
    public let maximumPDUSize: Int

    private init(inbox: Inbox, outbox: Inbox, maximumPDUSize: Int) {
        self.inbox = inbox
        self.outbox = outbox
        self.maximumPDUSize = maximumPDUSize
    }

    /// Two connected ends.
    public static func pair(maximumPDUSize: Int = 4095) -> (UDSLoopbackTransport, UDSLoopbackTransport) {
        let a = Inbox(), b = Inbox()
        return (UDSLoopbackTransport(inbox: a, outbox: b, maximumPDUSize: maximumPDUSize),
                UDSLoopbackTransport(inbox: b, outbox: a, maximumPDUSize: maximumPDUSize))
    }

    public func send(_ pdu: [UInt8]) throws {
        guard !pdu.isEmpty, pdu.count <= maximumPDUSize else {
            throw UDSRequestError(request: "loopback send", reason: "PDU of \(pdu.count) bytes (1...\(maximumPDUSize))")
        }
        sentLog.withLock { $0.append((.now, pdu)) }
        outbox.put(pdu)
    }

    public func receive(before deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        let remaining = deadline - .now
        let nanoseconds = remaining <= .zero ? 0 : UDSTiming.milliseconds(remaining) * 1_000_000 + 999_999
        guard inbox.available.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .success else { return nil }
        return inbox.queue.withLock { $0.removeFirst() }
    }

    /// Everything this end sent, with when.
    public var sent: [(time: ContinuousClock.Instant, pdu: [UInt8])] { sentLog.withLock { $0.map { ($0.0, $0.1) } } }
}
