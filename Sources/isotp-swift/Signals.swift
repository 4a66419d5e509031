#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT, SIGTERM and SIGHUP end `recv -l` cleanly: the handler only sets a flag; `poll` returns EINTR (the
/// handler is installed without SA_RESTART) and the loop then writes out what it has and exits.
enum Signals {
    static let received = Atomic<CInt>(0)

    static func install() {
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

    static var stopRequested: Bool { received.load(ordering: .relaxed) != 0 }
}

/// Prints a line to stderr at once.
func printError(_ message: String) {
    let line = message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
