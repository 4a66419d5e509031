#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ToolCommandLine
import ToolSupport
import UDS

/// uds-swift: a UDS (ISO 14229-1) tester and ECU simulator over the kernel's ISO-TP.
@main
struct UDSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uds-swift",
        abstract: "UDS (ISO 14229-1) diagnostics over CAN_ISOTP sockets: a tester and an ECU simulator.",
        discussion: """
        Options as isotp-swift takes them (-s tester id, -d ECU id, -x -p -P -L), then the interface, then the
        command's arguments. Identifiers and data in hex.
          uds-swift session -s 7E0 -d 7E8 vcan0 3
          uds-swift read-did -s 7E0 -d 7E8 --json vcan0 F190 F187
          uds-swift security -s 7E0 -d 7E8 vcan0 1 --key-command ./key.sh
          uds-swift download -s 7E0 -d 7E8 vcan0 image.bin --address 8000
          uds-swift functional -s 7DF vcan0 F190
          uds-swift serve -s 7E8 -d 7E0 vcan0 ecu.json
        Exit status: 0 positive response, 2 negative response, 3 timeout, 1 any other error.
        """,
        subcommands: [SessionCommand.self, ResetCommand.self, TesterPresentCommand.self, ReadDIDCommand.self,
                      WriteDIDCommand.self, RoutineCommand.self, ReadDTCCommand.self, ClearDTCCommand.self,
                      SecurityCommand.self, DownloadCommand.self, FunctionalCommand.self, ServeCommand.self]
    )

    /// Usage errors exit 1 (ArgumentParser's 64 otherwise), as the tool contract says; help stays 0; the
    /// commands' own ExitCode (2 negative response, 3 timeout) passes through.
    static func main() { runAsTool(named: "uds-swift") }
}
