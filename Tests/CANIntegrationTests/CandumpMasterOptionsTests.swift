#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import SocketBase
import ToolkitTestSupport

/// candump-swift's `-8`, `-N` and `-f` end to end, against can-utils master's candump on the same frames: the
/// toolkit's sockets send Tests/CANSocketTests/Fixtures/candump-master-opts/frames (classic frames with raw DLCs 9…F,
/// which Debian's 2020.11 cansend cannot send, remote, FD, extended and XL frames) on vcanxl and through a vxcan
/// pair, and each candump-swift run's stdout, stderr and `-f` file must be what master's candump printed for that
/// run (the fixture). Times differ from run to run and are compared as a column of the right width; candump-swift
/// reads `SO_TIMESTAMPNS`, so its `-N` digits are the kernel's nanoseconds where master's (`SO_TIMESTAMP`) end in 000.
///
/// Linux 6.12 only: nothing here depends on the kernel beyond what CandumpXLTests checks on both.
extension CANBus {
@Suite("candump-swift -8, -N, -f against can-utils master (VM)", .needsCAN, .serialized)
struct CandumpMasterOptionsTests {
    static let fixtures = CANEnvironment.packageRoot + "/Tests/CANSocketTests/Fixtures/candump-master-opts/"

    static func traffic() throws -> [(interface: String, frame: CANAnyFrame)] {
        try Subprocess.read(fixtures + "frames").split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), try CANFrameText.parseAny(fields[1]))
        }
    }

    /// The fixture's options and interfaces of run `name`.
    static func fixtureRun(_ name: String) -> (options: [String], interfaces: [String]) {
        let row = Subprocess.read(fixtures + "sets").split(separator: "\n").first { $0.hasPrefix(name + "|") }!
        let fields = row.split(separator: "|", omittingEmptySubsequences: false)
        return (fields[1].split(separator: " ").map(String.init), fields[2].split(separator: " ").map(String.init))
    }

    /// Every timestamp column, absolute (10 digits), with date, or relative (3), with 6 or 9 digits, as `(T6)`/`(T9)`.
    static func withoutTimes(_ text: String) -> String {
        text.replacing(/\((?:\d{10}|\d{3}|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{6}|\d{9})\)/) { "(T\($0.output.1.count))" }
    }

    /// A log text with the raw DLCs taken out: master always logs them, candump-swift (as 2020.11) only with -8.
    static func withoutRawDLCs(_ text: String) -> String { text.replacing(/_[9A-F](?=[ \n])/, with: "") }

    @Test("-N -8 -ta -x, -N -td, -N -L -x, -8 -N -x -f FILE, -f - -8: master's output; -L -8 and a bad -f refused")
    func masterOutputs() throws {
        let interfaces = try CandumpXLTests.Interfaces()
        defer { withExtendedLifetime(interfaces) {} }
        let traffic = try Self.traffic()
        let bin = CANEnvironment.product("candump-swift")
        let dir = "/tmp/cantoolkit-master-opts-\(getpid())"
        mkdir(dir, 0o755)
        defer { _ = try? Subprocess.run(["rm", "-rf", dir]) }
        // Runs on stdout, and runs that write a -f file (in `dir`, as the capture ran them in its folder).
        // Few runs, for the CI budget: the formatter's other master runs (-8 -a, colours, -tz, -tA, -s 0 -f) are
        // checked on the host (CandumpMasterOptionsCaptureTests).
        let names = ["N8x", "NLx", "Ntd", "fdash", "f8N"]
        let runs = try names.map { name in
            let run = Self.fixtureRun(name)
            let count = traffic.filter { run.interfaces.contains($0.interface == "vxcanA" ? "vxcanB" : $0.interface) }.count
            return (name: name, count: count, tool: try Subprocess([bin, "-n", String(count)] + run.options + run.interfaces, directory: dir))
        }
        // Two runs that end on their own, started with the others (a debug build takes seconds to start under TCG):
        // -L -8 refused as master refuses it (its message, exit 0), and -f into a folder that is not there.
        let refused = try Subprocess([bin] + Self.fixtureRun("L8").options + ["vcanxl"])
        let missingPath = "/nonexistent-\(getpid())/x.log"
        let missing = try Subprocess([bin, "-f", missingPath, "vcanxl"])
        for run in runs { #expect(run.tool.waitForSocket(timeout: .seconds(60)), "candump-swift \(run.name) did not start: \(run.tool.stderr)") }
        pause(.milliseconds(300))
        func written(_ run: (name: String, count: Int, tool: Subprocess)) -> Int {
            let file = "\(dir)/\(run.name).log"
            return CandumpXLTests.lineCount(access(file, F_OK) == 0 && run.tool.stdout.isEmpty ? Subprocess.read(file) : run.tool.stdout)
        }
        // A frame that follows one on the other interface waits until every run has written the frames before it
        // (see CandumpXLTests.send); on one interface the kernel keeps the order by itself.
        let receivedBefore = { (run: (name: String, count: Int, tool: Subprocess), k: Int) -> Int in
            let interfaces = Self.fixtureRun(run.name).interfaces
            return traffic.prefix(k).filter { interfaces.contains($0.interface == "vxcanA" ? "vxcanB" : $0.interface) }.count
        }
        try CandumpXLTests.send(traffic) { k in
            k == 0 || traffic[k].interface == traffic[k - 1].interface || runs.allSatisfy { written($0) >= receivedBefore($0, k) }
        }
        for run in runs {
            #expect(run.tool.wait() == 0, "candump-swift \(run.name): \(run.tool.stderr)")
            var expected = Self.withoutTimes(Subprocess.read(Self.fixtures + run.name + ".out"))
            if !Self.fixtureRun(run.name).options.contains("-8") { expected = Self.withoutRawDLCs(expected) }
            let actual = Self.withoutTimes(run.tool.stdout)
            #expect(actual == expected, "run \(run.name):\n\(firstDifference(Array(expected.utf8), Array(actual.utf8)))\n\(run.tool.stdout)")
            // stderr: master's lines ("Disabled standard output while logging.", "Enabling Logfile 'f.log'"), then
            // candump-swift's summary line.
            let masterErr = access(Self.fixtures + run.name + ".err", F_OK) == 0 ? Subprocess.read(Self.fixtures + run.name + ".err") : ""
            #expect(run.tool.stderr.hasPrefix(masterErr), "run \(run.name) stderr: \(run.tool.stderr)")
            #expect(run.tool.stderr.dropFirst(masterErr.count).hasPrefix("candump-swift: \(run.count) frames received"),
                    "run \(run.name) stderr: \(run.tool.stderr)")
            guard access(Self.fixtures + run.name + ".log", F_OK) == 0 else { continue }
            var expectedLog = Self.withoutTimes(Subprocess.read(Self.fixtures + run.name + ".log"))
            if !Self.fixtureRun(run.name).options.contains("-8") { expectedLog = Self.withoutRawDLCs(expectedLog) }
            let log = Self.withoutTimes(Subprocess.read("\(dir)/\(run.name).log"))
            #expect(log == expectedLog, "\(run.name).log:\n\(firstDifference(Array(expectedLog.utf8), Array(log.utf8)))")
        }
        // -N prints the kernel's nanoseconds: the digits after the microseconds are not all zero.
        let nanoseconds = runs.first { $0.name == "N8x" }!.tool.stdout.matches(of: /\(\d{10}\.\d{6}(\d{3})\)/).map { String($0.output.1) }
        #expect(nanoseconds.count == traffic.count && nanoseconds.contains { $0 != "000" }, "\(nanoseconds)")
        // Exactly one file per -f run, named as given; -f - wrote none.
        let files = try Subprocess.run(["ls", dir]).stdout.split(separator: "\n").map(String.init)
        #expect(files == ["f8N.log"], "\(files)")

        #expect(refused.wait() == 0 && refused.stdout.isEmpty)
        #expect(refused.stderr == Subprocess.read(Self.fixtures + "L8.err"))
        #expect(missing.wait() == 1 && missing.stderr.contains(missingPath), "\(missing.stderr)")
    }
}
}
