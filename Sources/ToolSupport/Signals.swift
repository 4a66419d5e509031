#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT, SIGTERM and SIGHUP end a tool's run cleanly: the handler only sets a flag; blocking calls return
/// EINTR (the handler is installed without SA_RESTART) and the loop then flushes everything and exits.
package enum Signals {
    package static let received = Atomic<CInt>(0)

    package static func install() {
        // A parent may have started us with these signals blocked (the mask is inherited across exec).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in Signals.received.store(signal, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    package static var stopRequested: Bool { received.load(ordering: .relaxed) != 0 }
}
