#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport

/// candump-swift under floods (issue 10): several interfaces merged in timestamp order, nothing lost at
/// cangen's full rate with the default receive buffer, and a slow stdout that makes frames wait in memory up to
/// the output queue's bound, with what did not fit counted.
extension CANBus {
@Suite("candump-swift under load (VM)", .needsCAN, .serialized)
struct CandumpLoadTests {
    /// `(seconds.micros) iface id#data` of a `-L` line.
    struct LogLine {
        let timestamp: Double
        let interface: Substring
        let frame: Substring
        init?(_ line: Substring) {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0].first == "(", let t = Double(fields[0].dropFirst().dropLast()) else { return nil }
            (timestamp, interface, frame) = (t, fields[1], fields[2])
        }
    }

    /// What `cangen IF -I i -D i -L 8` sends as its `k`th frame: the id counts up (11 bits), the data is the count
    /// as a little-endian 64-bit number.
    static func cangenFrame(_ k: Int) -> String {
        let id = String(k & 0x7FF, radix: 16, uppercase: true)
        let data = (0..<8).map { byte -> String in
            let value = (k >> (8 * byte)) & 0xFF
            return (value < 16 ? "0" : "") + String(value, radix: 16, uppercase: true)
        }.joined()
        return String(repeating: "0", count: 3 - id.count) + id + "#" + data
    }

    /// cangen at full rate (`-g 0`), or with `gap` ms between frames.
    static func flood(_ interface: String, frames: Int, gap: Int = 0) throws -> Subprocess {
        try Subprocess(["cangen", interface, "-g", String(gap), "-n", String(frames), "-I", "i", "-D", "i", "-L", "8"])
    }

    /// SIGINT once the tools have had a moment for what is queued; both exit 0 with everything written.
    static func stop(_ tools: Subprocess..., sourceLocation: SourceLocation = #_sourceLocation) {
        pause(.milliseconds(1500))
        for tool in tools { tool.signal(SIGINT) }
        for tool in tools { #expect(tool.wait(timeout: .seconds(120)) == 0, "\(tool.stderr)", sourceLocation: sourceLocation) }
    }

    static func lines(_ process: Subprocess) -> [Substring] {
        process.stdout.split(separator: "\n", omittingEmptySubsequences: true)
    }

    @Test("three interfaces flooded at once: one sequence in timestamp order, every frame exactly once")
    func interfacesMergedInTimeOrder() throws {
        #expect(try Subprocess.run(["ip", "link", "add", "dev", "vcan2", "type", "vcan"]).status == 0)
        #expect(try Subprocess.run(["ip", "link", "set", "up", "vcan2"]).status == 0)
        defer { _ = try? Subprocess.run(["ip", "link", "del", "vcan2"]) }
        let interfaces = ["vcan0", "vcan1", "vcan2"]
        // Each socket's default buffer holds its share of the flood whatever the machine's speed (the tests run a
        // debug build under TCG); the sustained rate is scripts/bench's.
        let perInterface = 4_000
        // candump beside it, with a large buffer, for the comparison. Both stop at SIGINT after the flood.
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-L"] + interfaces)
        let c = try Subprocess(["candump", "-L", "-r", "16000000"] + interfaces)
        #expect(swift.waitForSocket() && c.waitForSocket(), "candump: \(c.stderr)")
        let senders = try interfaces.map { try Self.flood($0, frames: perInterface) }
        for sender in senders { #expect(sender.wait() == 0) }
        Self.stop(swift, c)

        let parsed = Self.lines(swift).compactMap(LogLine.init)
        #expect(parsed.count == Self.lines(swift).count, "every line is a -L line")
        #expect(parsed.count == interfaces.count * perInterface, "\(swift.stderr)")
        var backwards = 0
        for (a, b) in zip(parsed, parsed.dropFirst()) where b.timestamp < a.timestamp { backwards += 1 }
        #expect(backwards == 0, "timestamps went backwards \(backwards) times")
        for interface in interfaces {
            let frames = parsed.filter { $0.interface == interface }.map(\.frame)
            #expect(frames.count == perInterface, "\(interface): \(frames.count) frames")
            let mismatch = frames.indices.first { frames[$0] != Substring(Self.cangenFrame($0)) }
            #expect(mismatch == nil, "\(interface): frame \(mismatch ?? 0) is \(mismatch.map { frames[$0] } ?? ""), not what cangen sent")
        }
        #expect(swift.stderr.contains(", 0 dropped by the kernel"), "\(swift.stderr)")
        // Where candump lost nothing either, both printed the same lines (candump's order across interfaces is
        // its select loop's, so as sets).
        let cLines = Self.lines(c)
        if cLines.count == interfaces.count * perInterface {
            #expect(Set(cLines) == Set(Self.lines(swift)))
        }
    }

    @Test("a full-rate burst with the default receive buffer: nothing lost (candump's default loses part of it)")
    func noLossInBurst() throws {
        let frames = 15_000
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-L", "vcan0"])
        let c = try Subprocess(["candump", "-L", "vcan0"])
        #expect(swift.waitForSocket() && c.waitForSocket())
        #expect(try Self.flood("vcan0", frames: frames).wait() == 0)
        Self.stop(swift, c)
        let lines = Self.lines(swift)
        #expect(lines.count == frames, "\(swift.stderr); candump with its defaults printed \(Self.lines(c).count)")
        #expect(lines.last.flatMap(LogLine.init)?.frame == Substring(Self.cangenFrame(frames - 1)))
        #expect(swift.stderr.contains("\(frames) frames received, 0 dropped by the kernel"), "\(swift.stderr)")
    }

    /// candump-swift writing into a FIFO of 4 KiB (F_SETPIPE_SZ) whose reader reads nothing until the flood is
    /// over: the writer is blocked for all of it.
    func runIntoStalledReader(options: [String], frames: Int, stop: CInt = SIGINT) throws -> (lines: [Substring], stderr: String, status: CInt) {
        let fifo = "/tmp/cantoolkit-fifo-\(getpid())"
        let (out, go) = (fifo + ".out", fifo + ".go")
        unlink(fifo); unlink(go)
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo); unlink(out); unlink(go) }
        let reader = try Subprocess(["python3", "-c", """
            import fcntl, os, sys, time
            fd = os.open(sys.argv[1], os.O_RDONLY)
            fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ
            while not os.path.exists(sys.argv[3]): time.sleep(0.05)
            with open(sys.argv[2], "wb") as f:
                while chunk := os.read(fd, 65536): f.write(chunk)
            """, fifo, out, go])
        let swift = try Subprocess(["/bin/sh", "-c", "exec \"$0\" \"$@\" > \"\(fifo)\"", CANEnvironment.product("candump-swift")] + options + ["vcan0"])
        #expect(swift.waitForSocket())
        #expect(try Self.flood("vcan0", frames: frames, gap: 1).wait() == 0)
        pause(.milliseconds(500))
        swift.signal(stop)
        try PackageFiles.write("", to: go)
        let status = swift.wait(timeout: .seconds(120))
        #expect(reader.wait(timeout: .seconds(120)) == 0, "\(reader.stderr)")
        return (Subprocess.read(out).split(separator: "\n"), swift.stderr, status)
    }

