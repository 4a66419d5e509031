import ArgumentParser
import CANSocket
import ISOTPCommandLine
import SocketBase
import ToolSupport

/// `isotp-swift recv`: isotprecv's options; each PDU printed as `%02X ` per byte and a newline.
struct ReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recv",
        abstract: "Receive ISO-TP PDUs and print them (like isotprecv).",
        discussion: """
        CAN IDs and addresses are given and expected in hexadecimal values.
        The pdu data is written on STDOUT in space separated ASCII hex values.
        """
    )

    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions

    @Option(name: .customShort("b", allowingJoined: true), help: ArgumentHelp("blocksize. 0 = off", valueName: "bs"))
    var blockSize: String?

    @Option(name: .customShort("m", allowingJoined: true), help: ArgumentHelp("STmin in ms/ns. See spec.", valueName: "val"))
    var separationTime: String?

    @Option(name: .customShort("f", allowingJoined: true), help: ArgumentHelp("force rx stmin value in nanosecs", valueName: "time ns"))
    var forceSeparationTime: String?

    @Option(name: .customShort("w", allowingJoined: true), help: ArgumentHelp("max. wait frame transmissions.", valueName: "num"))
    var maximumWaitFrames: String?

    @Flag(name: .customShort("l"), help: "loop: do not exit after pdu reception.")
    var loop = false

    mutating func validate() throws {
        _ = try makeOptions()
        _ = try addressing.ids()
    }

    func makeOptions() throws -> ISOTPOptions {
        try link.options { options in
            if let blockSize { options.flowControl.blockSize = try ArgumentSyntax.hexByte(blockSize, option: "-b") }
            if let separationTime {
                let byte = try ArgumentSyntax.hexByte(separationTime, option: "-m")
                do {
                    options.flowControl.separationTime = try ISOTPSeparationTime(encoded: byte)
                } catch {
                    throw ValidationError("-m '\(separationTime)': \(error)")
                }
            }
            if let maximumWaitFrames { options.flowControl.maximumWaitFrames = try ArgumentSyntax.hexByte(maximumWaitFrames, option: "-w") }
            if let forceSeparationTime {
                options.forcedReceiveSeparationTime = try ArgumentSyntax.decimal(forceSeparationTime, option: "-f")
            }
        }
    }

    func run() throws {
        let options = try makeOptions()
        let (transmitID, receiveID) = try addressing.ids()
        let socket: ISOTPSocket
        do {
            socket = try ISOTPSocket(interface: link.interface, receiveID: receiveID, transmitID: transmitID,
                                     options: options)
            try socket.socket.setTimeout(.nonBlocking)
        } catch {
            printError("isotp-swift recv: \(error)")
            throw ExitCode(1)
        }
        defer { try? socket.close() }
        Signals.install()
        let selector: Selector
        do {
            selector = try Selector(capacity: 1)
            try selector.register(socket.socket, token: 0)
            try selector.stopOnSignals()
        } catch {
            printError("isotp-swift recv: \(error)")
            throw ExitCode(1)
        }
        let buffer = ISOTPBuffer()
        let printer = PDUPrinter(maximumPDU: buffer.capacity)
        // Without -l: one PDU, exit 1 if reading it failed. With -l: failed reads are reported and the loop goes
        // on until a signal (exit 0) or the interface goes away (exit 1).
        var failed = false
        var interfaceGone = false
        // The wait ends when the socket is readable (a PDU, or an error to report) or a stop signal arrives.
        while case .ready = try selector.wait(until: nil) {
            do {
                guard case .processed = try socket.receiveAvailable(into: buffer) else { continue }
                try printer.write(buffer.bytes)
            } catch {
                // isotprecv prints a bare newline after a failed read; the reason goes to stderr here.
                try? printer.write(UnsafeRawBufferPointer(start: nil, count: 0))
                printError("isotp-swift recv: \(error)")
                failed = true
                if let error = error as? SystemCallError, error.errno == .networkDown || error.errno == .noSuchDevice {
                    interfaceGone = true
                    break
                }
            }
            if !loop || Signals.stopRequested { break }
        }
        if interfaceGone || (failed && !loop) { throw ExitCode(1) }
    }
}
