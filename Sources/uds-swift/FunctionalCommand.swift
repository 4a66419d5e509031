import ArgumentParser
import CANSocket
import ISOTPCommandLine
import UDS

/// `uds-swift functional DID…`: ReadDataByIdentifier by functional addressing, one line per answering ECU.
struct FunctionalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "functional",
        abstract: "ReadDataByIdentifier (0x22) to a functional id (-s, e.g. 7DF; CAN_ISOTP_SF_BROADCAST); one line per answering ECU.")
    @Option(name: .customShort("s", allowingJoined: true),
            help: ArgumentHelp("functional can_id. Use 8 digits for extended IDs", valueName: "can_id"))
    var source: String
    @Option(help: ArgumentHelp("Response ids to listen on (hex, comma separated); each gets its own socket, flow control on id - 8", valueName: "ID,…"))
    var responses: String = "7E8,7E9,7EA,7EB,7EC,7ED,7EE,7EF"
    @OptionGroup var link: LinkOptions
    @Flag(help: "Print one JSON object per response.") var json = false
    @Option(name: .customLong("p2"), help: ArgumentHelp("P2: how long answers are collected, in ms", valueName: "ms"))
    var p2: Int = 1000
    @Argument(help: "Data identifiers (hex).") var dids: [String]

    func validate() throws {
        _ = try ArgumentSyntax.canID(source, option: "-s")
        _ = try responseIDs()
        guard !dids.isEmpty else { throw ValidationError("no DID given") }
        guard dids.count <= 3 else { throw ValidationError("at most 3 DIDs fit a functional single frame") }
        _ = try dids.map(Parse.did)
        guard p2 > 0 else { throw ValidationError("--p2 must be positive milliseconds") }
    }

    func responseIDs() throws -> [CANID] {
        let ids = try responses.split(separator: ",").map { try ArgumentSyntax.canID(String($0), option: "--responses") }
        guard !ids.isEmpty else { throw ValidationError("--responses: no id") }
        return ids
    }

    func run() throws {
        let report = Report(json: json)
        try report.run {
            var options = ISOTPOptions()
            try link.apply(to: &options)
            let transport = try ISOTPFunctionalTransport(
                interface: link.interface, functionalID: try ArgumentSyntax.canID(source, option: "-s"),
                responseIDs: try responseIDs(),
                flowControlID: ISOTPFunctionalTransport.obdFlowControlID,
                options: options)
            defer { transport.close() }
            let udsClient = UDSFunctionalClient(transport: transport, timing: UDSTiming(p2: .milliseconds(p2)))
            let list = try dids.map(Parse.did)
            let answers = try udsClient.send(ReadDataByIdentifier(list))
            var negative = false
            for answer in answers {
                switch answer.result {
                case .success(let response):
                    for value in response.values {
                        report.response(service: .readDataByIdentifier, did: value.did, data: value.data, ecu: answer.ecu,
                                        text: "\(Hex.word(value.did)): \(Hex.string(value.data)) '\(ascii(value.data))'")
                    }
                case .failure(let error as UDSNegativeResponse):
                    report.negative(error, did: list.first, ecu: answer.ecu)
                    negative = true
                case .failure(let error):
                    throw error
                }
            }
            if answers.isEmpty {
                throw UDSTimeout(service: .readDataByIdentifier, request: ReadDataByIdentifier(list).label, phase: .p2, timeout: .milliseconds(p2))
            }
            if negative { throw ExitCode(2) }
        }
    }
}
