import ArgumentParser
import PacketSocket
import SocketBase
import ToolCommandLine

/// pktdump-swift: a small tcpdump on the toolkit's own AF_PACKET socket and TPACKET_V3 ring.
@main
struct PktdumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pktdump-swift",
        abstract: "Capture Ethernet frames (AF_PACKET, TPACKET_V3 ring) into pcap files or one line per packet, like tcpdump.",
        discussion: """
        The filter expression (the remaining arguments, joined by spaces) is tcpdump's syntax, compiled by libpcap \
        into classic BPF and attached to the socket; capture itself is the toolkit's own.

        Examples:
          pktdump-swift -i veth0 -c 10
          pktdump-swift -i eth0 -w trace.pcap udp port 53
          pktdump-swift -r trace.pcap -e
        """
    )

    /// Usage errors exit 1 with the usage, as tcpdump's do (ArgumentParser's status would be 64).
    static func main() { runAsTool(named: "pktdump-swift") }

    @Option(name: .customShort("i"), help: ArgumentHelp("capture on this interface ('any': every interface)", valueName: "interface"))
    var interface: String?

    // -c, -s and -B are read as tcpdump reads them (PktdumpNumericOption): any text, "-1" included, so that a
    // value tcpdump refuses gets tcpdump's message instead of the parser's "missing value".
    @Option(name: .customShort("c"), parsing: .unconditional, help: ArgumentHelp("exit after receiving this many packets", valueName: "count"))
    var countText: String?

    @Option(name: .customShort("w"), help: ArgumentHelp("write the packets to a pcap file instead of printing them", valueName: "file"))
    var writeFile: String?

    @Option(name: .customShort("r"), help: ArgumentHelp("read packets from a pcap or pcapng file instead of capturing", valueName: "file"))
    var readFile: String?

    @Flag(name: .customShort("e"), help: "print the link-level header on each line")
    var linkLevelHeader = false

    @Flag(name: .customShort("n"), help: "don't convert addresses to names (the only mode; accepted for tcpdump's habit)")
    var numeric = false

    @Flag(name: .customShort("p"), help: "don't put the interface into promiscuous mode")
    var noPromiscuous = false

    @Option(name: .customShort("s"), parsing: .unconditional, help: ArgumentHelp("snapshot length: bytes kept per packet (0: 262144)", valueName: "snaplen"))
    var snapLengthText: String = "262144"

    @Option(name: .customShort("B"), parsing: .unconditional, help: ArgumentHelp("capture buffer size in KiB (sizes the ring as libpcap does; default 2048)", valueName: "buffer_size"))
    var bufferSizeText: String = "2048"

    @Option(name: [.customShort("Q"), .customLong("direction")], help: ArgumentHelp("capture only packets received (in), sent (out) or both (inout, the default)", valueName: "in|out|inout"))
    var directionText: String?

    @Flag(name: .customShort("l"), help: "line-buffered output: write each line as it is printed")
    var lineBuffered = false

    @Flag(name: .customShort("U"), help: "packet-buffered -w: write each packet to the file as it is captured")
    var packetBuffered = false

    @Flag(name: [.customShort("D"), .customLong("list-interfaces")], help: "list the interfaces pktdump-swift can capture on, as tcpdump -D")
    var listInterfaces = false

    @Flag(name: .customLong("immediate-mode"), help: "hand each packet over as it arrives (one recvmmsg per wakeup, no TPACKET_V3 block buffering)")
    var immediateMode = false

    @Flag(name: .long, help: "receive with recvmmsg instead of the TPACKET_V3 ring")
    var noRing = false

    @OptionGroup var rotation: RotationOptions

    @Flag(name: .customLong("pcapng"), help: "write -w files as pcapng (an IDB with the interface's name, EPBs with the direction flags)")
    var pcapng = false

    @Option(name: .customLong("time-stamp-precision"), help: ArgumentHelp("pcap timestamp precision for -w: micro or nano", valueName: "precision"))
    var timestampPrecision: String = "micro"

    // Printing (tcpdump's letters; see PrintOptions).
    @Flag(name: .customShort("q"), help: "quiet: less protocol information per line")
    var quiet: Int
    @Flag(name: .customShort("v"), help: "verbose: IP header fields and checksums (one level)")
    var verbose: Int
    @Flag(name: .customShort("x"), help: "print each packet in hex after its line (-xx: with the link-level header)")
    var hexDump: Int
    @Flag(name: .customShort("X"), help: "print each packet in hex and ASCII after its line (-XX: with the link-level header)")
    var hexAndASCIIDump: Int
    @Flag(name: .customShort("A"), help: "print each packet in ASCII after its line")
    var asciiDump: Int
    @Flag(name: .customShort("t"), help: "-t: no timestamp; -tt: seconds since 1970; -ttt: delta to the previous packet; -tttt: date and time; -ttttt: delta to the first packet")
    var timestampLevel: Int

    func printOptions() throws -> PrintOptions {
        do {
            return try PrintOptions(quiet: quiet, verbose: verbose, hex: hexDump, hexAndASCII: hexAndASCIIDump, ascii: asciiDump,
                                    timestamps: timestampLevel)
        } catch { throw ValidationError(error.message) }
    }

    @Option(name: .customLong("threads"), help: ArgumentHelp("capture with this many rings in one PACKET_FANOUT group, each drained by its own thread", valueName: "count"))
    var threads: Int = 1

    @Option(name: .customLong("fanout"), help: ArgumentHelp("how --threads spreads packets: hash (per flow), cpu or lb (round robin)", valueName: "mode"))
    var fanout: FanoutModeArgument = .hash

    @Flag(name: .customLong("file-per-thread"), help: "with --threads and -w FILE: each ring writes FILE.0, FILE.1, … instead of one file in timestamp order")
    var filePerThread = false

    @Argument(help: ArgumentHelp("filter expression (tcpdump syntax)", valueName: "expression"))
    var expression: [String] = []

    var count: Int? { countText.map { PktdumpNumericOption.atoi($0) } }
    var snapLength: Int { PktdumpNumericOption.strtol(snapLengthText) ?? -1 }
    var bufferSize: Int { PktdumpNumericOption.atoi(bufferSizeText) }
    var direction: PktdumpDirection { directionText.flatMap(PktdumpDirection.init(rawValue:)) ?? .inout }

    func validate() throws {
        // tcpdump's bounds and words: -c and -B are a C int, the snap length at most MAXIMUM_SNAPLEN (262144).
        // Refused as tcpdump refuses them: its message after the tool's name, exit status 1.
        if let countText, let count, count <= 0 { try PktdumpNumericOption.refuse("invalid packet count \(countText)") }
        if !(0...262_144).contains(snapLength) {
            try PktdumpNumericOption.refuse("invalid snaplen \(snapLengthText) (must be >= 0 and <= 262144)")
        }
        if !(1...Int(Int32.max)).contains(bufferSize) { try PktdumpNumericOption.refuse("invalid packet buffer size \(bufferSizeText)") }
        if let directionText, PktdumpDirection(rawValue: directionText) == nil {
            try PktdumpNumericOption.refuse("unknown capture direction `\(directionText)'")
        }
        if timestampPrecision != "micro" && timestampPrecision != "nano" {
            throw ValidationError("invalid time stamp precision '\(timestampPrecision)': use micro or nano")
        }
        if readFile != nil && interface != nil { throw ValidationError("-r and -i can't be used together") }
        if readFile == nil && interface == nil && !listInterfaces { throw ValidationError("no interface given: use -i INTERFACE (or -r FILE)") }
        _ = try printOptions()
        try validateThreads()
    }

    func run() throws {
        if listInterfaces { return try PktdumpDeviceList.print() }
        var configuration = PktdumpConfiguration(
            interface: interface, count: count, writeFile: writeFile, readFile: readFile,
            linkLevelHeader: linkLevelHeader, promiscuous: !noPromiscuous,
            snapLength: snapLength == 0 ? 262_144 : snapLength, bufferBytes: bufferSize * 1024, useRing: !noRing,
            nanosecondFile: timestampPrecision == "nano", expression: expression.joined(separator: " "),
            rotation: try rotation.parsed(), pcapng: pcapng,
            direction: direction, lineBuffered: lineBuffered, packetBuffered: packetBuffered, immediate: immediateMode,
            threads: threads, fanoutMode: fanout.mode, filePerThread: filePerThread)
        configuration.printing = try printOptions()
        let status = PktdumpSession(configuration).run()
        if status != 0 { throw ExitCode(status) }
    }
}
