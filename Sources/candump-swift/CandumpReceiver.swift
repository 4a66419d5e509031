import CANSocket
import Dispatch
import SocketBase
import Synchronization
import ToolSupport

/// candump-swift's receive side: a thread of its own that keeps every socket's kernel queue drained into a
/// bounded queue in memory, so a slow terminal, pipe or disk, or the formatting itself, never makes the kernel
/// drop a frame.
///
/// Each round it waits for the sockets (`epoll`), takes the time (the merge's watermark), receives everything
/// queued (`recvmmsg`, a batch at a time), and publishes the frames in blocks with that watermark. The
/// formatting side (``CandumpSession``) takes whole blocks. Past ``limit`` frames in memory, frames are counted
/// (``notKept``) instead of kept, and reported.
final class CandumpReceiver: @unchecked Sendable {
    /// A run of received frames, each with the index of its socket.
    struct Block {
        var frames: [CANReceivedAnyFrame] = []
        var sources: [Int] = []
        var count: Int { frames.count }
    }

    /// Frames per block: one allocation per block while the queue grows, none once blocks are reused.
    static let blockSize = 1024

    let sockets: [CANRawSocket]
    private let batches: [CANAnyFrameBatch]
    private let selector: Selector
    private let pause: Selector
    /// The most frames held in memory (queued and not yet taken by the formatting side).
    let limit: Int
    /// Whether frames are held for the merge (several sockets, system timestamps): rounds publish watermarks.
    private let merging: Bool
    private let idleTimeout: Duration?
    private let exitWhenDown: Bool

    private struct State {
        var full: [Block] = []
        var next = 0
        var spare: [Block] = []
        var queued = 0
        var watermark: KernelTimestamp?
        /// A round published a watermark the formatting side has not seen.
        var newWatermark = false
        var finished = false
        var consumerWaiting = false
        var failure: SessionEnd?
    }
    private let state = Locked(State())
    private let published = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    /// Frames received but not kept: the queue was at its limit.
    private let notKeptCount = Atomic<UInt64>(0)
    private let stopRequested = Atomic<Bool>(false)

    /// The block being filled (receive thread only).
    private var current = Block()
    /// Frames in `current` plus those queued, as the receive thread last saw it.
    private var held = 0

    init(sockets: [CANRawSocket], batches: [CANAnyFrameBatch], limit: Int, merging: Bool, idleTimeout: Duration?,
         exitWhenDown: Bool) throws {
        self.sockets = sockets
        self.batches = batches
        self.limit = limit
        self.merging = merging
        self.idleTimeout = idleTimeout
        self.exitWhenDown = exitWhenDown
        selector = try Selector(capacity: sockets.count)
        for (i, socket) in sockets.enumerated() { try selector.register(socket.socket, token: i) }
        try selector.stopOnSignals()
        pause = try Selector(capacity: 1)
        try pause.stopOnSignals()
        current = Self.emptyBlock()
    }

    var notKept: UInt64 { notKeptCount.load(ordering: .relaxed) }

    /// Starts the receive thread.
    func start() {
        DispatchQueue(label: "candump-swift.receive").async { [self] in
            run()
            stopped.signal()
        }
    }

