import Dispatch
import Testing
@testable import SocketBase

@Suite struct LockedTests {
    struct Refused: Error, Equatable {}

    /// Four threads each add 50,000 under the lock: no increment is lost (each read-modify-write is whole).
    @Test func incrementsFromManyThreadsAreAllKept() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 200_000)
    }

    /// A zero-sized value works as a plain lock: the section it guards runs one thread at a time.
    @Test func anEmptyValueIsAPlainLock() {
        let lock = Locked(())
        let inside = Locked(0), most = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<2_000 {
                lock.withLock { _ in
                    let now = inside.withLock { $0 += 1; return $0 }
                    most.withLock { $0 = max($0, now) }
                    inside.withLock { $0 -= 1 }
                }
            }
        }
        #expect(most.withLock { $0 } == 1)
    }

    /// The body's result comes back, its typed error goes through, and the lock is free afterwards.
    @Test func resultsAndErrorsPassThrough() {
        let names = Locked(["a"])
        #expect(names.withLock { $0.append("b"); return $0.count } == 2)
        #expect(throws: Refused.self) { try names.withLock { _ throws(Refused) in throw Refused() } }
        #expect(names.withLock { $0 } == ["a", "b"])
    }
}
