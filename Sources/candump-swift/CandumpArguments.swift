/// candump-swift's command line, parsed as candump's `getopt` parses candump's.
///
/// candump takes clustered short options (`-cae`), joined or separate values (`-ta`, `-t a`, `-s2`), counted flags
/// (`-cc`) and options after the interfaces (GNU getopt permutes them). candump-swift adds long options
/// (`--pcap FILE` or `--pcap=FILE`). This is a small hand-written parser rather than swift-argument-parser, which
/// costs most of a start (issue 9: reflecting over the command's properties scans the runtime's conformance records
/// and pulls in Foundation; README, Benchmarks).
struct CandumpArguments: Equatable {
    var timestamp: Character?
    var hardwareTimestamps = false
    var nanoseconds = false
    var color = 0
    var binary = false
    var ascii = false
    var swap = false
    var silent: Int?
    var logFile = false
    var logFileName: String?
    var logFormat = false
    var count: Int?
    var receiveBufferSize: Int?
    var keepRunningWhenDown = false
    var dropMonitor = false
    var errorFrames = false
    var rawDLC = false
    var extraInfo = false
    var timeout: Int?
    var queue: Int?
    var pcap: String?
    var json = false
    var dbc: [String] = []
    var singleLine = false
    var help = false
    var interfaces: [String] = []

    /// What was wrong with the command line, in words for stderr.
    struct UsageError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// A short option that takes a value, a short flag, or a long option.
    private enum Key {
        case flag(WritableKeyPath<CandumpArguments, Bool>)
        case counted(WritableKeyPath<CandumpArguments, Int>)
        case value(String, (inout CandumpArguments, String) throws(UsageError) -> Void)
    }

    private static func short(_ letter: Character) -> Key? {
        switch letter {
        case "t": .value("-t <type>") { arguments, text in arguments.timestamp = text.first }
        case "H": .flag(\.hardwareTimestamps)
        case "N": .flag(\.nanoseconds)
        case "c": .counted(\.color)
        case "i": .flag(\.binary)
        case "a": .flag(\.ascii)
        case "S": .flag(\.swap)
        case "s": .value("-s <level>") { arguments, text throws(UsageError) in
            arguments.silent = try number(text, "-s <level>", in: 0...2, "must be 0, 1 or 2")
        }
        case "l": .flag(\.logFile)
        case "f": .value("-f <fname>") { arguments, text in arguments.logFileName = text }
        case "L": .flag(\.logFormat)
        case "n": .value("-n <count>") { arguments, text throws(UsageError) in
            arguments.count = try number(text, "-n <count>", in: 1...Int.max, "must be at least 1")
        }
        case "r": .value("-r <size>") { arguments, text throws(UsageError) in
            arguments.receiveBufferSize = try number(text, "-r <size>", in: 1...Int(Int32.max), "must be 1 to 2147483647")
        }
        case "D": .flag(\.keepRunningWhenDown)
        case "d": .flag(\.dropMonitor)
        case "e": .flag(\.errorFrames)
        case "8": .flag(\.rawDLC)
        case "x": .flag(\.extraInfo)
        case "T": .value("-T <msecs>") { arguments, text throws(UsageError) in
            arguments.timeout = try number(text, "-T <msecs>", in: 0...Int(Int32.max), "must be 0 to 2147483647")
        }
        case "h", "?": .flag(\.help)
        default: nil
        }
    }

    private static func long(_ name: Substring) -> Key? {
        switch name {
        case "queue": .value("--queue <frames>") { arguments, text throws(UsageError) in
            arguments.queue = try number(text, "--queue <frames>", in: 1...(1 << 26), "must be 1 to 67108864")
        }
        case "pcap": .value("--pcap <file>") { arguments, text in arguments.pcap = text }
        case "json": .flag(\.json)
        case "dbc": .value("--dbc <file>") { arguments, text in arguments.dbc.append(text) }
        case "single-line": .flag(\.singleLine)
        case "help": .flag(\.help)
        default: nil
        }
    }

