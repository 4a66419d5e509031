#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ToolSupport

extension ParsableCommand {
    /// Parses the command line and runs the command, ending the process as the C tool it stands in for ends: a
    /// usage error (an unknown option, a missing or refused value: ArgumentParser's exit 64) prints
    /// `<tool>: <message>` with the usage on stderr and exits 1, as tcpdump, isotprecv and candump do. `--help`
    /// prints to stdout and exits 0; an `ExitCode` the command throws passes through.
    package static func runAsTool(named tool: String) -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc.exit(0)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            // An ExitCode thrown by validate() arrives here with nothing to say: its message is printed already.
            let message = fullMessage(for: error)
            if !message.isEmpty { printError("\(tool): " + message) }
            Glibc.exit(status == .validationFailure ? 1 : status.rawValue)
        }
    }
}
