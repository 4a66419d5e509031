#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import ToolkitTestSupport

/// candump-swift against the installed can-utils candump (2020.11.0 in the VM): same traffic, same options,
/// byte-identical output.
extension CANBus {
@Suite("candump-swift vs candump (VM)", .needsCAN, .serialized)
struct CandumpComparisonTests {
    /// The traffic: a canplayer log with every kind of frame the formats distinguish.
    static let traffic: String = {
        var lines: [String] = []
        var t = 1_700_000_000
        func add(_ frame: String, _ interface: String = "vcan0") {
            t += 1
            lines.append("(\(t).000000) \(interface) \(frame)")
        }
        // Classic, standard ids, every length, printable and not.
        add("000#"); add("123#DE"); add("7FF#4142434445464748"); add("010#00FF7F20")
        add("123#0102030405060708"); add("321#48656C6C6F"); add("456#7E7F8081")
        // Remote requests.
        add("321#R"); add("7FF#R3"); add("100#R8")
        // Extended ids (switches candump to indented standard ids from here on).
        add("12345678#DEADBEEF"); add("1FFFFFFF#"); add("00000001#0102030405060708")
        add("123#112233"); add("18DAF110#R"); add("18DAF110#R4")
        // CAN FD: every valid length, each flag combination.
        for (i, n) in [0, 1, 7, 8, 12, 16, 20, 24, 32, 48, 64].enumerated() {
            let data = (0..<n).map { String(format2: UInt8(truncatingIfNeeded: $0 * 7 + i)) }.joined()
            add("\(i % 2 == 0 ? "456" : "12345600")##\(i % 4)\(data)")
        }
        // Error frames: arbitration, controller, protocol with locations, transceiver, counters, several classes.
        add("20000002#0500000000000000"); add("20000004#0004000000000000"); add("20000004#0030000000000000")
        add("20000008#000A080000000000"); add("20000008#0004020A00000000"); add("20000010#0000000007000000")
        add("20000020#0000000000000000"); add("20000040#0000000000000000"); add("20000080#0000000000005A3C")
        add("20000100#0000000000000000"); add("20000004#0000000000000102"); add("20000044#0010000000007F80")
        add("20000001#0000000000000000")
        // A second interface, for `any` (classic only: vcan1 has MTU 16).
        add("0AB#0102", "vcan1"); add("1ABCDEF0#", "vcan1")
        return lines.joined(separator: "\n") + "\n"
    }()

    static let frameCount = traffic.split(separator: "\n").count
    /// tshark registers every dissector before it reads a file: under TCG on a loaded machine that alone has
    /// taken over a minute.
    static let tsharkTimeout: Duration = .seconds(300)
    /// Error frames in the traffic (8-digit ids with CAN_ERR_FLAG): received only with an error mask.
    static let errorFrameCount = traffic.split(separator: "\n").filter { line in
        let frame = line.split(separator: " ")[2]
        return frame.count > 8 && frame[frame.index(frame.startIndex, offsetBy: 8)] == "#" && frame.hasPrefix("2")
    }.count

    /// Runs each option set through candump and candump-swift while the traffic plays once; returns both outputs.
    /// - Parameter expected: How many frames pass the filters: each tool stops after that many (`-n`; an `-n`
    ///   in the options wins). `nil`: each is stopped with SIGINT once the traffic has played.
    func compare(_ optionSets: [[String]], interfaces: [String] = ["vcan0,0:0,#FFFFFFFF"],
                 expected: Int? = frameCount - 2) throws -> [(options: [String], c: Subprocess, swift: Subprocess)] {
        try compare(optionSets.map { ($0, interfaces) }, expected: expected)
    }

