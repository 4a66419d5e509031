import ArgumentParser
import ISOTPCommandLine
import ToolSupport
import UDS

/// `uds-swift read-did DID…`: ReadDataByIdentifier (0x22).
struct ReadDIDCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "read-did",
        abstract: "ReadDataByIdentifier (0x22): one request per DID, or one for all with --lengths.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "Data identifiers (hex).") var dids: [String]
    @Option(help: ArgumentHelp("DID data lengths (DID=LEN,…): read all DIDs in one request", valueName: "table"))
    var lengths: String?
    @Option(name: .customLong("repeat"), help: ArgumentHelp("Repeat the reads N times on one connection and print the rate on stderr (the last answers on stdout)", valueName: "N"))
    var repeatCount: Int = 1

    func validateArguments() throws {
        guard !dids.isEmpty else { throw ValidationError("no DID given") }
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        let list = try dids.map(Parse.did)
        if let table = try table() {
            if let missing = list.first(where: { table[$0] == nil }) {
                throw ValidationError("--lengths has no length for DID \(Hex.word(missing))")
            }
        }
    }

    func table() throws -> DIDTable? {
        guard let lengths else { return nil }
        var table = DIDTable()
        for entry in lengths.split(separator: ",") {
            let parts = entry.split(separator: "=")
            guard parts.count == 2, let length = Int(parts[1]), length >= 0 else {
                throw ValidationError("--lengths '\(entry)': expected DID=LEN (hex DID, decimal length)")
            }
            table[try Parse.did(String(parts[0]))] = length
        }
        return table
    }

    func perform(_ report: Report) throws {
        let udsClient = try makeClient()
        let list = try dids.map(Parse.did)
        if repeatCount > 1 {
            // The timed rounds; the answers of one more are printed below.
            let table = try table()
            let start = ContinuousClock.now
            for _ in 0..<repeatCount {
                if let table { _ = try udsClient.readDataByIdentifiers(list, table: table) }
                else { for did in list { _ = try udsClient.readDataByIdentifier(did) } }
            }
            let (s, atto) = (ContinuousClock.now - start).components
            let seconds = Double(s) + Double(atto) / 1e18
            let requests = repeatCount * (table == nil ? list.count : 1)
            printError("read-did: \(requests) requests in \(seconds) s: \(Int(Double(requests) / seconds)) requests/s")
        }
        let print = { (did: UInt16, data: [UInt8]) in
            report.response(service: .readDataByIdentifier, did: did, data: data,
                            text: "\(Hex.word(did)): \(Hex.string(data)) '\(ascii(data))'")
        }
        if let table = try table() {
            for value in try udsClient.readDataByIdentifiers(list, table: table).values { print(value.did, value.data) }
            return
        }
        var firstError: Error?
        for did in list {
            do {
                print(did, try udsClient.readDataByIdentifier(did))
            } catch let error as UDSNegativeResponse {
                report.negative(error, did: did)
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError is UDSNegativeResponse ? ExitCode(2) : firstError }
    }
}

/// `uds-swift write-did DID HEX`: WriteDataByIdentifier (0x2E).
struct WriteDIDCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "write-did", abstract: "WriteDataByIdentifier (0x2E).")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The data identifier (hex).") var did: String
    @Argument(help: "The data (hex).") var data: String

    func validateArguments() throws {
        _ = try Parse.did(did)
        _ = try Parse.hexBytes(data, "data")
    }

    func perform(_ report: Report) throws {
        let identifier = try Parse.did(did)
        let bytes = try Parse.hexBytes(data, "data")
        try makeClient().writeDataByIdentifier(identifier, data: bytes)
        report.response(service: .writeDataByIdentifier, did: identifier, data: bytes, text: "\(Hex.word(identifier)): written")
    }
}

/// `uds-swift routine start|stop|results ID [HEX]`: RoutineControl (0x31).
struct RoutineCommand: TesterCommand {
    enum Action: String, ExpressibleByArgument, CaseIterable {
        case start, stop, results
        var control: RoutineControl.ControlType {
            switch self {
            case .start: .start
            case .stop: .stop
            case .results: .requestResults
            }
        }
    }

    static let configuration = CommandConfiguration(commandName: "routine", abstract: "RoutineControl (0x31).")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "start, stop or results.") var action: Action
    @Argument(help: "The routine identifier (hex).") var identifier: String
    @Argument(help: "The routine control option record (hex).") var options: String?

    func validateArguments() throws {
        _ = try Parse.did(identifier)
        if let options { _ = try Parse.hexBytes(options, "option record") }
    }

    func perform(_ report: Report) throws {
        let rid = try Parse.did(identifier)
        let record = try options.map { try Parse.hexBytes($0, "option record") } ?? []
        let response = try makeClient().routine(action.control, identifier: rid, options: record)
        report.response(service: .routineControl, data: response.statusRecord,
                        text: "routine \(Hex.word(rid)) \(action.rawValue): \(response.statusRecord.isEmpty ? "ok" : Hex.string(response.statusRecord))",
                        fields: [("routine", report.quote(Hex.word(rid))), ("control", report.quote(action.rawValue))])
    }
}

/// `uds-swift read-dtc [--mask M]`: ReadDTCInformation 0x02 (reportDTCByStatusMask).
struct ReadDTCCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "read-dtc", abstract: "ReadDTCInformation (0x19 0x02): the DTCs matching a status mask.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Option(help: "The status mask (hex).") var mask: String = "FF"

    func validateArguments() throws {
        _ = try Parse.byte(mask, "--mask")
    }

    func perform(_ report: Report) throws {
        let records = try makeClient().readDTCs(statusMask: try Parse.byte(mask, "--mask"))
        if records.isEmpty && !client.json { print("no DTC") }
        for record in records {
            report.response(service: .readDTCInformation, data: nil,
                            text: "DTC \(record.hexCode) status 0x\(Hex.byte(record.status))",
                            fields: [("dtc", report.quote(record.hexCode)), ("status", "\(record.status)")])
        }
    }
}

/// `uds-swift clear-dtc [GROUP]`: ClearDiagnosticInformation (0x14).
struct ClearDTCCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "clear-dtc", abstract: "ClearDiagnosticInformation (0x14); GROUP defaults to FFFFFF (all).")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The group of DTC (hex, 3 bytes).") var group: String = "FFFFFF"

    func validateArguments() throws {
        _ = try Parse.hexValue(group, "group", max: 0xFF_FFFF)
    }

    func perform(_ report: Report) throws {
        let value = UInt32(try Parse.hexValue(group, "group", max: 0xFF_FFFF))
        try makeClient().clearDiagnosticInformation(group: value)
        report.response(service: .clearDiagnosticInformation, data: nil, text: "DTCs cleared (group \(group.uppercased()))")
    }
}