    /// Ends the receive thread (after `-n` frames, or an output error) and waits for it.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        selector.wakeUp()
        pause.wakeUp()
        stopped.wait()
    }

    // MARK: The formatting side

    /// What ``take(until:)`` found.
    enum Taken {
        /// Frames, in the order received per socket. With the merge, `watermark` is set when this block was the
        /// last one queued: every frame stamped at or before it has now been taken.
        case frames(Block, watermark: KernelTimestamp?)
        /// No frames: the deadline passed, or a round without frames published a newer watermark (held frames
        /// may be released). Everything queued has been taken.
        case idle(watermark: KernelTimestamp?)
        /// The receive thread has ended (a signal, `-T`, an error) and everything it received has been taken.
        case finished(SessionEnd?)
    }

    /// Takes the oldest block, waiting for one until `deadline` (nil: no limit).
    func take(until deadline: ContinuousClock.Instant?) -> Taken {
        if let taken = takeQueued(wait: true) { return taken }
        guard let deadline else {
            published.wait()
            return take(until: nil)
        }
        let wait = deadline - .now
        if wait > .zero, published.wait(timeout: .now() + .nanoseconds(Int(wait / .nanoseconds(1)))) == .success {
            return take(until: deadline)
        }
        // Timed out. If the receive side signalled meanwhile, take that signal so the count stays even.
        let signalled = state.withLock { state -> Bool in
            defer { state.consumerWaiting = false }
            return !state.consumerWaiting
        }
        if signalled { published.wait() }
        return takeQueued(wait: false) ?? .idle(watermark: state.withLock { $0.watermark })
    }

    /// A queued block, or the end; otherwise nil, and with `wait` marks the formatting side as waiting.
    private func takeQueued(wait: Bool) -> Taken? {
        state.withLock { state -> Taken? in
            if state.next < state.full.count {
                let block = state.full[state.next]
                state.full[state.next] = Block()
                state.next += 1
                let last = state.next == state.full.count
                if last { state.full.removeAll(keepingCapacity: true); state.next = 0 }
                state.queued -= block.count
                if last { state.newWatermark = false }
                return .frames(block, watermark: last ? state.watermark : nil)
            }
            if state.finished { return .finished(state.failure) }
            if state.newWatermark {
                state.newWatermark = false
                return .idle(watermark: state.watermark)
            }
            if wait { state.consumerWaiting = true }
            return nil
        }
    }

    /// Hands a block back for reuse. The receive thread empties it when it takes it again, when nothing else
    /// holds it, so its storage is kept rather than copied.
    func recycle(_ block: Block) {
        state.withLock { $0.spare.append(block) }
    }

    // MARK: The receive thread

    private static func emptyBlock() -> Block {
        var block = Block()
        block.frames.reserveCapacity(blockSize)
        block.sources.reserveCapacity(blockSize)
        return block
    }

    private func run() {
        var failure: SessionEnd?
        do {
            try loop()
        } catch let end as SessionEnd {
            failure = end
        } catch {
            printError("candump-swift: \(error)")
            failure = SessionEnd(status: 1)
        }
        publish(watermark: nil, finished: true, failure: failure)
    }

    private func loop() throws {
        // -T is the time since the last frame, as candump's select timeout is. While the merge may hold frames,
        // a round every hold-off publishes a newer watermark even without traffic.
        var lastActivity = ContinuousClock.now
        while !stopRequested.load(ordering: .relaxed) {
            let idleDeadline = idleTimeout.map { lastActivity + $0 }
            let tick = merging && ContinuousClock.now - lastActivity < .seconds(1) ? ContinuousClock.now + CandumpSession.mergeHoldOff : nil
            let outcome = try selector.wait(until: Self.earlier(idleDeadline, tick))
            let watermark = merging ? CANFrameMerge.watermark(holdOff: CandumpSession.mergeHoldOff) : nil
            var received = 0
            switch outcome {
            case .ready(let count):
                lastActivity = .now
                for r in 0..<count { received += try drain(socket: selector.token(at: r)) }
            case .timedOut:
                if let idleDeadline, ContinuousClock.now >= idleDeadline { return }
            case .stopped:
                guard !stopRequested.load(ordering: .relaxed) else { return }
                // A stop signal: what the kernel still holds was received before it; keep that too.
                for i in sockets.indices { _ = try drain(socket: i) }
                return
            }
            publish(watermark: watermark)
            // A busy bus is read in batches rather than a frame per wake-up: the receive buffer holds what
            // arrives meanwhile.
            if received > 0, case .stopped = try pause.wait(until: .now + CandumpSession.coalescing) {
                guard !stopRequested.load(ordering: .relaxed) else { return }
                for i in sockets.indices { _ = try drain(socket: i) }
                return
            }
        }
    }

    /// The earlier of two optional deadlines (without building an array each round).
    private static func earlier(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    /// Takes everything queued on socket `i`, a batch at a time, into the current block.
    /// - Returns: The number of frames received.
    private func drain(socket i: Int) throws -> Int {
        let batch = batches[i]
        var total = 0
        while true {
            let n = try receive(socket: i)
            total += n
            for k in 0..<n {
                guard held < limit else {
                    notKeptCount.add(UInt64(n - k), ordering: .relaxed)
                    break
                }
                if current.count == Self.blockSize { publish(watermark: nil, keepWatermark: true) }
                current.frames.append(batch[k])
                current.sources.append(i)
                held += 1
            }
            if n < batch.capacity { return total }
        }
    }

    /// Takes one batch of what is queued on socket `i`.
    /// - Returns: The number of frames now in its batch.
    private func receive(socket i: Int) throws -> Int {
        let socket = sockets[i]
        do {
            return try socket.receiveAvailable(into: batches[i]).value ?? 0
        } catch let error as SystemCallError where error.errno == .networkDown && !exitWhenDown {
            printError("\(socket.address.interfaceName): interface down")
            return 0
        } catch let error as SystemCallError {
            printError("read: \(error.errno)")
            throw SessionEnd(status: 1)
        }
    }

    /// Queues the current block (if it has frames) and sets the watermark; wakes the formatting side if it waits.
    private func publish(watermark: KernelTimestamp?, keepWatermark: Bool = false, finished: Bool = false,
                         failure: SessionEnd? = nil) {
        var block = current
        let hasFrames = block.count > 0
        let (wake, queued) = state.withLock { state -> (Bool, Int) in
            if hasFrames {
                state.full.append(block)
                state.queued += block.count
                block = state.spare.popLast() ?? Block()
            }
            if !keepWatermark {
                state.newWatermark = state.newWatermark || watermark != state.watermark
                state.watermark = watermark
            }
            if finished {
                state.finished = true
                state.failure = failure
            }
            let wake = state.consumerWaiting && (hasFrames || !keepWatermark || finished)
            if wake { state.consumerWaiting = false }
            return (wake, state.queued)
        }
        if hasFrames {
            if block.frames.capacity == 0 {
                block = Self.emptyBlock()
            } else {
                block.frames.removeAll(keepingCapacity: true)
                block.sources.removeAll(keepingCapacity: true)
            }
            current = block
        }
        held = queued
        if wake { published.signal() }
    }
}
