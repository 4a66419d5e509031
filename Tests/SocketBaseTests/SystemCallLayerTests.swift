#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import Testing
@testable import SocketBase

/// Counts SIGUSR1 deliveries in the EINTR test (a C handler cannot capture context).
private let interruptions = Atomic<Int>(0)

extension SocketBaseTests {
@Suite("the system-call layer: IOResult, EINTR, FileDescriptor, Selector, the stream event loop")
struct SystemCallLayerTests {
    @Test("a non-blocking receive with nothing queued is IOResult.wouldBlock, not a thrown EAGAIN")
    func wouldBlockIsAResult() throws {
        let (a, b) = try Socket.pair(type: .datagram)
        var buffer = [UInt8](repeating: 0, count: 16)
        let empty = try buffer.withUnsafeMutableBytes { try a.receiveAvailable(into: $0) }
        #expect(empty == .wouldBlock)
        try b.send([1, 2, 3])
        let full = try buffer.withUnsafeMutableBytes { try a.receiveAvailable(into: $0) }
        #expect(full == .processed(3) && buffer.prefix(3) == [1, 2, 3])

        let batch = MessageBatch(capacity: 4, messageSize: 16)
        #expect(try a.receiveAvailable(into: batch) == .wouldBlock && batch.count == 0)
        for byte in UInt8(1)...3 { try b.send([byte]) }
        #expect(try a.receiveAvailable(into: batch) == .processed(3) && batch.count == 3)

        // The Python-style API keeps throwing EAGAIN in non-blocking mode.
        try a.setTimeout(.nonBlocking)
        let error = #expect(throws: SystemCallError.self) { try a.receive(maxBytes: 8) }
        #expect(error?.errno == .wouldBlock)
    }

    @Test("a file descriptor's non-blocking read of an empty FIFO is IOResult.wouldBlock")
    func fileWouldBlock() throws {
        let path = "/tmp/ctk-fifo-\(getpid())"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let reader = try FileDescriptor.open(path, .readOnly, options: .nonBlocking)
        let writer = try FileDescriptor.open(path, .writeOnly, options: .nonBlocking)
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { try reader.read(into: $0) } == .wouldBlock)
        try writer.writeAll([7, 8])
        #expect(try buffer.withUnsafeMutableBytes { try reader.read(into: $0) } == .processed(2))
        try writer.close()
        #expect(try buffer.withUnsafeMutableBytes { try reader.read(into: $0) } == .processed(0), "end of file")
    }

