#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CANDatabase
import CANSocket
import ToolSupport

/// candump-swift: candump's command line, candump's output byte for byte, plus pcap and JSON.
@main
struct CandumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candump-swift",
        abstract: "Dump CAN bus traffic; candump-compatible output, faster (batched receive, buffered output).",
        discussion: """
        Up to 16 CAN interfaces with optional filter sets can be specified on the command line in the form \
        <ifname>[,filter]*. Filters: <can_id>:<can_mask> (matches when received_can_id & mask == can_id & mask), \
        <can_id>~<can_mask> (matches when they differ), #<error_mask> (error frame filter, see \
        include/linux/can/error.h), j|J (join the filters: logical AND). CAN ids, masks and data are hexadecimal; \
        an 8-digit id sets CAN_EFF_FLAG (29-bit). Without a filter all data frames are received ('0:0'). \
        Use interface name 'any' to receive from all CAN interfaces.

        Examples:
          candump-swift -c -c -ta can0,123:7FF,400:700,#000000FF can2,400~7F0 can3 can8
          candump-swift -l any,0~0,#FFFFFFFF      (log only error frames but no(!) data frames)
          candump-swift vcan2,12345678:DFFFFFFF   (match only for extended CAN ID 12345678)
          candump-swift --pcap trace.pcap vcan0   (also write a pcap file Wireshark and tshark read)
        """
    )

    @Option(name: .customShort("t", allowingJoined: true),
            help: ArgumentHelp("timestamp: (a)bsolute/(d)elta/(z)ero/(A)bsolute w date", valueName: "type"))
    var timestamp: String?

    @Flag(name: .customShort("H"), help: "read hardware timestamps instead of system timestamps")
    var hardwareTimestamps = false

    @Flag(name: .customShort("N"), help: "log nanosecond timestamps instead of microseconds")
    var nanoseconds = false

    @Flag(name: .customShort("c"), help: "increment color mode level")
    var color: Int

    @Flag(name: .customShort("i"), help: "binary output - may exceed 80 chars/line")
    var binary = false

    @Flag(name: .customShort("a"), help: "enable additional ASCII output")
    var ascii = false

    @Flag(name: .customShort("S"), help: "swap byte order in printed CAN data[] - marked with '`'")
    var swap = false

    @Option(name: .customShort("s", allowingJoined: true), help: ArgumentHelp("silent mode - 0: off (default) 1: animation 2: silent", valueName: "level"))
    var silent: Int?

    @Flag(name: .customShort("l"), help: "log CAN-frames into file. Sets '-s 2' by default")
    var logFile = false

    @Option(name: .customShort("f", allowingJoined: true), help: ArgumentHelp("log CAN-frames into file <fname>. Sets '-s 2' by default", valueName: "fname"))
    var logFileName: String?

    @Flag(name: .customShort("L"), help: "use log file format on stdout")
    var logFormat = false

    @Option(name: .customShort("n", allowingJoined: true), help: ArgumentHelp("terminate after reception of <count> CAN frames", valueName: "count"))
    var count: Int?

    @Option(name: .customShort("r", allowingJoined: true), help: ArgumentHelp("set socket receive buffer to <size> (default 8388608, forced past rmem_max when privileged)", valueName: "size"))
    var receiveBufferSize: Int?

    @Flag(name: .customShort("D"), help: "Don't exit if a \"detected\" can device goes down.")
    var keepRunningWhenDown = false

    @Flag(name: .customShort("d"), help: "monitor dropped CAN frames")
    var dropMonitor = false

    @Flag(name: .customShort("e"), help: "dump CAN error frames in human-readable format")
    var errorFrames = false

    @Flag(name: .customShort("8"), help: "display raw DLC values in {} for Classical CAN")
    var rawDLC = false

    @Flag(name: .customShort("x"), help: "print extra message infos, rx/tx [brs esi|sec rrs]")
    var extraInfo = false

    @Option(name: .customShort("T", allowingJoined: true), help: ArgumentHelp("terminate after <msecs> without any reception", valueName: "msecs"))
    var timeout: Int?

    @Option(name: .long, help: ArgumentHelp("most frames held in memory while the output is slower than the bus (default 262144); past it frames are counted, not kept", valueName: "frames"))
    var queue: Int?

    @Option(name: .long, help: ArgumentHelp("also write every frame to a pcap file (LINKTYPE_CAN_SOCKETCAN)", valueName: "file"))
    var pcap: String?

    @Flag(name: .long, help: "print one JSON object per frame instead of candump's text")
    var json = false

    @Option(name: .long, help: ArgumentHelp("decode frames with a DBC database, printed after each line as `cantools decode` prints them (repeatable: later files add messages)", valueName: "file"))
    var dbc: [String] = []

    @Flag(name: .long, help: "with --dbc: print the decoded message on the frame's line")
    var singleLine = false

    @Argument(help: "CAN interfaces with optional filters: <ifname>[,filter]*")
    var interfaces: [String] = []

    mutating func validate() throws {
        if let count, count < 1 { throw ValidationError("-n <count> must be at least 1 (got \(count))") }
        if let receiveBufferSize, receiveBufferSize < 1 {
            throw ValidationError("-r <size> must be at least 1 (got \(receiveBufferSize))")
        }
        if let queue, !(1...(1 << 26)).contains(queue) { throw ValidationError("--queue <frames> must be 1 to 67108864 (got \(queue))") }
        if let silent, !(0...2).contains(silent) { throw ValidationError("-s <level> must be 0, 1 or 2 (got \(silent))") }
        if let timeout, timeout < 0 { throw ValidationError("-T <msecs> must not be negative (got \(timeout))") }
        if interfaces.count > 16 { throw ValidationError("More than 16 CAN devices given on commandline!") }
    }

    func run() throws {
        guard !interfaces.isEmpty else {
            print(Self.helpMessage())
            return
        }
        let configuration = try makeConfiguration()
        let session: CandumpSession
        do {
            session = try CandumpSession(configuration: configuration)
        } catch {
            printError("candump-swift: \(error)")
            // Straight out, as candump does: ArgumentParser's error exit would build its help text first,
            // which is most of what a failed start costs (an error here was already printed).
            Glibc.exit(1)
        }
        let status = session.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// `--dbc` files merged in order; a file that does not load ends the run with its error (file, line, column).
    static func loadDatabases(_ paths: [String]) throws -> SignalDatabase {
        var database = SignalDatabase()
        for path in paths {
            do throws(DBCParseError) {
                database.merge(try SignalDatabase(contentsOfFile: path))
            } catch {
                printError("candump-swift: \(error)")
                throw ExitCode(1)
            }
        }
        return database
    }

    func makeConfiguration() throws -> CandumpConfiguration {
        var config = CandumpConfiguration()
        if let mode = timestamp {
            switch mode.first {
            case "a": config.output.timestamp = .absolute
            case "A": config.output.timestamp = .absoluteWithDate
            case "d": config.output.timestamp = .delta
            case "z": config.output.timestamp = .zero
            default: printError("candump-swift: unknown timestamp mode '\(mode.first.map(String.init) ?? "")' - ignored")
            }
        }
        config.hardwareTimestamps = hardwareTimestamps
        config.output.colorLevel = color
        config.output.binary = binary
        config.output.ascii = ascii
        config.output.swap = swap
        config.output.errorDecode = errorFrames
        config.output.extraInfo = extraInfo
        config.output.logFormat = logFormat
        config.output.rawDLC = rawDLC
        config.output.nanoseconds = nanoseconds
        // -f FILE logs as -l does, into FILE (master candump; -f wins over -l's dated name).
        config.logFile = logFile || logFileName != nil
        config.logFileName = logFileName
        config.count = count
        config.receiveBufferSize = receiveBufferSize
        config.queueLimit = queue
        config.exitWhenDown = !keepRunningWhenDown
        config.dropMonitor = dropMonitor
        config.idleTimeout = timeout.map { .milliseconds($0) }
        config.pcapPath = pcap
        config.json = json
        if !dbc.isEmpty { config.decoder = SignalDecoder(database: try Self.loadDatabases(dbc), singleLine: singleLine) }
        if logFormat && (binary || ascii || swap || errorFrames || rawDLC) {
            // 2020.11's words, or master's when -8 (which 2020.11 has not) is among them.
            printError("Log file format selected: Please disable ASCII/BINARY/SWAP\(rawDLC ? "/RAWDLC" : "") options!")
            throw ExitCode(0)
        }
        // "-f -" is "-L" (log format on stdout), decided after the check above as master does.
        if logFileName == "-" {
            config.logFile = false
            config.logFileName = nil
            config.output.logFormat = true
        }
        if let silent {
            config.silent = silent
        } else if config.logFile {
            printError("Disabled standard output while logging.")
            config.silent = 2
        }
        for argument in interfaces {
            do {
                config.interfaces.append(try CANInterfaceFilterSpec(parsing: argument))
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        return config
    }
}
