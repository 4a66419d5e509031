#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

// The async sequences the protocol sockets offer (CAN frames, BCM events, ISO-TP PDUs), done once.
extension Socket {
    /// An async sequence of what `receive` takes from this socket, served by the process's one event-loop thread.
    ///
    /// Every stream of every socket is registered with one ``Selector`` waited on by one dedicated thread (never
    /// a thread of Swift's cooperative pool, which must not block): sixteen interfaces watched at once hold one
    /// thread, not sixteen. When the socket is readable the thread calls `receive`, which takes what is queued
    /// without blocking and yields zero or more elements, or returns ``IOResult/wouldBlock``.
    ///
    /// The sequence ends when the consumer stops iterating or its task is cancelled (the socket leaves the event
    /// loop at once), when the socket is closed, when the interface goes down or away (`ENETDOWN`, `ENODEV`),
    /// and with the first other error, which it throws.
    ///
    /// Buffering is bounded: at most `bufferLimit` elements wait for a slow consumer. When the buffer is full,
    /// newly received elements are dropped (the oldest are kept, so what is delivered stays in order, as the
    /// kernel drops at a full receive queue) and counted in ``ReceiveStream/droppedCount``.
    /// - Parameters:
    ///   - label: Names the stream in errors, e.g. `CANRawSocket.frames(vcan0)`.
    ///   - bufferLimit: The most elements held for the consumer; at least 1.
    ///   - makeState: Creates what `receive` reuses from call to call (e.g. a batch of buffers).
    ///   - receive: Receives without blocking into the state and yields what arrived.
    public func receiveStream<Element: Sendable, State>(
        label: String, bufferLimit: Int = ReceiveStream<Element>.defaultBufferLimit,
        state makeState: @escaping @Sendable () -> State,
        receive: @escaping @Sendable (inout State, (Element) -> Void) throws -> IOResult<Void>
    ) -> ReceiveStream<Element> {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(max(1, bufferLimit)))
        let counter = ReceiveStream<Element>.DropCounter()
        let registration = TypedStreamRegistration(socket: self, state: makeState()) { state in
            try receive(&state) { element in
                if case .dropped = continuation.yield(element) { counter.add() }
            }
        } finish: { error in
            continuation.finish(throwing: error)
        }
        continuation.onTermination = { _ in EventLoop.shared.remove(registration) }
        EventLoop.shared.add(registration)
        return ReceiveStream(stream: stream, drops: counter)
    }

    /// ``receiveStream(label:bufferLimit:state:receive:)`` for a receive that needs no reused state.
    public func receiveStream<Element: Sendable>(
        label: String, bufferLimit: Int = ReceiveStream<Element>.defaultBufferLimit,
        receive: @escaping @Sendable ((Element) -> Void) throws -> IOResult<Void>
    ) -> ReceiveStream<Element> {
        receiveStream(label: label, bufferLimit: bufferLimit, state: { () }) { _, yield in try receive(yield) }
    }
}

/// What a socket's async sequence delivers (``Socket/receiveStream(label:bufferLimit:state:receive:)``), with
/// the count of elements dropped because the consumer fell more than the buffer limit behind.
public struct ReceiveStream<Element: Sendable>: AsyncSequence, Sendable {
    /// The buffer limit streams get unless told otherwise: 4096 elements.
    public static var defaultBufferLimit: Int { 4096 }

    final class DropCounter: Sendable {
        private let count = Atomic<Int>(0)
        func add() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    let stream: AsyncThrowingStream<Element, any Error>
    let drops: DropCounter

    /// Elements received but dropped because the buffer was full, so far.
    public var droppedCount: Int { drops.value }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Element, any Error>.AsyncIterator
        public mutating func next() async throws -> Element? { try await base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }
}

/// One stream's socket and callbacks, touched by the event-loop thread only (after registration).
class StreamRegistration: @unchecked Sendable {
    let socket: Socket
    private let finishStream: (Error?) -> Void
    var token = 0
    var descriptor: CInt = -1