    /// Like ``compare(_:interfaces:expected:)`` with interfaces (and filters) per run.
    func compare(_ sets: [(options: [String], interfaces: [String])], expected: Int?) throws -> [(options: [String], c: Subprocess, swift: Subprocess)] {
        let log = "/tmp/cantoolkit-traffic-\(getpid()).log"
        try writeFile(log, Self.traffic)
        defer { unlink(log) }
        var runs: [(options: [String], c: Subprocess, swift: Subprocess)] = []
        for (options, interfaces) in sets {
            // Without a count, SIGINT after the traffic: an idle timeout (-T) would run from each tool's start,
            // and under TCG starting every dumper of a set takes longer than any sensible timeout.
            let stop = expected.map { ["-n", String($0)] } ?? []
            let args = stop + options + interfaces
            let c = try Subprocess(["candump"] + args)
            let swift = try Subprocess([CANEnvironment.product("candump-swift")] + args)
            // Every dumper bound before the first frame.
            #expect(c.waitForSocket() && swift.waitForSocket(), "a dumper did not start: \(options + interfaces)")
            runs.append((options + interfaces, c, swift))
        }
        pause(.milliseconds(300))
        let player = try Subprocess(["canplayer", "-t", "-g", "2", "-I", log])
        #expect(player.wait() == 0)
        if expected == nil {
            pause(.milliseconds(1500))
            for run in runs { run.c.signal(SIGINT); run.swift.signal(SIGINT) }
        }
        for run in runs {
            #expect(run.c.wait() == 0, "candump \(run.options) failed: \(run.c.stderr)")
            #expect(run.swift.wait() == 0, "candump-swift \(run.options) failed: \(run.swift.stderr)")
        }
        return runs
    }

    func expectIdentical(_ runs: [(options: [String], c: Subprocess, swift: Subprocess)], allowEmpty: Bool = false,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        for run in runs {
            let expected = run.c.stdoutBytes
            let actual = run.swift.stdoutBytes
            #expect(allowEmpty || !expected.isEmpty, "candump \(run.options) printed nothing", sourceLocation: sourceLocation)
            let identical = actual == expected
            #expect(identical, "options \(run.options):\n\(firstDifference(expected, actual))", sourceLocation: sourceLocation)
        }
    }

    @Test("screen format: default, every timestamp mode, -x, -e, -a, -S, -i, colours, -H, -r, -d, -D, -s 1")
    func screenFormats() throws {
        let optionSets: [[String]] = [
            [], ["-ta"], ["-td"], ["-tz"], ["-tA"], ["-x"], ["-ta", "-x"], ["-e"], ["-a"], ["-S"], ["-a", "-S"],
            ["-i"], ["-i", "-S"], ["-c"], ["-c", "-c"], ["-c", "-c", "-c"], ["-c", "-c", "-c", "-ta"],
            ["-ta", "-x", "-e", "-a", "-c"], ["-e", "-a", "-S"],
            // vcan has no hardware clock: -H prints zero timestamps in both.
            ["-H", "-ta"], ["-r", "300000", "-ta"], ["-d", "-ta"], ["-D", "-ta"], ["-s", "1"],
        ]
        let runs = try compare(optionSets)
        expectIdentical(runs)
        // Sanity: the traffic really got through with the kinds we meant to cover.
        let plain = String(decoding: runs[0].c.stdoutBytes, as: UTF8.self)
        #expect(plain.split(separator: "\n").count >= Self.frameCount - 2)
        #expect(Self.errorFrameCount == 13)
        #expect(plain.contains("remote request") && plain.contains("ERRORFRAME") && plain.contains("[64]"))
    }

    @Test("log format (-L, -L -x), -n, and -s 2 (silent)")
    func logFormat() throws {
        let runs = try compare([["-L"], ["-L", "-x"], ["-L", "-n", "7"], ["-n", "3", "-ta"], ["-s", "2", "-ta"]])
        expectIdentical(Array(runs.dropLast()))
        #expect(runs.last!.c.stdout.isEmpty && runs.last!.swift.stdout.isEmpty, "-s 2 prints nothing")
    }

