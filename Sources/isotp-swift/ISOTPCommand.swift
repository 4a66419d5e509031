import ArgumentParser

/// isotp-swift: can-utils' isotpsend and isotprecv as two subcommands, with their options and output.
@main
struct ISOTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isotp-swift",
        abstract: "Send and receive ISO 15765-2 (ISO-TP) PDUs over CAN_ISOTP sockets, like isotpsend / isotprecv.",
        discussion: """
        CAN IDs and addresses are given and expected in hexadecimal values (8 digits for an extended id).
        Examples:
          echo 11 22 33 44 55 66 77 88 99 | isotp-swift send -s 321 -d 123 vcan0
          isotp-swift recv -s 123 -d 321 -l vcan0
          isotp-swift send -s 18DA00F1 -d 18DAF100 -L 72:64:0 -D 4095 vcan0
        """,
        subcommands: [SendCommand.self, ReceiveCommand.self]
    )
}
