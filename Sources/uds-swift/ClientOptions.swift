import ArgumentParser
import CANSocket
import ISOTPCommandLine
import UDS

/// Options every tester command takes beside isotp-swift's ``AddressingOptions`` and ``LinkOptions``: --json and
/// the timers. The three are sibling groups of each command (see ``AddressingOptions`` for why not nested).
struct ClientOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per response.")
    var json = false

    @Option(name: .customLong("p2"), help: ArgumentHelp("P2: the wait for the first response, in ms", valueName: "ms"))
    var p2: Int = 1000

    @Option(name: .customLong("p2-star"), help: ArgumentHelp("P2*: the wait after responsePending, in ms", valueName: "ms"))
    var p2Star: Int = 5000

    @Option(name: .customLong("busy-retries"), help: "How often busyRepeatRequest (0x21) repeats the request.")
    var busyRetries: Int = 3

    func validateTiming() throws {
        guard p2 > 0, p2Star > 0 else { throw ValidationError("--p2 and --p2-star must be positive milliseconds") }
        guard busyRetries >= 0 else { throw ValidationError("--busy-retries must not be negative") }
    }

    /// The client's timing and retry settings.
    var timing: UDSTiming { UDSTiming(p2: .milliseconds(p2), p2Star: .milliseconds(p2Star)) }
}

/// A tester command (`session`, `read-did`, …): ``ClientOptions``' timers are checked before the command's own
/// arguments, and its requests run inside ``Report/run(_:)``, which maps UDS errors to the exit status.
protocol TesterCommand: ParsableCommand {
    var addressing: AddressingOptions { get }
    var link: LinkOptions { get }
    var client: ClientOptions { get }
    /// Checks the command's own arguments; a `ValidationError` names the bad one. Nothing is opened yet.
    func validateArguments() throws
    /// The command's requests (it opens the connection with `makeClient()`), printed through `report`.
    func perform(_ report: Report) throws
}

extension TesterCommand {
    func validateArguments() throws {}

    /// Opens the ISO-TP socket and the client.
    func makeClient() throws -> UDSClient {
        let (transmit, receive) = try addressing.ids()
        let transport = try ISOTPTransport(interface: link.interface, transmitID: transmit, receiveID: receive,
                                           options: try link.options())
        return UDSClient(transport: transport, timing: client.timing, busyRetryLimit: client.busyRetries)
    }

    func validate() throws {
        try client.validateTiming()
        try validateArguments()
    }

    func run() throws {
        let report = Report(json: client.json)
        try report.run { try perform(report) }
    }
}

/// Parsers for the commands' hex arguments; each error names the argument.
enum Parse {
    static func hexBytes(_ text: String, _ what: String) throws -> [UInt8] {
        guard let bytes = Hex.parse(text), !bytes.isEmpty else {
            throw ValidationError("\(what) '\(text)': not hex bytes (e.g. 0A1B2C or '0a 1b 2c')")
        }
        return bytes
    }

    static func hexValue(_ text: String, _ what: String, max: UInt64) throws -> UInt64 {
        var body = Substring(text)
        if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        guard !body.isEmpty, let value = UInt64(body, radix: 16), value <= max else {
            throw ValidationError("\(what) '\(text)': not a hex number up to 0x\(String(max, radix: 16, uppercase: true))")
        }
        return value
    }

    static func did(_ text: String) throws -> UInt16 { UInt16(try hexValue(text, "DID", max: 0xFFFF)) }
    static func byte(_ text: String, _ what: String) throws -> UInt8 { UInt8(try hexValue(text, what, max: 0xFF)) }
}
