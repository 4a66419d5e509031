#if canImport(Glibc)
import Glibc
#endif
import CSocketShims
import Synchronization

/// Waiting for descriptors: the package's one readiness primitive.
///
/// A `Selector` waits on one or several descriptors (`epoll(7)`) with a deadline and a stop condition: a stop
/// signal (``StopSignals``, registered with ``stopOnSignals()``) or a ``wakeUp()`` from another thread
/// (cancellation). Tools register their sockets once, then loop on ``wait(until:)`` and receive from the ready
/// ones without blocking, taking ``IOResult/wouldBlock`` in their stride. The async sequences of the protocol
/// sockets are served by one event-loop thread built on it (``Socket/receiveStream(label:bufferLimit:state:receive:)``).
///
/// Readiness is level-triggered: a descriptor with data left after one receive is reported again by the next
/// wait. A registered socket must stay open while registered (closing it removes it from the set).
///
/// ```swift
/// let selector = try Selector()
/// try selector.register(socket, token: 0)
/// try selector.stopOnSignals()
/// while case .ready(let count) = try selector.wait(until: nil) {
///     for i in 0..<count { handle(selector.token(at: i)) }
/// }
/// ```
///
/// One thread waits; ``wakeUp()`` may be called from any thread.
public final class Selector: @unchecked Sendable {
    /// What ``wait(until:)`` found.
    public enum Outcome: Equatable, Sendable {
        /// This many registered descriptors are ready; read their tokens with ``token(at:)``.
        case ready(Int)
        /// The deadline passed with nothing ready.
        case timedOut
        /// A stop signal arrived (see ``StopSignals``) or ``wakeUp()`` was called.
        case stopped
    }

    private static let wakeToken = UInt64.max
    private static let signalToken = UInt64.max - 1

    private let epoll: CInt
    private let wake: CInt
    private let events: UnsafeMutableBufferPointer<epoll_event>
    private var readyCount = 0

    /// Creates an empty set: `epoll_create1(EPOLL_CLOEXEC)` and an `eventfd` for ``wakeUp()``.
    /// - Parameter capacity: The most ready descriptors one wait reports (the rest come with the next).
    /// - Throws: ``SystemCallError`` for `epoll_create1` or `eventfd`; nothing stays open after a failure.
    public init(capacity: Int = 64) throws {
        let epoll = try Sys.epollCreate().get("epoll_create1")
        let wake: CInt
        do {
            wake = try Sys.eventDescriptor().get("eventfd")
            try Sys.epollControl(epoll, EPOLL_CTL_ADD, wake, events: EPOLLIN.rawValue, data: Self.wakeToken)
                .get("epoll_ctl(EPOLL_CTL_ADD)", target: "eventfd")
        } catch {
            _ = Sys.close(epoll)
            throw error
        }
        self.epoll = epoll
        self.wake = wake
        events = .allocate(capacity: max(1, capacity))
    }

    deinit {
        _ = Sys.close(wake)
        _ = Sys.close(epoll)
        events.deallocate()
    }

    /// Adds a socket, reported ready for reading (or an error, or end of stream) with `token`.
    /// - Parameter token: What ``token(at:)`` gives for it; 0 or more.
    public func register(_ socket: Socket, token: Int) throws {
        try register(descriptor: socket.openDescriptor("epoll_ctl(EPOLL_CTL_ADD)"), token: token, name: socket.label)
    }

    /// Adds a file descriptor (a pipe, a terminal), reported ready for reading with `token`.
    public func register(_ descriptor: FileDescriptor, token: Int) throws {
        try register(descriptor: descriptor.rawValue, token: token, name: descriptor.name)
    }

    /// Removes a socket: `epoll_ctl(EPOLL_CTL_DEL)`.
    public func deregister(_ socket: Socket) throws {
        let fd = try socket.openDescriptor("epoll_ctl(EPOLL_CTL_DEL)")
        try deregister(descriptor: fd, name: socket.label)
    }

    func register(descriptor fd: CInt, token: Int, name: String?) throws {
        precondition(token >= 0, "Selector tokens are 0 or more")
        try Sys.epollControl(epoll, EPOLL_CTL_ADD, fd, events: EPOLLIN.rawValue, data: UInt64(token))
            .get("epoll_ctl(EPOLL_CTL_ADD)", target: name ?? "fd \(fd)")
    }

    func deregister(descriptor fd: CInt, name: String?) throws {
        try Sys.epollControl(epoll, EPOLL_CTL_DEL, fd, events: 0, data: 0)
            .get("epoll_ctl(EPOLL_CTL_DEL)", target: name ?? "fd \(fd)")
    }

    /// Makes a stop signal end every wait of this selector from now on (see ``StopSignals/install(_:)``).
    public func stopOnSignals() throws {
        let fd = try StopSignals.descriptor()
        try Sys.epollControl(epoll, EPOLL_CTL_ADD, fd, events: EPOLLIN.rawValue, data: Self.signalToken)
            .get("epoll_ctl(EPOLL_CTL_ADD)", target: "signals")
    }

    /// Ends the current (or the next) wait with ``Outcome/stopped``; callable from any thread.
    public func wakeUp() {
        Sys.signalEvent(wake)
    }

