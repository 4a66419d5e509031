import SocketBase

/// SIGINT, SIGTERM and SIGHUP end a tool's run cleanly: SocketBase's ``StopSignals`` records the signal and
/// wakes every ``Selector`` that waits with `stopOnSignals()`, so the loop ends at once, writes out everything
/// it received, and exits.
package enum Signals {
    /// Installs the handler; a failure (never expected) is reported and the tool runs without it.
    package static func install() {
        do {
            try StopSignals.install()
        } catch {
            printError("warning: signals will not end the run cleanly: \(error)")
        }
    }

    package static var stopRequested: Bool { StopSignals.isStopRequested }

    /// Blocks until a stop signal arrives (a ``Selector`` that waits on nothing else), for a tool whose work
    /// runs on other threads until the user stops it.
    package static func waitForStop() throws {
        let selector = try Selector(capacity: 1)
        try selector.stopOnSignals()
        while try selector.wait(until: nil) != .stopped {}
    }

    /// Ignores SIGPIPE, for a tool that ends cleanly when its reader goes away (`candump-swift vcan0 -l | head -1`):
    /// its stdout writes then fail with EPIPE (``isBrokenPipe(_:)``) and it writes out its files before exiting.
    package static func ignoreBrokenPipe() {
        do {
            try StopSignals.ignoreBrokenPipe()
        } catch {
            printError("warning: a closed stdout will end the run without writing its files out: \(error)")
        }
    }

    /// Whether `error` is a write to a pipe (or socket) whose reader is gone.
    package static func isBrokenPipe(_ error: any Error) -> Bool {
        (error as? SystemCallError)?.errno == .brokenPipe
    }
}