    @Test("filters: id/mask, inverted, extended, error mask, join")
    func filters() throws {
        let specs = [
            ["vcan0,123:7FF"], ["vcan0,123~7FF"], ["vcan0,12345678:1FFFFFFF"], ["vcan0,123:C00007FF"],
            ["vcan0,0~0,#FFFFFFFF"], ["vcan0,#00000004"], ["vcan0,100:700,400:700,j"], ["vcan0,0:0,#0000000C"],
            ["vcan0,300:F00,123:7FF"],
        ]
        let runs = try compare(specs.map { (["-L"], $0) }, expected: nil)
        expectIdentical(runs, allowEmpty: true) // two disjoint joined filters pass nothing, in both
        // The filters did filter: "123:7FF" passes the standard and extended frames with id bits 123 only.
        #expect(String(decoding: runs[0].c.stdoutBytes, as: UTF8.self).split(separator: "\n").count == 3)
    }

    @Test("any and several interfaces: the interface column widens as candump's does")
    func anyInterface() throws {
        expectIdentical(try compare([["-ta"], ["-L"], ["-c", "-c", "-c"]], interfaces: ["any,0:0,#FFFFFFFF"],
                                    expected: Self.frameCount))
        // With one socket per interface, candump takes one frame per socket per select() round, so how it
        // interleaves interfaces depends on scheduling; candump-swift writes them in kernel-timestamp order.
        // Compare the lines as sets, and check candump-swift's order.
        let runs = try compare([["-ta"], ["-L"]], interfaces: ["vcan1", "vcan0"],
                               expected: Self.frameCount - Self.errorFrameCount)
        for run in runs {
            let c = run.c.stdout.split(separator: "\n").sorted(), swift = run.swift.stdout.split(separator: "\n")
            // Screen lines depend on order too (standard ids are indented once an extended one was seen).
            if run.options.contains("-L") { #expect(swift.sorted() == c, "options \(run.options): different lines") }
            let stamps = swift.map { $0.drop { $0 != "(" }.prefix { $0 != ")" } }
            #expect(stamps == stamps.sorted(), "candump-swift \(run.options) out of timestamp order")
            #expect(swift.count == Self.frameCount - Self.errorFrameCount)
        }
    }

    @Test("-l writes the same log file candump writes, named candump-DATE_TIME.log")
    func logFile() throws {
        let base = "/tmp/cantoolkit-l-\(getpid())"
        let cDir = base + "-c", swiftDir = base + "-swift"
        for dir in [cDir, swiftDir] { mkdir(dir, 0o755) }
        defer { _ = try? Subprocess.run(["rm", "-rf", cDir, swiftDir]) }
        let log = "/tmp/cantoolkit-traffic-l-\(getpid()).log"
        try writeFile(log, Self.traffic)
        defer { unlink(log) }
        let count = String(Self.frameCount - 2)
        let c = try Subprocess(["candump", "-l", "-x", "-n", count, "vcan0,0:0,#FFFFFFFF"], directory: cDir)
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-l", "-x", "-n", count, "vcan0,0:0,#FFFFFFFF"], directory: swiftDir)
        #expect(c.waitForSocket() && swift.waitForSocket())
        pause(.milliseconds(300))
        #expect(try Subprocess.run(["canplayer", "-t", "-g", "2", "-I", log]).status == 0)
        #expect(c.wait() == 0 && swift.wait() == 0)
        let cFiles = try Subprocess.run(["ls", cDir]).stdout.split(separator: "\n")
        let swiftFiles = try Subprocess.run(["ls", swiftDir]).stdout.split(separator: "\n")
        #expect(cFiles.count == 1 && swiftFiles.count == 1)
        let name = String(swiftFiles.first ?? "")
        #expect(name.wholeMatch(of: /candump-\d{4}-\d{2}-\d{2}_\d{6}\.log/) != nil, "log file name \(name)")
        #expect(swift.stderr.contains("Disabled standard output while logging.\nEnabling Logfile '\(name)'\n"))
        #expect(swift.stdout.isEmpty)
        let cLog = Subprocess.readBytes("\(cDir)/\(cFiles.first ?? "")")
        let swiftLog = Subprocess.readBytes("\(swiftDir)/\(name)")
        #expect(!cLog.isEmpty)
        let identical = swiftLog == cLog
        #expect(identical, "\(firstDifference(cLog, swiftLog))")
    }

    @Test("SIGINT, SIGTERM and SIGHUP end the capture with everything written, pcap complete")
    func signals() throws {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            let pcap = "/tmp/cantoolkit-\(getpid())-\(signal).pcap"
            defer { unlink(pcap) }
            let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-L", "--pcap", pcap, "vcan0"])
            #expect(swift.waitForSocket())
            pause(.milliseconds(200))
            for i in 0..<20 {
                #expect(try Subprocess.run(["cansend", "vcan0", "1\(String(i % 10))0#\(String(repeating: "AB", count: i % 9))"]).status == 0)
            }
            pause(.milliseconds(300))
            swift.signal(signal)
            #expect(swift.wait() == 0)
            #expect(swift.stdout.split(separator: "\n").count == 20)
            #expect(swift.stderr.contains("20 frames received, 0 dropped by the kernel"))
            let tshark = try Subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-e", "can.id"], timeout: Self.tsharkTimeout)
            #expect(tshark.status == 0, "tshark: \(tshark.stderr)")
            #expect(tshark.stdout.split(separator: "\n").count == 20, "tshark read \(tshark.stdout)")
        }
    }