    init(socket: Socket, finish: @escaping (Error?) -> Void) {
        self.socket = socket
        self.finishStream = finish
    }

    /// Receives what is queued without blocking.
    func receiveAvailable() throws -> IOResult<Void> { .wouldBlock }

    /// Receives once; false when the stream is over (it was finished, normally or with an error).
    final func service() -> Bool {
        do {
            _ = try receiveAvailable()
            return true
        } catch let error as SystemCallError where error.errno == .networkDown || error.errno == .noSuchDevice {
            finishStream(nil)
        } catch {
            finishStream(error)
        }
        return false
    }

    final func finish(_ error: Error?) { finishStream(error) }
}

/// A registration with the state its receive reuses.
final class TypedStreamRegistration<State>: StreamRegistration, @unchecked Sendable {
    private var state: State
    private let receive: (inout State) throws -> IOResult<Void>

    init(socket: Socket, state: State, receive: @escaping (inout State) throws -> IOResult<Void>,
         finish: @escaping (Error?) -> Void) {
        self.state = state
        self.receive = receive
        super.init(socket: socket, finish: finish)
    }

    override func receiveAvailable() throws -> IOResult<Void> { try receive(&state) }
}

/// The one thread that serves every socket stream: a ``Selector`` over all their descriptors.
final class EventLoop: @unchecked Sendable {
    static let shared = EventLoop()

    private let selector: Selector
    private let registrations = Locked<[Int: StreamRegistration]>([:])
    private let nextToken = Atomic<Int>(0)
    private let started = Atomic<Bool>(false)

    private init() {
        do {
            selector = try Selector(capacity: 64)
        } catch {
            fatalError("SocketBase event loop: \(error)")
        }
    }

    /// How many streams are registered (for tests: a cancelled stream leaves at once).
    var count: Int { registrations.withLock { $0.count } }

    func add(_ registration: StreamRegistration) {
        startIfNeeded()
        let token = nextToken.add(1, ordering: .relaxed).newValue
        registration.token = token
        guard let fd = try? registration.socket.openDescriptor("epoll_ctl(EPOLL_CTL_ADD)") else {
            registration.finish(SystemCallError("epoll_ctl(EPOLL_CTL_ADD)", target: registration.socket.label, errno: .badFileDescriptor))
            return
        }
        registration.descriptor = fd
        registrations.withLock { $0[token] = registration }
        registration.socket.streamRegistered()
        do {
            try selector.register(descriptor: fd, token: token, name: registration.socket.label)
        } catch {
            registrations.withLock { $0[token] = nil }
            registration.finish(error)
        }
    }

    /// Removes a stream (its consumer is gone); safe from any thread, and again after the loop removed it.
    func remove(_ registration: StreamRegistration) {
        guard registrations.withLock({ $0.removeValue(forKey: registration.token) }) != nil else { return }
        try? selector.deregister(descriptor: registration.descriptor, name: nil)
    }

    /// Ends the streams of a descriptor about to be closed: they finish with EBADF, as a receive would.
    func descriptorClosing(_ fd: CInt, label: String?) {
        let gone = registrations.withLock { all in
            let matching = all.values.filter { $0.descriptor == fd }
            for registration in matching { all[registration.token] = nil }
            return matching
        }
        for registration in gone {
            try? selector.deregister(descriptor: fd, name: nil)
            registration.finish(SystemCallError("recv", target: label, errno: .badFileDescriptor))
        }
    }

    private func startIfNeeded() {
        guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        DispatchQueue(label: "SocketBase.EventLoop").async { [self] in run() }
    }

    private func run() {
        while true {
            guard case .ready(let n) = (try? selector.wait(until: nil)) ?? .stopped else { continue }
            for i in 0..<n {
                let token = selector.token(at: i)
                guard let registration = registrations.withLock({ $0[token] }) else { continue }
                if !registration.service() { remove(registration) }
            }
        }
    }
}