    /// Waits until a registered descriptor is ready, the deadline passes, or a stop condition holds.
    ///
    /// A signal that interrupts the wait (EINTR) is not an outcome: the wait goes on with the time left, and
    /// ends as ``Outcome/stopped`` if the signal is a stop signal.
    /// - Parameter deadline: When to give up; `nil` waits without limit.
    /// - Throws: ``SystemCallError`` from `epoll_wait`.
    public func wait(until deadline: ContinuousClock.Instant?) throws -> Outcome {
        readyCount = 0
        while true {
            let timeout = Readiness.milliseconds(until: deadline)
            let n: CInt
            switch Sys.epollWait(epoll, events.baseAddress!, CInt(events.count), timeoutMilliseconds: timeout) {
            case .success(let count): n = count
            case .failure(.interrupted): continue
            case .failure(let errno): throw SystemCallError("epoll_wait", errno: errno)
            }
            if n == 0 {
                if let deadline, ContinuousClock.now < deadline { continue }
                return .timedOut
            }
            var stopped = false
            for i in 0..<Int(n) {
                switch events[i].data.u64 {
                case Self.wakeToken:
                    _ = Sys.drainEvent(wake)
                    stopped = true
                case Self.signalToken:
                    stopped = true  // not drained: a stop signal stops every later wait too
                default:
                    events[readyCount] = events[i]
                    readyCount += 1
                }
            }
            if stopped { readyCount = 0; return .stopped }
            return .ready(readyCount)
        }
    }

    /// The token of the `index`th ready descriptor of the last wait.
    @inline(__always)
    public func token(at index: Int) -> Int {
        precondition(index < readyCount)
        return Int(truncatingIfNeeded: events[index].data.u64)
    }
}

/// The single-descriptor case of waiting: a socket's timeout mode (`poll(2)`, no descriptor of its own).
enum Readiness {
    /// Polls `fd` for `events` until `deadline` (`nil`: no limit); true when ready, false when the time ran out.
    /// EINTR is retried with the time that is left.
    static func wait(_ fd: CInt, events: Int16, until deadline: ContinuousClock.Instant?, label: String?) throws -> Bool {
        while true {
            let timeout = milliseconds(until: deadline)
            switch Sys.poll(fd, events: events, timeoutMilliseconds: timeout) {
            case .success(let ready) where ready > 0: return true
            case .success: if let deadline, ContinuousClock.now >= deadline { return false }
            case .failure(.interrupted): continue
            case .failure(let errno): throw SystemCallError("poll", target: label, errno: errno)
            }
        }
    }

    /// The timeout argument of `poll`/`epoll_wait` for a deadline: -1 for none, rounded up so a wait never ends
    /// before the deadline.
    static func milliseconds(until deadline: ContinuousClock.Instant?) -> CInt {
        guard let deadline else { return -1 }
        let remaining = deadline - .now
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        return CInt(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}

/// SIGINT, SIGTERM and SIGHUP (or the signals given) as a stop request: the handler records the signal and
/// writes to an eventfd that every ``Selector`` with ``Selector/stopOnSignals()`` waits on, so a wait ends at once
/// and the program can write out everything it received before it exits.
///
/// The handler is installed without `SA_RESTART`; it only stores the signal number and writes 8 bytes to the
/// eventfd (both async-signal-safe).
public enum StopSignals {
    private static let eventDescriptor = Atomic<CInt>(-1)
    private static let lastSignal = Atomic<CInt>(0)

    /// Installs the handler for `signals`, after unblocking them (the mask is inherited across exec).
    /// - Throws: ``SystemCallError`` for `eventfd` or `sigaction`.
    public static func install(_ signals: [CInt] = [SIGINT, SIGTERM, SIGHUP]) throws {
        _ = try descriptor()
        _ = lastSignal.load(ordering: .relaxed)
        try Sys.installSignalHandler(signals) { signal in
            StopSignals.lastSignal.store(signal, ordering: .relaxed)
            let fd = StopSignals.eventDescriptor.load(ordering: .relaxed)
            if fd >= 0 { Sys.signalEvent(fd) }
        }.get("sigaction")
    }

    /// Ignores `SIGPIPE`, so a write to a pipe whose reader is gone fails with ``Errno/brokenPipe`` instead of
    /// killing the process: a tool can then end as a stop signal ends it, with its files written out
    /// (`candump-swift vcan0 -l | head -1`).
    /// - Throws: ``SystemCallError`` for `sigaction`.
    public static func ignoreBrokenPipe() throws {
        try Sys.ignoreSignal(SIGPIPE).get("sigaction(SIGPIPE)")
    }

    /// The last stop signal received, or 0.
    public static var received: CInt { lastSignal.load(ordering: .relaxed) }

    /// Whether a stop signal arrived.
    public static var isStopRequested: Bool { received != 0 }

    /// The eventfd the handler writes, created once.
    static func descriptor() throws -> CInt {
        let current = eventDescriptor.load(ordering: .acquiring)
        if current >= 0 { return current }
        let fd = try Sys.eventDescriptor().get("eventfd")
        let (exchanged, original) = eventDescriptor.compareExchange(expected: -1, desired: fd, ordering: .acquiringAndReleasing)
        if exchanged { return fd }
        _ = Sys.close(fd)
        return original
    }
}
