#if canImport(Glibc)
import Glibc
#endif
import CANDatabase
import CANSocket
import ToolSupport

/// candump-swift: candump's command line, candump's output byte for byte, plus pcap and JSON.
@main
struct CandumpCommand {
    var arguments: CandumpArguments

    static func main() {
        let command: CandumpCommand
        do {
            command = CandumpCommand(arguments: try CandumpArguments(parsing: Array(CommandLine.arguments.dropFirst())))
        } catch {
            // candump prints its usage and exits 1 on a bad option.
            printError("candump-swift: \(error)\nUsage: candump-swift [options] <CAN interface>+ (-h for the options)")
            exit(1)
        }
        exit(command.run())
    }

    /// Runs the dump; the process's exit status.
    func run() -> CInt {
        guard !arguments.help, !arguments.interfaces.isEmpty else {
            print(CandumpArguments.usage(), terminator: "")
            return 0
        }
        let configuration: CandumpConfiguration
        switch makeConfiguration() {
        case let .success(made): configuration = made
        case let .failure(exit): return exit.status
        }
        let session: CandumpSession
        do {
            session = try CandumpSession(configuration: configuration)
        } catch {
            printError("candump-swift: \(error)")
            return 1
        }
        return session.run()
    }

    /// Why the run ends before it starts, with the status to exit with (its message is already printed).
    struct EarlyExit: Error {
        var status: CInt
    }

    /// `--dbc` files merged in order; a file that does not load ends the run with its error (file, line, column).
    static func loadDatabases(_ paths: [String]) -> Result<SignalDatabase, EarlyExit> {
        var database = SignalDatabase()
        for path in paths {
            do throws(DBCParseError) {
                database.merge(try SignalDatabase(contentsOfFile: path))
            } catch {
                printError("candump-swift: \(error)")
                return .failure(EarlyExit(status: 1))
            }
        }
        return .success(database)
    }

    /// The run's configuration from the command line, with candump's warnings and refusals printed.
    func makeConfiguration() -> Result<CandumpConfiguration, EarlyExit> {
        let arguments = self.arguments
        if arguments.interfaces.count > 16 {
            printError("More than 16 CAN devices given on commandline!")  // candump's words, status and order
            return .failure(EarlyExit(status: 1))
        }
        var config = CandumpConfiguration()
        if let mode = arguments.timestamp {
            switch mode {
            case "a": config.output.timestamp = .absolute
            case "A": config.output.timestamp = .absoluteWithDate
            case "d": config.output.timestamp = .delta
            case "z": config.output.timestamp = .zero
            default: printError("candump-swift: unknown timestamp mode '\(mode)' - ignored")
            }
        }
        config.hardwareTimestamps = arguments.hardwareTimestamps
        config.output.colorLevel = arguments.color
        config.output.binary = arguments.binary
        config.output.ascii = arguments.ascii
        config.output.swap = arguments.swap
        config.output.errorDecode = arguments.errorFrames
        config.output.extraInfo = arguments.extraInfo
        config.output.logFormat = arguments.logFormat
        config.output.rawDLC = arguments.rawDLC
        config.output.nanoseconds = arguments.nanoseconds
        // -f FILE logs as -l does, into FILE (master candump; -f wins over -l's dated name).
        config.logFile = arguments.logFile || arguments.logFileName != nil
        config.logFileName = arguments.logFileName
        config.count = arguments.count
        config.receiveBufferSize = arguments.receiveBufferSize
        config.queueLimit = arguments.queue
        config.exitWhenDown = !arguments.keepRunningWhenDown
        config.dropMonitor = arguments.dropMonitor
        config.idleTimeout = arguments.timeout.map { .milliseconds($0) }
        config.pcapPath = arguments.pcap
        config.json = arguments.json
        if !arguments.dbc.isEmpty {
            switch Self.loadDatabases(arguments.dbc) {
            case let .success(database):
                var decoder = SignalDecoder(database: database, singleLine: arguments.singleLine)
                decoder.keepsValues = false  // the one-pass text plans; --json decodes on its own
                config.decoder = decoder
            case let .failure(exit): return .failure(exit)
            }
        }
        if arguments.logFormat && (arguments.binary || arguments.ascii || arguments.swap || arguments.errorFrames || arguments.rawDLC) {
            // 2020.11's words, or master's when -8 (which 2020.11 has not) is among them.
            printError("Log file format selected: Please disable ASCII/BINARY/SWAP\(arguments.rawDLC ? "/RAWDLC" : "") options!")
            return .failure(EarlyExit(status: 0))
        }
        // "-f -" is "-L" (log format on stdout), decided after the check above as master does.
        if arguments.logFileName == "-" {
            config.logFile = false
            config.logFileName = nil
            config.output.logFormat = true
        }
        if let silent = arguments.silent {
            config.silent = silent
        } else if config.logFile {
            printError("Disabled standard output while logging.")
            config.silent = 2
        }
        for argument in arguments.interfaces {
            do {
                config.interfaces.append(try CANInterfaceFilterSpec(parsing: argument))
            } catch {
                printError("\(error)")
                return .failure(EarlyExit(status: 1))
            }
        }
        return .success(config)
    }
}
