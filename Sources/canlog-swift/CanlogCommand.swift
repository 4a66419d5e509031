import ArgumentParser

/// canlog-swift: CAN log files in the formats python-can users move between.
@main
struct CanlogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canlog-swift",
        abstract: "Convert CAN logs between candump's log format, Vector ASC and BLF, and replay them (play).",
        discussion: """
        Formats come from the file extension: .log (candump -l/-L, canplayer), .asc (as log2asc writes and \
        asc2log reads it), .blf (as python-can writes and reads it). '-' is stdin or stdout in candump log format.
        Examples:
          canlog-swift convert candump-2024-01-01_120000.log trace.asc
          canlog-swift convert --channels vcan0,vcan1 trace.blf -
        """,
        subcommands: [ConvertCommand.self, PlayCommand.self]
    )
}
