import SocketBase

/// Frames received on several sockets, put back into kernel-timestamp order.
///
/// Each socket's queue is in order already; what can go wrong is across sockets: a loop that empties one socket
/// and then the next would print a whole batch of the first before older frames of the second. The merge holds
/// what it was given and releases a frame only once no older one can still be on its way from another socket:
///
/// 1. take a watermark, ``watermark(holdOff:)``, *before* receiving: every frame the kernel stamped at or before
///    it has reached its socket's queue by the time that queue is read (allowing `holdOff` for the kernel's own
///    delay between stamping a frame and queueing it);
/// 2. receive everything every ready socket has, and ``append(_:from:)`` it;
/// 3. take ``next(upTo:)`` until it returns nil: frames at or before the watermark, oldest first;
/// 4. what is left is newer: wait for more traffic, at most until ``releaseDeadline(holdOff:)``, and go again.
///
/// The order is the kernel's receive timestamp (`SO_TIMESTAMPNS`, `CLOCK_REALTIME`); frames of equal timestamp
/// keep the order of their sources. Storage grows to the largest backlog and is reused after that.
public struct CANFrameMerge {
    private var queues: [[CANReceivedAnyFrame]]
    private var heads: [Int]
    /// How many frames are held.
    public private(set) var count = 0

    /// A merge of `sources` sockets, numbered `0..<sources`.
    public init(sources: Int) {
        precondition(sources > 0, "CANFrameMerge needs at least one source")
        queues = Array(repeating: [], count: sources)
        heads = Array(repeating: 0, count: sources)
    }

    /// Whether no frame is held.
    public var isEmpty: Bool { count == 0 }

    /// The newest time a frame may have been stamped for the merge to release it after this receive round: now,
    /// less `holdOff`. Take it before receiving.
    public static func watermark(holdOff: Duration) -> KernelTimestamp {
        let now = KernelTimestamp.now
        let (seconds, attoseconds) = holdOff.components
        return KernelTimestamp(seconds: now.seconds - seconds,
                               nanoseconds: Int64(now.nanoseconds) - attoseconds / 1_000_000_000)
    }

    /// Adds a frame received on socket `source`, after every frame added from it before.
    public mutating func append(_ frame: CANReceivedAnyFrame, from source: Int) {
        queues[source].append(frame)
        count += 1
    }

    /// Takes the oldest held frame if it was stamped at or before `watermark` (any held frame when `watermark`
    /// is nil: at the end of a run).
    public mutating func next(upTo watermark: KernelTimestamp?) -> (frame: CANReceivedAnyFrame, source: Int)? {
        var oldest = -1
        for source in queues.indices where heads[source] < queues[source].count {
            if oldest < 0 || queues[source][heads[source]].timestamp < queues[oldest][heads[oldest]].timestamp {
                oldest = source
            }
        }
        guard oldest >= 0 else { return nil }
        let frame = queues[oldest][heads[oldest]]
        if let watermark, watermark < frame.timestamp { return nil }
        heads[oldest] += 1
        count -= 1
        if heads[oldest] == queues[oldest].count {
            queues[oldest].removeAll(keepingCapacity: true)
            heads[oldest] = 0
        }
        return (frame, oldest)
    }

    /// The oldest held frame's timestamp.
    public var oldestTimestamp: KernelTimestamp? {
        var oldest: KernelTimestamp?
        for source in queues.indices where heads[source] < queues[source].count {
            let timestamp = queues[source][heads[source]].timestamp
            if oldest.map({ timestamp < $0 }) ?? true { oldest = timestamp }
        }
        return oldest
    }

    /// When the oldest held frame can be released: its timestamp plus `holdOff`, on the monotonic clock;
    /// nil when nothing is held.
    public func releaseDeadline(holdOff: Duration) -> ContinuousClock.Instant? {
        guard let oldest = oldestTimestamp else { return nil }
        let wait = oldest.since(.now) + holdOff
        return .now + max(.zero, wait)
    }
}