    @Test("--pcap records equal what tcpdump captures on the same interface")
    func pcapMatchesTcpdump() throws {
        let ours = "/tmp/cantoolkit-ours-\(getpid()).pcap", theirs = "/tmp/cantoolkit-tcpdump-\(getpid()).pcap"
        defer { unlink(ours); unlink(theirs) }
        let tcpdump = try Subprocess(["tcpdump", "-i", "vcan0", "-w", theirs, "-c", "6", "-U"])
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-s", "2", "-n", "6", "--pcap", ours, "vcan0"])
        #expect(swift.waitForSocket() && tcpdump.waitForSocket())
        pause(.milliseconds(1000)) // tcpdump activates its capture after opening the socket
        for frame in ["123#DEADBEEF", "12345678#0102", "321#R2", "456##1AABBCCDDEEFF0011", "7FF#", "00000042##300"] {
            #expect(try Subprocess.run(["cansend", "vcan0", frame]).status == 0)
        }
        #expect(swift.wait() == 0)
        #expect(tcpdump.wait() == 0, "tcpdump: \(tcpdump.stderr)")
        let ourRecords = pcapRecords(ours), tcpdumpRecords = pcapRecords(theirs)
        #expect(ourRecords.linkType == 227 && tcpdumpRecords.linkType == 227)
        #expect(ourRecords.records.count == 6 && tcpdumpRecords.records.count == 6)
        for (mine, theirs) in zip(ourRecords.records, tcpdumpRecords.records) {
            #expect(mine.count == theirs.count)
            // One deliberate difference: libpcap zeroes an FD frame's flags byte (losing BRS/ESI, and tshark
            // then decodes the frame as classic CAN); candump-swift keeps the kernel's flags.
            var masked = mine
            if mine.count == 72 { masked[5] = theirs[5]; #expect(mine[5] & 0x04 != 0, "FDF kept") }
            #expect(masked == theirs, "record \(mine.hexDump) vs tcpdump's \(theirs.hexDump)")
        }
        let decoded = try Subprocess.run(["tshark", "-r", ours, "-T", "fields", "-e", "can.id", "-e", "can.len", "-e", "data.data"],
                                         timeout: Self.tsharkTimeout)
        #expect(decoded.stdout == "291\t4\tdeadbeef\n305419896\t2\t0102\n801\t2\t0000\n1110\t8\taabbccddeeff0011\n2047\t0\t\n66\t1\t00\n",
                "tshark read: \(decoded.stdout)")
    }

