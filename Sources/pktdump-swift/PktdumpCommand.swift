import ArgumentParser
import PacketSocket
import SocketBase

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

    @Option(name: .customShort("i"), help: ArgumentHelp("capture on this interface ('any': every interface)", valueName: "interface"))
    var interface: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("exit after receiving this many packets", valueName: "count"))
    var count: Int?

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

    @Option(name: .customShort("s"), help: ArgumentHelp("snapshot length: bytes kept per packet (0: 262144)", valueName: "snaplen"))
    var snapLength: Int = 262_144

    @Option(name: .customShort("B"), help: ArgumentHelp("capture buffer size in KiB (sizes the ring as libpcap does; default 2048)", valueName: "buffer_size"))
    var bufferSize: Int = 2048

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

    @Argument(help: ArgumentHelp("filter expression (tcpdump syntax)", valueName: "expression"))
    var expression: [String] = []

    func validate() throws {
        // tcpdump's bounds and words: -c and -B are a C int, the snap length at most MAXIMUM_SNAPLEN (262144).
        if let count, count <= 0 { throw ValidationError("invalid packet count \(count)") }
        if !(0...262_144).contains(snapLength) {
            throw ValidationError("invalid snaplen \(snapLength) (must be >= 0 and <= 262144)")
        }
        if !(1...Int(Int32.max)).contains(bufferSize) { throw ValidationError("invalid packet buffer size \(bufferSize)") }
        if timestampPrecision != "micro" && timestampPrecision != "nano" {
            throw ValidationError("invalid time stamp precision '\(timestampPrecision)': use micro or nano")
        }
        if readFile != nil && interface != nil { throw ValidationError("-r and -i can't be used together") }
        if readFile == nil && interface == nil { throw ValidationError("no interface given: use -i INTERFACE (or -r FILE)") }
        _ = try printOptions()
    }

    func run() throws {
        var configuration = PktdumpConfiguration(
            interface: interface, count: count, writeFile: writeFile, readFile: readFile,
            linkLevelHeader: linkLevelHeader, promiscuous: !noPromiscuous,
            snapLength: snapLength == 0 ? 262_144 : snapLength, bufferBytes: bufferSize * 1024, useRing: !noRing,
            nanosecondFile: timestampPrecision == "nano", expression: expression.joined(separator: " "),
            rotation: try rotation.parsed(), pcapng: pcapng)
        configuration.printing = try printOptions()
        let status = PktdumpSession(configuration).run()
        if status != 0 { throw ExitCode(status) }
    }
}
