#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

// The async sequences the protocol sockets offer (CAN frames, BCM events, ISO-TP PDUs), done once.
extension Socket {
    /// An async sequence of what `receive` takes from this socket, fed by a dedicated dispatch thread (never a
    /// thread of Swift's cooperative pool, which must not block).
    ///
    /// The thread waits for the socket to be readable in 100 ms slices (so it notices a cancelled consumer), then
    /// calls `receive` with `MSG_DONTWAIT` for the call to pass on; `receive` yields zero or more elements.
    /// `EAGAIN` is skipped. The sequence ends when the consumer stops iterating, when the interface goes down or
    /// away (`ENETDOWN`, `ENODEV`), and with the first other error, which it throws.
    /// - Parameters:
    ///   - label: Names the dispatch queue, e.g. `CANRawSocket.frames(vcan0)`.
    ///   - makeState: Creates, on that thread, what `receive` reuses from call to call (e.g. a batch of buffers).
    ///   - receive: Receives with the given flags into the state and yields what arrived.
    public func receiveStream<Element: Sendable, State>(
        label: String, state makeState: @escaping @Sendable () -> State,
        receive: @escaping @Sendable (inout State, MessageFlags, (Element) -> Void) throws -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        let flag = StopRequest()
        continuation.onTermination = { _ in flag.stop() }
        DispatchQueue(label: label).async { [self] in
            var state = makeState()
            while !flag.isStopped {
                do {
                    guard try waitForReadable(timeout: .milliseconds(100)) else { continue }
                    try receive(&state, .dontWait) { continuation.yield($0) }
                } catch let error as SystemCallError where error.errno == .wouldBlock {
                    continue
                } catch let error as SystemCallError where error.errno == .networkDown || error.errno == .noSuchDevice {
                    break
                } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            continuation.finish()
        }
        return stream
    }

    /// ``receiveStream(label:state:receive:)`` for a receive that needs no reused state.
    public func receiveStream<Element: Sendable>(
        label: String, receive: @escaping @Sendable (MessageFlags, (Element) -> Void) throws -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        receiveStream(label: label, state: { () }) { _, flags, yield in try receive(flags, yield) }
    }
}

/// A flag the stream's consumer sets (on termination) and its receiving thread polls.
final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    func stop() { flag.store(true, ordering: .releasing) }
    var isStopped: Bool { flag.load(ordering: .acquiring) }
}
