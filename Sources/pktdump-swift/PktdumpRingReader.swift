import Dispatch
import PacketSocket
import PcapFile
import SocketBase
import Synchronization
import ToolSupport

/// One ring of a `--threads` capture, drained by a thread of its own.
///
/// Into one file (or the terminal): each round the thread takes the time, copies everything the ring holds into
/// ``PacketChunk``s and publishes them with a watermark: no packet stamped at or before it can still turn up in
/// this ring (the kernel hands a block over at most ``holdOff`` after its first packet). The writing side
/// (``PktdumpRingMerge``) merges the rings' chunks by timestamp. With `--file-per-thread` the thread writes its
/// own pcap file instead, and nothing is merged.
///
/// Memory is bounded: past ``chunkLimit`` chunks waiting to be written the thread stops draining the ring, so
/// the kernel drops (and counts) what does not fit, as it does for a single ring.
final class PktdumpRingReader: @unchecked Sendable {
    /// The longest a packet can wait in a ring block before the kernel hands the block over: two block
    /// timeouts (`tp_retire_blk_tov`) plus scheduling slack.
    let holdOff: Int64
    /// Chunks (of ``PacketChunk/capacity`` bytes) a ring may have waiting: 48 MiB.
    static let chunkLimit = 24

    let index: Int
    let ring: PacketRing
    private let selector: Selector
    /// The interface going down or away; used on the reader thread only.
    private var watch: CaptureInterfaceWatch
    /// Signalled on every publish: the writing side waits on it.
    private let published: DispatchSemaphore
    private let finishedSignal = DispatchSemaphore(value: 0)
    private let recycled = DispatchSemaphore(value: 0)
    private let stopRequested = Atomic<Bool>(false)

    private struct State {
        var full: [PacketChunk] = []
        var spare: [PacketChunk] = []
        var chunks = 0
        /// Nanoseconds since the epoch: nothing stamped at or before it is still to come.
        var watermark = Int64.min
        var finished = false
        var failure: Error?
    }
    private let state = Locked(State())
    /// The chunk being filled (reader thread only).
    private var current: PacketChunk?

    /// What each packet becomes (`-Q out`, the tag put back, SLL2 on `any`).
    private let records: CaptureRecordBuilder
    /// With `--file-per-thread`: this ring's file, what it wrote, and the count shared by every ring (`-c`).
    private let writer: CaptureFileWriter?
    private let budget: PacketBudget?
    private let scratch: UnsafeMutableRawBufferPointer
    private(set) var written = 0

    init(index: Int, ring: PacketRing, records: CaptureRecordBuilder, published: DispatchSemaphore,
         writer: CaptureFileWriter?, budget: PacketBudget?) throws {
        self.index = index
        self.ring = ring
        self.records = records
        self.published = published
        self.writer = writer
        self.budget = budget
        holdOff = Int64(ring.configuration.retireTimeoutMilliseconds) * 2_000_000 + 20_000_000
        watch = CaptureInterfaceWatch(ring.socket)
        selector = try Selector(capacity: 1)
        try selector.register(ring.socket.socket, token: 0)
        try selector.stopOnSignals()
        scratch = .allocate(byteCount: ring.socket.snapLength + CaptureRecordBuilder.extraRoom, alignment: 16)
    }

    deinit { scratch.deallocate() }

    func start() {
        DispatchQueue(label: "pktdump-swift.ring.\(index)").async { [self] in
            run()
            finishedSignal.signal()
        }
    }

