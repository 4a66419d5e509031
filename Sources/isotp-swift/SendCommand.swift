import ArgumentParser
import SocketBase
import CANSocket
import ISOTPCommandLine
import ToolSupport

/// `isotp-swift send`: isotpsend's options; the PDU from stdin (hex bytes) or `-D <len>`.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send one ISO-TP PDU (like isotpsend).",
        discussion: """
        CAN IDs and addresses are given and expected in hexadecimal values.
        The pdu data is expected on STDIN in space separated ASCII hex values.
        -t 0 keeps the kernel's frame_txtime; -t 4294967295 (CAN_ISOTP_FRAME_TXTIME_ZERO) sends without a gap.
        """
    )

    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions

    @Option(name: .customShort("t", allowingJoined: true),
            help: ArgumentHelp("frame transmit time (N_As) in nanosecs", valueName: "time ns"))
    var frameTransmitTime: String?

    @Option(name: .customShort("f", allowingJoined: true),
            help: ArgumentHelp("ignore FC and force local tx stmin value in nanosecs", valueName: "time ns"))
    var forceSeparationTime: String?

    @Option(name: .customShort("D", allowingJoined: true),
            help: ArgumentHelp("send a fixed PDU with len bytes - no STDIN data", valueName: "len"))
    var fixedLength: String?

    @Flag(name: .customShort("b"), help: "block until the PDU transmission is completed")
    var block = false

    mutating func validate() throws {
        _ = try makeOptions()
        _ = try addressing.ids()
        _ = try length()
    }

    func makeOptions() throws -> ISOTPOptions {
        try link.options { options in
            if let frameTransmitTime {
                options.frameTransmitTime = ISOTPFrameTransmitTime(rawValue: try ArgumentSyntax.decimal(frameTransmitTime, option: "-t"))
            }
            if let forceSeparationTime {
                options.forcedTransmitSeparationTime = try ArgumentSyntax.decimal(forceSeparationTime, option: "-f")
            }
            if block { options.flags.insert(.waitTransmitDone) }
        }
    }

    func length() throws -> Int? {
        guard let fixedLength else { return nil }
        let maximum = UInt32(ISOTPSocket.maximumPDUSize)
        return Int(try ArgumentSyntax.decimal(fixedLength, option: "-D", range: 1...maximum))
    }

    func run() throws {
        let options = try makeOptions()
        let (transmitID, receiveID) = try addressing.ids()
        let maximum = ISOTPSocket.maximumPDUSize
        let pdu: [UInt8]
        if let length = try length() {
            pdu = HexInput.pattern(length: length)
        } else {
            do {
                let (bytes, tooMany) = try HexInput.parse(try FileDescriptor.standardInput.readAll(), limit: maximum)
                if tooMany { throw failure("more than \(maximum) bytes on stdin: the kernel's ISO-TP limit is \(maximum) bytes per PDU") }
                if bytes.isEmpty { throw failure("no PDU data on stdin (expected space separated hex bytes, e.g. '11 22 33')") }
                pdu = bytes
            } catch let error as HexInput.SyntaxError {
                throw failure("\(error)")
            }
        }
        do {
            let socket = try ISOTPSocket(interface: link.interface, receiveID: receiveID, transmitID: transmitID,
                                         options: options)
            defer { try? socket.close() }
            try socket.send(pdu)
            // close(2) returns once the kernel has sent the whole PDU, as with isotpsend.
            try socket.close()
        } catch {
            throw failure("\(error)")
        }
    }

    /// Reports a runtime failure on stderr; the command exits with status 1.
    private func failure(_ message: String) -> ExitCode {
        printError("isotp-swift send: \(message)")
        return ExitCode(1)
    }
}
