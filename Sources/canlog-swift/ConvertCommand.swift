import ArgumentParser
import CANLog
import CANSocket
import SocketBase
import ToolSupport

extension CANLogFormat: ExpressibleByArgument {}

/// `canlog-swift convert IN OUT`: every frame of IN, in order, written to OUT.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CAN log: the formats from the extensions (.log .asc .blf), '-' for candump log on stdin/stdout.",
        discussion: """
        ASC and BLF number channels from 1. Written, interfaces are numbered in the order they first appear \
        (those given with --channels first); read, channel N is the Nth name of --channels, else can<N-1> as \
        asc2log names it. Errors name the file and line (ASC, candump log) or byte offset (BLF); a failed \
        conversion exits 1 and removes the partial output file. CAN XL frames (candump logs of current can-utils) \
        are carried from log to log; ASC and BLF have no CAN XL, and a conversion that meets one stops with the \
        input line that holds it.
        """
    )

    @Argument(help: "The log to read ('-' for a candump log on stdin).")
    var input: String

    @Argument(help: "The log to write ('-' for a candump log on stdout).")
    var output: String

    @Option(name: .customLong("from"), help: "Read this format whatever IN's extension (log, asc, blf).")
    var inputFormat: CANLogFormat?

    @Option(name: .customLong("to"), help: "Write this format whatever OUT's extension (log, asc, blf).")
    var outputFormat: CANLogFormat?

    @Option(help: "Interface names for channels 1, 2, … (comma separated), both ways.")
    var channels: String?

    @Flag(name: [.customShort("N"), .customLong("nanoseconds")], help: "Write candump logs with 9-digit (nanosecond) timestamps, as candump -N.")
    var nanoseconds = false

    mutating func validate() throws {
        guard LogFiles.format(of: input, override: inputFormat) != nil else {
            throw ValidationError("cannot tell the format of '\(input)' from its extension (use .log, .asc or .blf, or --from)")
        }
        guard let format = LogFiles.format(of: output, override: outputFormat) else {
            throw ValidationError("cannot tell the format of '\(output)' from its extension (use .log, .asc or .blf, or --to)")
        }
        if output == "-" && format == .blf {
            throw ValidationError("BLF cannot be written to stdout: its header is rewritten at the end (name a .blf file)")
        }
    }

    func run() throws {
        let channelMap = CANLogChannels(channels.map { $0.split(separator: ",").map(String.init) } ?? [])
        let inFormat = LogFiles.format(of: input, override: inputFormat)!
        let outFormat = LogFiles.format(of: output, override: outputFormat)!
        let bytes: [UInt8]
        do {
            bytes = try LogFiles.read(input)
        } catch {
            throw failure("\(error)")
        }
        let out: OutputFile
        do {
            out = output == "-" ? OutputFile.standardOutput() : try OutputFile(creating: output)
        } catch {
            throw failure("\(error)")
        }
        var writer = CANLogWriter(format: outFormat, channels: channelMap, precision: nanoseconds ? .nanoseconds : nil)
        let inputName = input == "-" ? "stdin" : input
        do {
            var frames = CANLogReader(bytes: bytes, format: inFormat, channels: channelMap, file: inputName).makeIterator()
            while let result = frames.next() {
                let line = try result.get()
                do {
                    try writer.append(line, to: &out.buffer)
                } catch {
                    // A frame OUT's format cannot hold (CAN XL in ASC or BLF): named by where it is in IN.
                    throw frames.line.map { error.at(file: inputName, line: $0) } ?? error.inFile(output)
                }
                try out.flushIfFull()
            }
            let header = writer.finish(to: &out.buffer)
            try out.flush()
            if let header {
                try out.file.writeAll(header, at: 0)
            }
            try out.close()
        } catch {
            // A half-written file goes, as gzip removes its own; a device such as /dev/full stays.
            let removable = output != "-" && (try? out.file.isRegularFile()) == true
            try? out.close()
            if removable { try? FileDescriptor.remove(output) }
            throw failure("\(error)")
        }
    }

    private func failure(_ message: String) -> ExitCode {
        printError("canlog-swift convert: \(message)")
        return ExitCode(1)
    }
}
