import ArgumentParser
import CANSocket
import ISOTPCommandLine
import ToolSupport
import UDS

/// `uds-swift serve CONFIG.json`: the ECU simulator on an ISO-TP socket until SIGINT/SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve",
        abstract: "Run the ECU simulator (DIDs, sessions, security, routines, DTCs, memory, injected behaviour) until SIGINT/SIGTERM.",
        discussion: "-s is the ECU's response id (e.g. 7E8), -d the tester's request id (e.g. 7E0).")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The simulator's configuration (JSON).") var config: String
    @Flag(name: .shortAndLong, help: "Print each request and answer on stderr.") var verbose = false
    @Option(help: ArgumentHelp("Also answer functional requests on this id (e.g. 7DF)", valueName: "can_id"))
    var functional: String?

    func validate() throws {
        _ = try addressing.ids()
        if let functional { _ = try ArgumentSyntax.canID(functional, option: "--functional") }
    }

    func run() throws {
        let report = Report(json: false)
        try report.run {
            let configuration = try SimulatorConfigFile.load(config)
            let (transmit, receive) = try addressing.ids()
            let transport = try ISOTPTransport(
                interface: link.interface, transmitID: transmit, receiveID: receive,
                functionalReceiveID: try functional.map { try ArgumentSyntax.canID($0, option: "--functional") },
                options: try link.options())
            defer { try? transport.close() }
            let simulator = ECUSimulator(configuration)
            Signals.install()
            let logged: any UDSTransport = verbose ? LoggingTransport(transport) : transport
            try simulator.serve(on: logged) { Signals.stopRequested }
        }
    }
}

/// Prints every PDU on stderr.
final class LoggingTransport: UDSTransport {
    let inner: any UDSTransport
    init(_ inner: any UDSTransport) { self.inner = inner }
    var maximumPDUSize: Int { inner.maximumPDUSize }
    func send(_ pdu: [UInt8]) throws {
        printError("> \(Hex.string(pdu.prefix(64)))\(pdu.count > 64 ? "… (\(pdu.count) bytes)" : "")")
        try inner.send(pdu)
    }
    func receive(before deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        let pdu = try inner.receive(before: deadline)
        if let pdu { printError("< \(Hex.string(pdu.prefix(64)))\(pdu.count > 64 ? "… (\(pdu.count) bytes)" : "")") }
        return pdu
    }
}