    /// A receive buffer of about 200 frames (`-r 200000`): what a blocked writer would overflow at once, were the
    /// frames not taken into memory.
    static let smallBuffer = ["-r", "200000"]

    @Test("stdout blocked for a whole paced flood (a small -r): frames wait in memory, none lost, whichever signal ends it",
          arguments: [SIGINT, SIGTERM, SIGHUP])
    func slowStdoutLosesNothing(stop: CInt) throws {
        let frames = 1_000
        let run = try runIntoStalledReader(options: ["-L"] + Self.smallBuffer, frames: frames, stop: stop)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.count == frames, "\(run.stderr)")
        #expect(run.stderr.contains("\(frames) frames received, 0 dropped by the kernel"), "\(run.stderr)")
        #expect(!run.stderr.contains("not written"))
    }

    @Test("past the queue's bound (--queue 100): what was not kept is counted, in the summary and with -d")
    func queueBoundCounted() throws {
        let frames = 1_000
        // The FIFO takes 4 KiB of lines (about 90 frames) before the writer blocks; then 100 wait in memory, and
        // the rest are counted.
        let run = try runIntoStalledReader(options: ["-L", "-d", "--queue", "100"] + Self.smallBuffer, frames: frames)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("candump-swift: \(frames) frames received, 0 dropped by the kernel, "), "\(summary)")
        let notKept = summary.split(separator: ", ").last.flatMap { Int($0.split(separator: " ")[0]) } ?? -1
        #expect(notKept > 0 && summary.hasSuffix("not kept (queue of 100 frames full)"), "\(summary)")
        #expect(run.lines.count + notKept == frames, "\(run.lines.count) written + \(notKept) not kept")
        #expect(run.lines.count >= 100, "at least the queue's worth was kept")
        #expect(run.stderr.contains("candump-swift: queue full: "), "-d reports it as it happens")
    }
}
}
