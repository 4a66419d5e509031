#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport

/// `candump-swift --dbc` on vcan against the reference: candump's own output of the same traffic piped through
/// `cantools decode` (PyPI cantools, pinned by scripts/lib/install-python-deps), byte for byte.
extension CANBus {
@Suite("candump-swift --dbc vs candump | cantools decode (VM)", .needsCAN, .serialized)
struct CandumpDBCTests {
    static let fixtures: String = {
        var path = #filePath
        path = String(path[..<path.lastIndex(of: "/")!])
        return path + "/Fixtures"
    }()
    static let live = fixtures + "/live.dbc"
    /// The DBC module's hand-written corners (multiplexing, floats, 64-bit, extended ids, FD): the second --dbc.
    static let corners = CANEnvironment.packageRoot + "/Tests/CANDatabaseTests/Fixtures/corners.dbc"

    /// The interpreter that has cantools: the host's, which scripts/vm passes in (the VM's own python3 sees
    /// none of the host's site-packages).
    static let python = getenv("CANTOOLKIT_PYTHON").map { String(cString: $0) } ?? "python3"

    /// Frames for both databases' messages, every kind the output distinguishes: value names and plain
    /// numbers, units, fractional scaling, a float, signed values, Motorola order, multiplexer pages and a
    /// page that selects nothing, an extended id, CAN FD, a wrong length, a remote request to a known id, and
    /// ids in neither database.
    static let frames = [
        "100#D20403A5C8FF1234", "100#0000000000000000", "100#FFFF07FFFFFF0080", "100#1027016400E0FFFF",
        "100#1122", "100#R", "0CF00CFE#E8030100", "0CF00CFE#FFFFF1FF", "0CF00CFE#00000000",
        "500##10000C842CFBFF804000000000000A0C8", "500##000000C0C20E0F70000000000000000FF",
        "200#0039050000000003", "200#0140E20100000002", "200#05000000000000FF",
        "101#0102030405060708", "106#0100112233445566", "107#1012345678000099", "107#5000000000000000",
        "104#0000803F0000A040", "18FECA15#3412020000000000",
        "7FE#1122", "123#DEADBEEF", "0CF00CFF#01020304",
    ]

