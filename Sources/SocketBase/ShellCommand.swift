/// A user's command run through `/bin/sh -c`, given bytes on its standard input and read to the end of its
/// standard output: for tools that call out to a program the user names (uds-swift's `--key-command`).
///
/// The command's standard input is one end of a stream socket pair, not a pipe, so that writing to a command
/// that exits without reading fails with `EPIPE` (sent with `MSG_NOSIGNAL`) instead of raising `SIGPIPE` in the
/// caller. Its standard error is the caller's. The input is written whole before the output is read, so it is
/// meant for small inputs (up to the socket buffer, about 200 KiB).
public enum ShellCommand {
    /// How the command ended and what it printed.
    public struct Outcome: Sendable, Equatable {
        /// The exit status, 0–255; `nil` when a signal ended the command.
        public var exitStatus: CInt?
        /// The signal that ended the command, if one did.
        public var terminatingSignal: CInt?
        /// Everything the command wrote to its standard output.
        public var output: [UInt8]

        public init(exitStatus: CInt?, terminatingSignal: CInt?, output: [UInt8]) {
            self.exitStatus = exitStatus
            self.terminatingSignal = terminatingSignal
            self.output = output
        }
    }

    /// Runs `command`, writes `input` to it, closes its input, reads its output to the end and waits for it.
    ///
    /// A command that does not read its input is not an error (its output and status still count).
    /// - Throws: ``SystemCallError`` naming `socketpair`, `pipe`, `posix_spawn(/bin/sh)`, `read` or `waitpid`.
    ///   No descriptor stays open and no child is left unwaited after a failure.
    public static func run(_ command: String, input: [UInt8]) throws -> Outcome {
        let (ours, theirs) = try Socket.pair()
        defer { try? ours.close() }
        let output = try FileDescriptor.pipe()
        defer { try? output.read.close() }
        let spawned = Sys.spawnShell(command, standardInput: try theirs.openDescriptor("posix_spawn"),
                                     standardOutput: output.write.rawValue)
        try? theirs.close()
        try? output.write.close()
        let pid = try spawned.get("posix_spawn", target: "/bin/sh")

        var failure: (any Error)?
        var printed: [UInt8] = []
        do {
            do {
                try ours.sendAll(input, flags: .noSignal)
            } catch let error as SystemCallError where error.errno == .brokenPipe || error.errno == .connectionReset {
                // The command did not read its input: what it printed and its status still tell.
            }
            try ours.shutdown(.write)
            printed = try output.read.readAll()
        } catch {
            failure = error
        }
        try? ours.close()
        try? output.read.close()   // a command still writing gets EPIPE and ends, so the wait below returns
        let status = try Sys.waitForExit(pid).get("waitpid", target: "/bin/sh")
        if let failure { throw failure }
        let signal = status & 0x7F
        return Outcome(exitStatus: signal == 0 ? (status >> 8) & 0xFF : nil,
                       terminatingSignal: signal == 0 ? nil : signal, output: printed)
    }
}