    /// Ends the thread (the count was reached, or the writing side failed) and waits for it.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        selector.wakeUp()
        recycled.signal()
    }

    func waitUntilFinished() { finishedSignal.wait() }

    // MARK: The writing side

    /// Moves the published chunks to `queue` (oldest first); returns the watermark, and whether the thread ended.
    func take(into queue: inout [PacketChunk]) -> (watermark: Int64, finished: Bool, failure: Error?) {
        state.withLock { state in
            queue.append(contentsOf: state.full)
            state.full.removeAll(keepingCapacity: true)
            return (state.watermark, state.finished, state.failure)
        }
    }

    /// Hands a written chunk back for reuse.
    func recycle(_ chunk: PacketChunk) {
        state.withLock { $0.spare.append(chunk) }
        recycled.signal()
    }

    // MARK: The reader thread

    private func run() {
        var failure: Error?
        do {
            try loop()
        } catch {
            failure = error
        }
        publish(watermark: .max, finished: true, failure: failure)
    }

    private func loop() throws {
        while !stopRequested.load(ordering: .relaxed) {
            let now = KernelTimestamp.now
            let watermark = now.seconds * 1_000_000_000 + Int64(now.nanoseconds) - holdOff
            let complete = try drain()
            publish(watermark: complete ? watermark : nil)
            if !complete {
                // Every chunk is waiting to be written: leave the rest to the ring until one comes back.
                _ = recycled.wait(timeout: .now() + .milliseconds(5))
                continue
            }
            if case .stopped = try selector.wait(until: .now + .milliseconds(20)) {
                guard !stopRequested.load(ordering: .relaxed) else { return }
                // A stop signal: what the ring still holds was captured before it; keep that too.
                _ = try drain()
                return
            }
            do {
                try watch.check()
            } catch {
                _ = try drain()
                throw error
            }
        }
    }

    /// Takes what the ring holds.
    /// - Returns: false when it stopped for lack of a chunk (or at the count), with packets perhaps left.
    private func drain() throws -> Bool {
        if let writer {
            while let (timestamp, record) = nextRecord() {
                if let budget, !budget.take() {
                    stopRequested.store(true, ordering: .relaxed)
                    return true
                }
                try writer.write(timestamp: timestamp, bytes: record.bytes, originalLength: record.originalLength, flags: record.flags)
                written += 1
            }
            return true
        }
        // A packet is taken from the ring only when the chunk has room for the largest one, so none is lost here.
        let largest = PacketChunk.headerSize + ring.socket.snapLength + CaptureRecordBuilder.extraRoom + 8
        // The chunk in a local: no reference count or exclusivity check per packet.
        guard var chunk = current ?? nextChunk() else { return false }
        current = chunk
        while true {
            if PacketChunk.capacity - chunk.used < largest {
                publish(watermark: nil)
                guard let next = nextChunk() else { return false }
                chunk = next
                current = next
            }
            guard let (timestamp, record) = nextRecord() else { return true }
            _ = chunk.append(timestamp: timestamp, record)
        }
    }

    /// The next packet the ring holds that is kept, as its record (valid until the ring's next call) and
    /// timestamp. On `any` the ring's packets, whose addresses make the SLL2 header; otherwise its frames.
    @inline(__always)
    private func nextRecord() -> (KernelTimestamp, CaptureRecordBuilder.Record)? {
        if records.cooked {
            while let packet = ring.nextAvailablePacket() {
                if let record = records.record(packet, in: scratch) { return (packet.timestamp, record) }
            }
            return nil
        }
        while let frame = ring.nextAvailableFrame() {
            if let record = records.record(frame, in: scratch) { return (frame.timestamp, record) }
        }
        return nil
    }

    /// A free chunk, or nil when ``chunkLimit`` are all waiting.
    private func nextChunk() -> PacketChunk? {
        let reused = state.withLock { state -> PacketChunk?? in
            if let chunk = state.spare.popLast() { return .some(chunk) }
            if state.chunks < Self.chunkLimit { state.chunks += 1; return .some(nil) }
            return .none
        }
        switch reused {
        case .some(.some(let chunk)): chunk.reset(); return chunk
        case .some(.none): return PacketChunk()
        case .none: return nil
        }
    }

    /// Queues the current chunk if it holds packets, sets the watermark (nil: keep it), wakes the writing side.
    private func publish(watermark: Int64?, finished: Bool = false, failure: Error? = nil) {
        let chunk = current.flatMap { $0.count > 0 ? $0 : nil }
        if chunk != nil { current = nil }
        state.withLock { state in
            if let chunk { state.full.append(chunk) }
            if let watermark { state.watermark = watermark }
            if finished {
                state.finished = true
                state.failure = failure
            }
        }
        published.signal()
    }
}

/// The `-c` count shared by every ring of a `--file-per-thread` capture.
final class PacketBudget: Sendable {
    private let left: Atomic<Int>

    init(_ count: Int) { left = Atomic(count) }

    /// Takes one packet from the budget; false when it is spent.
    @inline(__always)
    func take() -> Bool {
        left.subtract(1, ordering: .relaxed).newValue >= 0
    }
}