    @Test("default and --single-line, log (-L) and screen forms, one and two --dbc files: byte for byte")
    func textEqualsCantoolsDecode() throws {
        let dir = "/tmp/cantoolkit-dbc-\(getpid())"
        mkdir(dir, 0o755)
        defer { _ = try? Subprocess.run(["rm", "-rf", dir]) }
        let swift = CANEnvironment.product("candump-swift")
        let n = ["-n", String(Self.frames.count)]
        let runs: [(name: String, argv: [String])] = [
            ("candump-L", ["candump"] + n + ["-L", "vcan0"]),
            ("candump-screen", ["candump"] + n + ["vcan0"]),
            ("swift-L", [swift] + n + ["-L", "--dbc", Self.live, "vcan0"]),
            ("swift-L-single", [swift] + n + ["-L", "--dbc", Self.live, "--single-line", "vcan0"]),
            ("swift-screen", [swift] + n + ["--dbc", Self.live, "vcan0"]),
            ("swift-screen-single", [swift] + n + ["--single-line", "--dbc", Self.live, "vcan0"]),
            ("swift-L-two", [swift] + n + ["-L", "--dbc", Self.live, "--dbc", Self.corners, "vcan0"]),
            ("swift-json", [swift] + n + ["--json", "--dbc", Self.live, "--dbc", Self.corners, "vcan0"]),
        ]
        var processes: [Subprocess] = []
        for run in runs {
            let p = try Subprocess(run.argv)
            processes.append(p)
        }
        for (run, p) in zip(runs, processes) { #expect(p.waitForSocket(), "\(run.name) did not start: \(p.stderr)") }
        pause(.milliseconds(300))
        for frame in Self.frames { #expect(try Subprocess.run(["cansend", "vcan0", frame]).status == 0, "cansend \(frame)") }
        var output: [String: [UInt8]] = [:]
        for (run, p) in zip(runs, processes) {
            #expect(p.wait() == 0, "\(run.name) failed: \(p.stderr)")
            output[run.name] = p.stdoutBytes
            try writeFile("\(dir)/\(run.name)", p.stdout)
        }
        #expect(String(decoding: output["candump-L"]!, as: UTF8.self).split(separator: "\n").count == Self.frames.count)

        // cantools decode on candump's output, each database alone, and the JSON objects checked against
        // decode_message: one Python process.
        func decode(_ options: [String], _ dbc: String, _ input: String, _ out: String) -> String {
            #"{"decode": [\#((options + [dbc]).map { "\"\($0)\"" }.joined(separator: ", "))], "stdin": "\#(dir)/\#(input)", "stdout": "\#(dir)/\#(out)"}"#
        }
        let jobs = "[" + [
            decode([], Self.live, "candump-L", "cantools-L"),
            decode(["--single-line"], Self.live, "candump-L", "cantools-L-single"),
            decode([], Self.live, "candump-screen", "cantools-screen"),
            decode(["--single-line"], Self.live, "candump-screen", "cantools-screen-single"),
            decode([], Self.corners, "candump-L", "cantools-L-corners"),
            #"{"check_json": "\#(dir)/swift-json", "dbc": ["\#(Self.live)", "\#(Self.corners)"]}"#,
        ].joined(separator: ",\n") + "]"
        try writeFile("\(dir)/jobs.json", jobs)
        let reference = try Subprocess.run([Self.python, Self.fixtures + "/cantools_decode.py", "\(dir)/jobs.json"], timeout: .seconds(600))
        #expect(reference.status == 0, "cantools reference (\(Self.python)): \(reference.stdout) \(reference.stderr)")
        func read(_ name: String) -> [UInt8] { Subprocess.readBytes("\(dir)/\(name)") }

        // Frames the database has no message for print as they do without --dbc: cantools' text minus its
        // " :: Unknown frame id …".
        for (ours, theirs) in [("swift-L", "cantools-L"), ("swift-L-single", "cantools-L-single"),
                               ("swift-screen", "cantools-screen"), ("swift-screen-single", "cantools-screen-single")] {
            let expected = Self.withoutUnknown(read(theirs))
            #expect(String(decoding: expected, as: UTF8.self).contains("EngineData("), "\(theirs): cantools decoded nothing")
            let identical = output[ours]! == expected
            #expect(identical, "\(ours) vs \(theirs):\n\(firstDifference(expected, output[ours]!))")
        }
        // Two files: each frame decoded by the later database that has its id (0x100 is in both).
        let merged = Self.merge(Self.records(read("cantools-L")), later: Self.records(read("cantools-L-corners")))
        let two = output["swift-L-two"]!
        #expect(two == merged, "two --dbc files:\n\(firstDifference(merged, two))")
        #expect(String(decoding: two, as: UTF8.self).contains("SimpleMux("), "corners.dbc's messages decoded")
    }

    @Test("a bad --dbc file: its name, line and column, exit status 1, nothing received")
    func badDatabase() throws {
        let path = "/tmp/cantoolkit-bad-\(getpid()).dbc"
        try writeFile(path, "VERSION \"\"\nBO_ 1 X: 8 ECU\n SG_ A : 0|8@2+ (1,0) [0|0] \"\" ECU\n")
        defer { unlink(path) }
        let run = try Subprocess.run([CANEnvironment.product("candump-swift"), "--dbc", Self.live, "--dbc", path, "vcan0"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(path): line 3, column 14: expected the byte order 0 or 1"), "\(run.stderr)")
        let missing = try Subprocess.run([CANEnvironment.product("candump-swift"), "--dbc", "/nonexistent.dbc", "vcan0"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent.dbc"), "\(missing.stderr)")
    }

    /// cantools' output with " :: Unknown frame id N (0xH)" taken off the end of its lines.
    static func withoutUnknown(_ text: [UInt8]) -> [UInt8] {
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return Array(lines.map { line in
            guard let range = line.firstRange(of: " :: Unknown frame id ") else { return String(line) }
            return String(line[..<range.lowerBound])
        }.joined(separator: "\n").utf8)
    }

    /// Multi-line output cut into one record per frame: a frame line starts with its "(timestamp)".
    static func records(_ text: [UInt8]) -> [String] {
        var records: [String] = []
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("(") || records.isEmpty { records.append(String(line)) } else { records[records.count - 1] += "\n" + line }
        }
        return records
    }

    /// Per frame, the later database's decode where it knows the id (later files add and replace messages),
    /// else the earlier one's; unknown to both, the frame's line alone.
    static func merge(_ earlier: [String], later: [String]) -> [UInt8] {
        var out: [String] = []
        for (a, b) in zip(earlier, later) {
            if !b.contains(" :: Unknown frame id ") { out.append(b) }
            else if !a.contains(" :: Unknown frame id ") { out.append(a) }
            else { out.append(String(decoding: withoutUnknown(Array(a.utf8)), as: UTF8.self)) }
        }
        #expect(earlier.count == later.count)
        return Array((out.joined(separator: "\n") + "\n").utf8)
    }
}
}
