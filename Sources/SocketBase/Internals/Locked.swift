// Locked: a value guarded by a pthread mutex, for the package's shared state.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A value that only one thread at a time may read or change, guarded by a `pthread_mutex_t`.
///
/// The package uses this instead of `Synchronization.Mutex` so that ThreadSanitizer can check it. On Linux, Mutex
/// waits on a futex directly, which TSan does not model: every access under it is reported as a race (a ten-line
/// program mutating a `Mutex<[Int: Int]>` from two threads gets the report; the same program with this type gets
/// none). TSan intercepts `pthread_mutex_lock`, so the happens-before edges it needs are there. An uncontended lock
/// and unlock costs the same compare-and-swap as Mutex's.
///
/// The value lives behind a pointer of its own rather than in a stored property: TSan checks a stored property's
/// inout access as a Swift access, and for a zero-sized value (a `Locked<()>` used as a plain lock) it reports
/// those accesses as races even under the lock. Through the pointer they are plain memory accesses, which TSan
/// orders by the mutex.
///
/// The lock is not recursive: calling `withLock` again from inside `body` deadlocks, as with Mutex.
package final class Locked<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    /// Guards `initialValue`.
    package init(_ initialValue: consuming sending Value) {
        value = .allocate(capacity: 1)
        value.initialize(to: initialValue)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed with \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value while holding the lock, and returns what `body` returns.
    @inlinable
    package func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        lock()
        defer { unlock() }
        return try body(&value.pointee)
    }

    @usableFromInline
    func lock() {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed with \(status)")
    }

    @usableFromInline
    func unlock() {
        let status = pthread_mutex_unlock(mutex)
        precondition(status == 0, "pthread_mutex_unlock failed with \(status)")
    }
}
