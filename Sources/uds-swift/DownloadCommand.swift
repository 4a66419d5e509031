import ArgumentParser
import ISOTPCommandLine
import UDS

/// `uds-swift download FILE --address A [--format F]`: RequestDownload, TransferData…, RequestTransferExit.
struct DownloadCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "download",
        abstract: "Download a file (0x34, 0x36…, 0x37); the block size comes from the ECU's maxNumberOfBlockLength.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The file to download.") var file: String
    @Option(help: "The memory address (hex).") var address: String
    @Option(help: "The addressAndLengthFormatIdentifier (hex, e.g. 44); default: the fewest bytes that hold address and size.")
    var format: String?
    @Option(name: .customLong("data-format"), help: "The dataFormatIdentifier (hex).") var dataFormat: String = "00"
    @Option(help: "Switch to this session (hex) first, in the same connection.") var session: String?

    func validateArguments() throws {
        _ = try Parse.hexValue(address, "--address", max: UInt64.max)
        if let format {
            let f = try Parse.byte(format, "--format")
            guard (1...8).contains(f & 0x0F), (1...8).contains(f >> 4) else {
                throw ValidationError("--format '\(format)': both nibbles must be 1-8 (size bytes, address bytes)")
            }
        }
        _ = try Parse.byte(dataFormat, "--data-format")
        if let session { _ = try Parse.byte(session, "--session") }
    }

    func perform(_ report: Report) throws {
        let data = try SimulatorConfigFile.readFile(file)
        guard !data.isEmpty else { throw ValidationError("\(file): empty file") }
        let at = try Parse.hexValue(address, "--address", max: UInt64.max)
        let alfid = try format.map { try Parse.byte($0, "--format") }
        let udsClient = try makeClient()
        if let session { try udsClient.changeSession(UDSSession(rawValue: try Parse.byte(session, "--session"))) }
        let summary = try udsClient.download(data, to: at, addressBytes: alfid.map { Int($0 & 0x0F) },
                                             sizeBytes: alfid.map { Int($0 >> 4) },
                                             dataFormat: try Parse.byte(dataFormat, "--data-format"))
        report.response(service: .requestTransferExit, data: nil,
                        text: "downloaded \(data.count) bytes to 0x\(String(at, radix: 16, uppercase: true)) in \(summary.blocks) blocks of \(summary.blockSize)",
                        fields: [("bytes", "\(data.count)"), ("blocks", "\(summary.blocks)"), ("block_size", "\(summary.blockSize)")])
    }
}
