import Testing
import ToolkitTestSupport

/// candump-swift's hand-written command line (CandumpArguments) against candump 2020.11's getopt, on the host:
/// each case stops before any socket is opened, so no CAN is needed.
@Suite("CandumpArguments")
struct CandumpArgumentsTests {
    static let swift = PackageFiles.product("candump-swift")

    /// Clusters, permuted options and the device limit: the same stderr and status as candump's.
    @Test("clustered and permuted options as candump's getopt takes them", arguments: [
        ["-L", "-a", "vcan0"], ["-La", "vcan0"], ["vcan0", "-L", "-S"], ["-Lcci", "vcan0"], ["-tz", "-L", "-e", "vcan0"],
        ["-t", "a", "-L", "-x", "-i", "vcan0"], (1...17).map { "v\($0)" },
    ])
    func sameAsCandump(_ arguments: [String]) throws {
        let c = try Subprocess.run(["candump"] + arguments)
        let swift = try Subprocess.run([Self.swift] + arguments)
        #expect(swift.stderr == c.stderr, "\(arguments)")
        #expect(swift.status == c.status, "\(arguments)")
        #expect(!c.stderr.isEmpty, "candump refused \(arguments) before opening a socket")
    }

    @Test("bad options and values: what was wrong, a usage line, exit status 1", arguments: [
        (["-q", "vcan0"], "Unknown option '-q'"),
        (["--frobnicate", "vcan0"], "Unknown option '--frobnicate'"),
        (["vcan0", "-n"], "Missing value for '-n <count>'"),
        (["-n", "0", "vcan0"], "-n <count> must be at least 1 (got 0)"),
        (["-n", "-5", "vcan0"], "-n <count> must be at least 1 (got -5)"),
        (["-nabc", "vcan0"], "-n <count>: 'abc' is not a number"),
        (["-s3", "vcan0"], "-s <level> must be 0, 1 or 2 (got 3)"),
        (["-r", "99999999999", "vcan0"], "-r <size> must be 1 to 2147483647 (got 99999999999)"),
        (["-T", "-1", "vcan0"], "-T <msecs> must be 0 to 2147483647 (got -1)"),
        (["--queue=0", "vcan0"], "--queue <frames> must be 1 to 67108864 (got 0)"),
        (["--queue", "99999999999999999999", "vcan0"], "--queue <frames>: '99999999999999999999' is not a number"),
        (["--json=yes", "vcan0"], "'--json' takes no value"),
        (["--pcap"], "Missing value for '--pcap <file>'"),
    ])
    func refused(_ arguments: [String], _ message: String) throws {
        let run = try Subprocess.run([Self.swift] + arguments)
        #expect(run.status == 1, "\(arguments)")
        #expect(run.stderr == "candump-swift: \(message)\nUsage: candump-swift [options] <CAN interface>+ (-h for the options)\n")
        #expect(run.stdout.isEmpty)
    }

    @Test("values reach the run: long options with = or a separate value, -- ends the options")
    func valuesApplied() throws {
        // Each run fails at the missing interface, after its options were taken: the message proves what was parsed.
        let dbc = try Subprocess.run([Self.swift, "--dbc=/nonexistent.dbc", "nosuch0"])
        #expect(dbc.status == 1 && dbc.stderr.hasPrefix("candump-swift: /nonexistent.dbc"), "\(dbc.stderr)")
        let separate = try Subprocess.run([Self.swift, "--dbc", "/nonexistent.dbc", "nosuch0"])
        #expect(separate.stderr == dbc.stderr)
        let ended = try Subprocess.run([Self.swift, "--", "-L"])
        #expect(ended.status == 1 && ended.stderr.contains("-L"), "'-L' after -- is an interface: \(ended.stderr)")
        let timestamp = try Subprocess.run([Self.swift, "-tq", "nosuch0"])
        #expect(timestamp.stderr.hasPrefix("candump-swift: unknown timestamp mode 'q' - ignored\n"))
    }

    @Test("-h, --help and no interface print the usage on stdout and exit 0")
    func help() throws {
        for arguments in [["-h"], ["--help"], [], ["-h", "vcan0"]] {
            let run = try Subprocess.run([Self.swift] + arguments)
            #expect(run.status == 0 && run.stderr.isEmpty, "\(arguments)")
            #expect(run.stdout.hasPrefix("candump-swift - dump CAN bus traffic"))
            for option in ["-t <type>", "-8 ", "-N ", "-f <fname>", "-r <size>", "default 8388608", "--queue <frames>", "--pcap <file>",
                           "--json", "--dbc <file>", "--single-line"] {
                #expect(run.stdout.contains(option), "\(option) in the usage")
            }
        }
    }
}