    private static func number(_ text: String, _ option: String, in range: ClosedRange<Int>, _ rule: String) throws(UsageError) -> Int {
        guard let value = Int(text) else { throw UsageError(description: "\(option): '\(text)' is not a number") }
        guard range.contains(value) else { throw UsageError(description: "\(option) \(rule) (got \(value))") }
        return value
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: `UsageError` naming the option and what was wrong with it.
    init(parsing arguments: [String]) throws(UsageError) {
        var index = arguments.startIndex
        /// The next argument as an option's value, or an error naming the option.
        func separateValue(_ option: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.endIndex else { throw UsageError(description: "Missing value for '\(option)'") }
            return arguments[index]
        }
        func apply(_ key: Key, value: String?, option: String) throws(UsageError) {
            switch key {
            case let .flag(path):
                guard value == nil else { throw UsageError(description: "'\(option)' takes no value") }
                self[keyPath: path] = true
            case let .counted(path): self[keyPath: path] += 1
            case let .value(name, set):
                let text: String
                if let value { text = value } else { text = try separateValue(name) }
                try set(&self, text)
            }
        }
        var optionsEnded = false
        while index < arguments.endIndex {
            let argument = arguments[index]
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                interfaces.append(argument)
            } else if argument == "--" {
                optionsEnded = true
            } else if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = body.prefix { $0 != "=" }
                guard let key = Self.long(name) else { throw UsageError(description: "Unknown option '--\(name)'") }
                let value = name.endIndex < body.endIndex ? String(body[body.index(after: name.endIndex)...]) : nil
                try apply(key, value: value, option: "--\(name)")
            } else {
                var letters = argument.dropFirst()
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    guard let key = Self.short(letter) else { throw UsageError(description: "Unknown option '-\(letter)'") }
                    if case .value = key {
                        try apply(key, value: letters.isEmpty ? nil : String(letters), option: "-\(letter)")
                        break
                    }
                    try apply(key, value: nil, option: "-\(letter)")
                }
            }
            index += 1
        }
    }

    /// The text of `-h`: candump's usage, with candump-swift's additions.
    static func usage(program: String = "candump-swift") -> String {
        """
        \(program) - dump CAN bus traffic: candump's output byte for byte, batched receive, buffered output.

        Usage: \(program) [options] <CAN interface>+
          (use CTRL-C to terminate \(program))

        Options:
                 -t <type>   (timestamp: (a)bsolute/(d)elta/(z)ero/(A)bsolute w date)
                 -H          (read hardware timestamps instead of system timestamps)
                 -N          (log nanosecond timestamps instead of microseconds)
                 -c          (increment color mode level)
                 -i          (binary output - may exceed 80 chars/line)
                 -a          (enable additional ASCII output)
                 -S          (swap byte order in printed CAN data[] - marked with '`' )
                 -s <level>  (silent mode - 0: off (default) 1: animation 2: silent)
                 -l          (log CAN-frames into file. Sets '-s 2' by default)
                 -f <fname>  (log CAN-frames into file <fname>. Sets '-s 2' by default)
                 -L          (use log file format on stdout)
                 -n <count>  (terminate after reception of <count> CAN frames)
                 -r <size>   (set socket receive buffer to <size>; default 8388608, forced past rmem_max when privileged)
                 -D          (Don't exit if a "detected" can device goes down.
                 -d          (monitor dropped CAN frames)
                 -e          (dump CAN error frames in human-readable format)
                 -8          (display raw DLC values in {} for Classical CAN)
                 -x          (print extra message infos, rx/tx [brs esi|sec rrs])
                 -T <msecs>  (terminate after <msecs> without any reception)
                 --queue <frames>  (most frames held in memory while the output is slower than the bus;
                                    default 262144; past it frames are counted, not kept)
                 --pcap <file>     (also write every frame to a pcap file, LINKTYPE_CAN_SOCKETCAN)
                 --json            (print one JSON object per frame instead of candump's text)
                 --dbc <file>      (decode frames with a DBC database, printed after each line as
                                    `cantools decode` prints them; repeatable: later files add messages)
                 --single-line     (with --dbc: print the decoded message on the frame's line)

        Up to 16 CAN interfaces with optional filter sets can be specified
        on the commandline in the form: <ifname>[,filter]*

        Filters:
         <can_id>:<can_mask>
                 (matches when <received_can_id> & mask == can_id & mask)
         <can_id>~<can_mask>
                 (matches when <received_can_id> & mask != can_id & mask)
         #<error_mask>
                 (set error frame filter, see include/linux/can/error.h)
         [j|J]
                 (join the given CAN filters - logical AND semantic)

        CAN IDs, masks and data content are given and expected in hexadecimal values.
        When the can_id is 8 digits long the CAN_EFF_FLAG is set for 29 bit EFF format.
        Without any given filter all data frames are received ('0:0' default filter).

        Use interface name 'any' to receive from all CAN interfaces.

        Examples:
        \(program) -c -c -ta can0,123:7FF,400:700,#000000FF can2,400~7F0 can3 can8

        \(program) -l any,0~0,#FFFFFFFF
                 (log only error frames but no(!) data frames)
        \(program) -l any,0:0,#FFFFFFFF
                 (log error frames and also all data frames)
        \(program) vcan2,12345678:DFFFFFFF
                 (match only for extended CAN ID 12345678)
        \(program) vcan2,123:7FF
                 (matches CAN ID 123 - including EFF and RTR frames)
        \(program) vcan2,123:C00007FF
                 (matches CAN ID 123 - only SFF and non-RTR frames)
        \(program) --pcap trace.pcap vcan0
                 (also write a pcap file Wireshark and tshark read)

        """
    }
}
