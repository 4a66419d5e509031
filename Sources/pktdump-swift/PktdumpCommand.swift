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

    @Option(name: .customShort("r"), help: ArgumentHelp("read packets from a pcap file instead of capturing", valueName: "file"))
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

    @Option(name: .customLong("time-stamp-precision"), help: ArgumentHelp("pcap timestamp precision for -w: micro or nano", valueName: "precision"))
    var timestampPrecision: String = "micro"

    @Option(name: .customLong("threads"), help: ArgumentHelp("capture with this many rings in one PACKET_FANOUT group, each drained by its own thread", valueName: "count"))
    var threads: Int = 1

    @Option(name: .customLong("fanout"), help: ArgumentHelp("how --threads spreads packets: hash (per flow), cpu or lb (round robin)", valueName: "mode"))
    var fanout: FanoutModeArgument = .hash

    @Flag(name: .customLong("file-per-thread"), help: "with --threads and -w FILE: each ring writes FILE.0, FILE.1, … instead of one file in timestamp order")
    var filePerThread = false

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
        try validateThreads()
    }

    func run() throws {
        let configuration = PktdumpConfiguration(
            interface: interface, count: count, writeFile: writeFile, readFile: readFile,
            linkLevelHeader: linkLevelHeader, promiscuous: !noPromiscuous,
            snapLength: snapLength == 0 ? 262_144 : snapLength, bufferBytes: bufferSize * 1024, useRing: !noRing,
            nanosecondFile: timestampPrecision == "nano", expression: expression.joined(separator: " "),
            threads: threads, fanoutMode: fanout.mode, filePerThread: filePerThread)
        let status = PktdumpSession(configuration).run()
        if status != 0 { throw ExitCode(status) }
    }
}