    @Test("a blocking read interrupted by a signal (EINTR) is retried and returns the data")
    func interruptedReadIsRetried() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptions.add(1, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: the kernel returns EINTR to the blocked read
        var previous = sigaction()
        #expect(sigaction(SIGUSR1, &action, &previous) == 0)
        defer { sigaction(SIGUSR1, &previous, nil) }

        let (readEnd, writeEnd) = try FileDescriptor.pipe()
        // A thread of its own with SIGUSR1 unblocked (dispatch and the cooperative pool block signals).
        final class Reader: @unchecked Sendable {
            let file: FileDescriptor
            let result = Locked<Result<IOResult<Int>, any Error>?>(nil)
            init(_ file: FileDescriptor) { self.file = file }
        }
        let reader = Reader(readEnd)
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let reader = Unmanaged<Reader>.fromOpaque(context!).takeRetainedValue()
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            var buffer = [UInt8](repeating: 0, count: 8)
            let outcome = Result { try buffer.withUnsafeMutableBytes { try reader.file.read(into: $0) } }
            reader.result.withLock { $0 = outcome }
            return nil
        }, Unmanaged.passRetained(reader).toOpaque())
        #expect(started == 0)
        let before = interruptions.load(ordering: .relaxed)
        // Interrupt the blocked read a few times, then give it data.
        for _ in 0..<5 {
            usleep(40_000)
            pthread_kill(thread, SIGUSR1)
        }
        try writeEnd.writeAll([42, 43, 44])
        #expect(pthread_join(thread, nil) == 0)
        #expect(interruptions.load(ordering: .relaxed) > before, "the signal really reached the reading thread")
        let outcome = try #require(reader.result.withLock { $0 })
        #expect(try outcome.get() == .processed(3))
    }

    @Test("closeAfter closes the descriptor when the body throws, and rethrows the body's error")
    func closeAfterOnError() throws {
        struct Failure: Error, Equatable {}
        let path = "/tmp/ctk-closeafter-\(getpid())"
        defer { unlink(path) }
        let file = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate])
        let fd = file.rawValue
        #expect(FD.isOpen(fd) && FD.isCloseOnExec(fd))
        #expect(throws: Failure()) { try file.closeAfter { _ in throw Failure() } }
        #expect(!FD.isOpen(fd) && file.rawValue == -1)
        let late = #expect(throws: SystemCallError.self) { try file.writeAll([1]) }
        #expect(late?.errno == .badFileDescriptor)

        let missing = #expect(throws: SystemCallError.self) { try FileDescriptor.open("/nonexistent-dir/x", .readOnly) }
        #expect(missing?.description == "open(/nonexistent-dir/x): No such file or directory (errno 2)")
        #expect(try FileDescriptor.open(path, .readOnly).closeAfter { try $0.readAll() } == [])
    }

    @Test("a selector waits on several sockets: the deadline, the ready ones by token, a wake-up from another thread")
    func selectorOnSeveralSockets() throws {
        let pairs = try (0..<3).map { _ in try Socket.pair(type: .datagram) }
        let selector = try Selector(capacity: 8)
        for (i, pair) in pairs.enumerated() { try selector.register(pair.0, token: i) }

        let start = ContinuousClock.now
        #expect(try selector.wait(until: start + .milliseconds(120)) == .timedOut)
        let waited = ContinuousClock.now - start
        #expect(waited >= .milliseconds(120) && waited < .seconds(2), "waited \(waited)")

        try pairs[2].1.send([2])
        try pairs[0].1.send([0])
        guard case .ready(let count) = try selector.wait(until: .now + .seconds(2)) else {
            Issue.record("nothing ready")
            return
        }
        #expect(count == 2)
        #expect(Set((0..<count).map { selector.token(at: $0) }) == [0, 2])
        // Level-triggered: still ready until received.
        #expect(try selector.wait(until: .now) == .ready(2))
        var byte = [UInt8](repeating: 0, count: 1)
        for i in [0, 2] { _ = try byte.withUnsafeMutableBytes { try pairs[i].0.receiveAvailable(into: $0) } }
        #expect(try selector.wait(until: .now + .milliseconds(20)) == .timedOut)

        // wakeUp from another thread ends a wait without deadline promptly.
        let woke = ContinuousClock.now
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { selector.wakeUp() }
        #expect(try selector.wait(until: nil) == .stopped)
        #expect(ContinuousClock.now - woke < .seconds(2))
    }

    @Test("cancelling a stream's consumer ends it promptly and takes the socket off the event loop")
    func promptCancellation() async throws {
        let (a, _) = try Socket.pair(type: .datagram)
        let baseline = EventLoop.shared.count
        let stream = a.receiveStream(label: "test") { (yield: (UInt8) -> Void) in
            var byte: UInt8 = 0
            return try withUnsafeMutableBytes(of: &byte) { try a.receiveAvailable(into: $0) }.map { _ in yield(byte) }
        }
        #expect(EventLoop.shared.count == baseline + 1)
        let consumer = Task {
            var n = 0
            for try await _ in stream { n += 1 }
            return n
        }
        try await Task.sleep(for: .milliseconds(100))
        let cancelled = ContinuousClock.now
        consumer.cancel()
        #expect(try await consumer.value == 0)
        let ended = ContinuousClock.now - cancelled
        #expect(EventLoop.shared.count == baseline, "the registration left with the consumer")
        // The old design noticed a cancelled consumer only at its next 100 ms poll slice.
        #expect(ended < .milliseconds(50), "cancellation took \(ended)")
        print("stream cancellation took \(ended)")
    }

    @Test("a stream buffers at most its limit for a slow consumer, keeps the oldest, and counts what it drops")
    func boundedStreamCountsDrops() async throws {
        let (a, b) = try Socket.pair(type: .datagram)
        let stream = a.receiveStream(label: "test", bufferLimit: 4) { (yield: (UInt8) -> Void) in
            var byte: UInt8 = 0
            return try withUnsafeMutableBytes(of: &byte) { try a.receiveAvailable(into: $0) }.map { _ in yield(byte) }
        }
        for byte in UInt8(1)...10 { try b.send([byte]) }
        let deadline = ContinuousClock.now + .seconds(5)
        while stream.droppedCount < 6 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(stream.droppedCount == 6)
        var received: [UInt8] = []
        for try await byte in stream {
            received.append(byte)
            if received.count == 4 { break }
        }
        #expect(received == [1, 2, 3, 4])
    }

    @Test("closing a socket ends its streams with EBADF, and the event loop lets it go")
    func closeEndsStreams() async throws {
        let (a, _) = try Socket.pair(type: .datagram)
        let baseline = EventLoop.shared.count
        let stream = a.receiveStream(label: "test") { (yield: (UInt8) -> Void) in
            var byte: UInt8 = 0
            return try withUnsafeMutableBytes(of: &byte) { try a.receiveAvailable(into: $0) }.map { _ in yield(byte) }
        }
        let consumer = Task { () -> Errno? in
            do {
                for try await _ in stream {}
                return nil
            } catch let error as SystemCallError {
                return error.errno
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        try a.close()
        #expect(try await consumer.value == .badFileDescriptor)
        #expect(EventLoop.shared.count == baseline)
    }

    @Test("no descriptor leaks: selectors, files, pipes and streams, also on their error paths")
    func noDescriptorLeaks() async throws {
        _ = EventLoop.shared.count  // its epoll and eventfd are opened once per process, on first use
        let before = FD.openCount()
        for _ in 0..<20 {
            let selector = try Selector()
            let (a, b) = try Socket.pair()
            try selector.register(a, token: 0)
            try b.close()
            #expect(throws: SystemCallError.self) { try selector.register(b, token: 1) }
            #expect(throws: SystemCallError.self) { try selector.register(a, token: 2) } // EEXIST
            #expect(throws: SystemCallError.self) { try FileDescriptor.open("/nonexistent-dir/x", .readOnly) }
            let (r, w) = try FileDescriptor.pipe()
            try w.close()
            #expect(try r.readAll() == [])
            let stream = a.receiveStream(label: "leak") { (_: (UInt8) -> Void) in .wouldBlock }
            var iterator = stream.makeAsyncIterator()
            try a.close()
            _ = try? await iterator.next()
        }
        #expect(!FD.leaked(since: before), "open descriptors: \(FD.openCount()), before \(before)")
    }
}
}