    @Test("--json: one object per frame with the frame's fields")
    func json() throws {
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "--json", "-n", "3", "vcan0"])
        #expect(swift.waitForSocket())
        pause(.milliseconds(200))
        for frame in ["123#DEADBEEF", "12345678#R", "456##3AABB"] {
            #expect(try Subprocess.run(["cansend", "vcan0", frame]).status == 0)
        }
        #expect(swift.wait() == 0)
        let check = """
        import json, sys
        rows = [json.loads(line) for line in sys.stdin]
        assert len(rows) == 3, rows
        assert rows[0]["id"] == "123" and rows[0]["data"] == "DEADBEEF" and rows[0]["len"] == 4 and not rows[0]["extended"]
        assert rows[1]["id"] == "12345678" and rows[1]["extended"] and rows[1]["remote"]
        assert rows[2]["fd"] and rows[2]["brs"] and rows[2]["esi"] and rows[2]["data"] == "AABB"
        assert all(r["interface"] == "vcan0" and r["direction"] == "tx" for r in rows)
        """
        let path = "/tmp/cantoolkit-json-\(getpid()).txt"
        try writeFile(path, swift.stdout)
        defer { unlink(path) }
        let result = try Subprocess.run(["/bin/sh", "-c", "python3 -c '\(check)' < \(path)"])
        #expect(result.status == 0, "\(swift.stdout)\n\(result.stderr)")
    }

    @Test("bad options and filters: a clear message and a non-zero exit")
    func badInput() throws {
        let bin = CANEnvironment.product("candump-swift")
        let unknown = try Subprocess.run([bin, "-q", "vcan0"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Unknown option '-q'") && unknown.stderr.contains("Usage"))
        let filter = try Subprocess.run([bin, "vcan0,12x:7FF"])
        #expect(filter.status == 1 && filter.stderr.contains("Error in filter option parsing: '12x:7FF'"))
        let missing = try Subprocess.run([bin, "vcan9"])
        #expect(missing.status == 1 && missing.stderr.contains("if_nametoindex(vcan9): No such device"))
        let count = try Subprocess.run([bin, "-n", "0", "vcan0"])
        #expect(count.status != 0 && count.stderr.contains("-n <count> must be at least 1"))
    }

    @Test("the interface going away ends both tools the same way, output complete")
    func interfaceRemoved() throws {
        #expect(try Subprocess.run(["ip", "link", "add", "dev", "vcangone", "type", "vcan"]).status == 0)
        #expect(try Subprocess.run(["ip", "link", "set", "up", "vcangone"]).status == 0)
        let c = try Subprocess(["candump", "-L", "vcangone"])
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-L", "vcangone"])
        #expect(c.waitForSocket() && swift.waitForSocket())
        pause(.milliseconds(200))
        for i in 0..<5 { #expect(try Subprocess.run(["cansend", "vcangone", "00\(i)#0\(i)"]).status == 0) }
        pause(.milliseconds(300))
        #expect(try Subprocess.run(["ip", "link", "del", "vcangone"]).status == 0)
        let cStatus = c.wait(), swiftStatus = swift.wait()
        #expect(swiftStatus == cStatus, "candump exited \(cStatus), candump-swift \(swiftStatus)")
        #expect(swift.stdout == c.stdout)
        #expect(swift.stdout.split(separator: "\n").count == 5)
    }
}
}

/// Where two outputs first differ, for a readable failure.
func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
    let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(e.count, a.count) {
        let x = i < e.count ? String(e[i]) : "<none>", y = i < a.count ? String(a[i]) : "<none>"
        if x != y { return "line \(i + 1):\n  candump:       \(x.debugDescription)\n  candump-swift: \(y.debugDescription)" }
    }
    return "identical"
}

func writeFile(_ path: String, _ text: String) throws { try PackageFiles.write(text, to: path) }

extension String {
    /// Two uppercase hex digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789ABCDEF")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}

/// The link type and records of a classic pcap file.
func pcapRecords(_ path: String) -> (linkType: UInt32, records: [[UInt8]]) {
    let data = Subprocess.readBytes(path)
    guard data.count >= 24 else { return (0, []) }
    func u32(_ offset: Int) -> UInt32 { data[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    var records: [[UInt8]] = []
    var offset = 24
    while offset + 16 <= data.count {
        let length = Int(u32(offset + 8))
        offset += 16
        guard offset + length <= data.count else { break }
        records.append(Array(data[offset..<offset + length]))
        offset += length
    }
    return (u32(20), records)
}

extension Array where Element == UInt8 {
    var hexDump: String { map { String(format2: $0) }.joined() }
}
