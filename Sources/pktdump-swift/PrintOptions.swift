import PacketSocket

/// How pktdump-swift prints each packet: tcpdump's `-q`, `-v`, `-x`/`-X`/`-A` (doubled: with the link-layer
/// header) and `-t` family.
struct PrintOptions {
    /// tcpdump `-q`.
    var quiet = false
    /// tcpdump `-v` (only the first level).
    var verbosity: PacketSummaryFormatter.Verbosity = .normal
    /// The bytes under each line, nil without `-x`, `-X` or `-A`.
    var dump: PacketHexDump?
    /// The start of each line.
    var timestamps: TimestampStyle = .localTime

    /// Whether tcpdump prints the bytes of a frame whose EtherType it does not know (its "default print",
    /// suppressed by `-q`, `-x` and `-X`, not by `-A`).
    var printsUnknownPayloads: Bool { !quiet && dump?.style != .hex && dump?.style != .hexAndASCII }

    /// The options tcpdump's flags ask for: counts of `-q`, `-v`, `-x`, `-X`, `-A` and `-t`, validated.
    /// - Throws: A message naming the flag when tcpdump 4.99.3 has no such level or this tool does not print it.
    init(quiet: Int, verbose: Int, hex: Int, hexAndASCII: Int, ascii: Int, timestamps: Int) throws(PrintOptionError) {
        guard quiet <= 1 else { throw PrintOptionError(message: "-qq is not supported (only -q)") }
        guard verbose <= 1 else { throw PrintOptionError(message: "-vv and more are not supported (only -v)") }
        guard let style = TimestampStyle(rawValue: timestamps) else {
            throw PrintOptionError(message: "only -t, -tt, -ttt, -tttt and -ttttt are supported")
        }
        self.quiet = quiet == 1
        self.verbosity = verbose == 1 ? .verbose : .normal
        self.timestamps = style
        // tcpdump's precedence: -X over -x over -A.
        if hexAndASCII > 0 {
            dump = PacketHexDump(style: .hexAndASCII, includesLinkLayerHeader: hexAndASCII > 1)
        } else if hex > 0 {
            dump = PacketHexDump(style: .hex, includesLinkLayerHeader: hex > 1)
        } else if ascii > 0 {
            dump = PacketHexDump(style: .ascii, includesLinkLayerHeader: ascii > 1)
        }
    }

    init() {}
}

/// A printing flag this tool refuses, with tcpdump's words where it has them.
struct PrintOptionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
