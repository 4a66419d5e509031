#if canImport(Glibc)
import Glibc
#endif
import CANLog
@testable import CANSocket
import Testing
import ToolkitTestSupport

/// ASC against can-utils' log2asc and asc2log (Debian 2020.11), run on the same input.
@Suite("ASC")
struct ASCTests {
    /// The sample log's interfaces in the order they first appear, as log2asc's arguments.
    static func interfaces(_ lines: [CandumpLogLine]) -> [String] {
        var seen: [String] = []
        for line in lines where !seen.contains(line.interface) { seen.append(line.interface) }
        return seen
    }

    @Test func writerMatchesLog2ascByteForByte() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 400)
        let input = folder.write("in.log", LogSamples.text(lines))
        let reference = try Subprocess.run(["log2asc", "-I", input, "-O", folder.file("ref.asc")] + Self.interfaces(lines))
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = folder.read("ref.asc")
        let ours = try LogSamples.write(lines, .asc)
        #expect(expected.count > 400 * 20)
        if ours != expected {
            let a = String(decoding: ours, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let b = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("line \(first + 1) differs:\n ours: \(first < a.count ? a[first] : "<end>")\n log2asc: \(first < b.count ? b[first] : "<end>")")
        }
        // Every kind of line is in the comparison.
        let text = String(decoding: expected, as: UTF8.self)
        for kind in [" d ", " r ", "CANFD", "ErrorFrame", "x  ", " Tx ", " Rx "] { #expect(text.contains(kind), "no \(kind)") }
    }

    /// asc2log reads what we write as it reads log2asc's: the same frames and directions, the same times
    /// relative to the first frame (its absolute base is the `date` line or, where its locale is missing, now).
    @Test func asc2logReadsOurASC() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 300)
        let asc = folder.write("ours.asc", try LogSamples.write(lines, .asc))
        let result = try Subprocess.run(["asc2log", "-I", asc])
        #expect(result.status == 0, "\(result.stderr)")
        let theirs = LogSamples.read(Array(result.stdout.utf8), .candump)
        try #require(theirs.count == lines.count)
        let base = LogSamples.micros(theirs[0].timestamp) - LogSamples.micros(lines[0].timestamp)
        for (line, read) in zip(lines, theirs) {
            #expect(read.interface == line.interface)
            #expect(LogSamples.key(read.canFrame!) == Self.expectedKey(line.canFrame!), "\(line) -> \(read)")
            #expect(read.direction == (line.canFrame!.isError ? nil : line.direction ?? "R"), "\(line) -> \(read)")
            #expect(LogSamples.micros(read.timestamp) - base == LogSamples.micros(line.timestamp), "\(line) -> \(read)")
        }
    }

    /// Our reader on log2asc's output gives back the log: the frames, Rx for no direction, times shifted by the
    /// first frame's fraction of a second (the `date` line has whole seconds: asc2log loses the same).
    @Test func readerReadsLog2ascOutput() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 300, seed: 77)
        let input = folder.write("in.log", LogSamples.text(lines))
        let reference = try Subprocess.run(["log2asc", "-I", input, "-O", folder.file("ref.asc")] + Self.interfaces(lines))
        #expect(reference.status == 0)
        let read = LogSamples.read(folder.read("ref.asc"), .asc)
        try #require(read.count == lines.count)
        let shift = Int64(lines[0].timestamp.nanoseconds)
        for (line, entry) in zip(lines, read) {
            #expect(entry.interface == line.interface)
            #expect(LogSamples.key(entry.canFrame!) == Self.expectedKey(line.canFrame!), "\(line) -> \(entry)")
            #expect(entry.direction == (line.canFrame!.isError ? nil : line.direction ?? "R"))
            let expected = line.timestamp.seconds * 1_000_000_000 + Int64(line.timestamp.nanoseconds) - shift
            #expect(entry.timestamp.seconds * 1_000_000_000 + Int64(entry.timestamp.nanoseconds) == expected, "\(line) -> \(entry)")
        }
    }

    /// An ASC `ErrorFrame` line has no detail: it reads as asc2log writes it.
    static func expectedKey(_ frame: CANFrame) -> String {
        frame.isError ? "20000080#0000000000000000" : LogSamples.key(frame)
    }

    /// len8_dlc as current log2asc writes it (`d B` with 8 bytes) and back; 2020.11 cannot parse `_B` at all.
    @Test func rawDLCRoundTrip() throws {
        let lines = LogSamples.lines(count: 200, seed: 9, len8: true)
        #expect(lines.contains { $0.canFrame!.len8DLC > 8 })
        let asc = try LogSamples.write(lines, .asc)
        #expect(String(decoding: asc, as: UTF8.self).contains(" d B ") || String(decoding: asc, as: UTF8.self).contains(" d C "))
        let read = LogSamples.read(asc, .asc)
        #expect(read.map { Self.expectedKey($0.canFrame!) } == lines.map { Self.expectedKey($0.canFrame!) })
    }

    /// python-can's ASCWriter and ASCReader, the other ASC dialect python-can users have: we read what it
    /// writes (its `Begin Triggerblock` date, to the ms, is where its times count from) and it reads ours,
    /// frame for frame, times relative to the first frame to the µs.
    @Test func pythonCANsASCBothWays() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 300, seed: 11)
        var spec = ""
        for line in lines {
            let f = line.canFrame!
            let micros = LogSamples.micros(line.timestamp)
            let id = f.isError ? 0 : f.id.rawValue
            let data = f.data.map { String(format2: $0) }.joined()
            spec += "\(micros / 1_000_000).\(String(1_000_000 + micros % 1_000_000).dropFirst()) \(BLFTests.channel(line)) \(id) "
                + "\(f.isExtended && !f.isError ? 1 : 0) \(f.isRemote ? 1 : 0) \(f.isFD ? 1 : 0) "
                + "\(f.fdFlags.contains(.bitRateSwitch) ? 1 : 0) \(f.fdFlags.contains(.errorStateIndicator) ? 1 : 0) "
                + "\(f.isError ? 1 : 0) \(line.direction == "T" ? 0 : 1) \(f.count) \(data.isEmpty ? "-" : data)\n"
        }
        let specPath = folder.write("spec.txt", Array(spec.utf8))
        let ours = folder.write("ours.asc", try LogSamples.write(lines, .asc))
        let script = BLFTests.describe + """

            import sys, can
            with can.ASCWriter(sys.argv[2]) as writer:
                for text in open(sys.argv[1]):
                    t, ch, i, ext, rtr, fd, brs, esi, err, rx, dlc, data = text.split()
                    writer.on_message_received(can.Message(timestamp=float(t), channel=int(ch), arbitration_id=int(i),
                        is_extended_id=ext == "1", is_remote_frame=rtr == "1", is_fd=fd == "1", bitrate_switch=brs == "1",
                        error_state_indicator=esi == "1", is_error_frame=err == "1", is_rx=rx == "1", dlc=int(dlc),
                        data=b"" if data == "-" else bytes.fromhex(data), check=False))
            for m in can.ASCReader(sys.argv[3]):
                print(describe(m))
            """
        guard let output = try PythonCAN.run(script, [specPath, folder.file("python.asc"), ours]) else { return }

        // Ours read by python-can (relative times, as its reader gives them by default).
        let got = output.split(separator: "\n").map(String.init)
        try #require(got.count == lines.count)
        let first = LogSamples.micros(lines[0].timestamp)
        for (index, (line, text)) in zip(lines, got).enumerated() {
            var shifted = line
            shifted.timestamp = KernelTimestamp(seconds: (LogSamples.micros(line.timestamp) - first) / 1_000_000,
                                             nanoseconds: Int32((LogSamples.micros(line.timestamp) - first) % 1_000_000 * 1000))
            // python-can reads an ASC ErrorFrame as (extended) id 0 with no data: the line holds nothing more.
            var expected = line.canFrame!.isError ? "\(BLFTests.description(shifted, channel: BLFTests.channel(line)).prefix { $0 != " " }) \(BLFTests.channel(line)) 0 1 0 0 0 0 1 1 0 "
                : BLFTests.description(shifted, channel: BLFTests.channel(line))
            if line.canFrame!.isFD && line.canFrame!.count == 0 {
                // python-can's ASCReader takes a CANFD line with data length 0 for a remote request.
                var fields = expected.split(separator: " ", omittingEmptySubsequences: false)
                fields[4] = "1"
                expected = fields.joined(separator: " ")
            }
            if text != expected { Issue.record("message \(index): python-can \(text), expected \(expected)"); break }
        }

        // python-can's read by us.
        let read = LogSamples.read(folder.read("python.asc"), .asc)
        try #require(read.count == lines.count)
        let base = LogSamples.micros(read[0].timestamp) - first
        #expect(abs(base) < 1000, "python-can's trigger block date is the first frame's time to the ms")
        for (line, entry) in zip(lines, read) {
            #expect(entry.interface == line.interface)
            #expect(Self.expectedKey(entry.canFrame!) == Self.expectedKey(line.canFrame!), "\(line) -> \(entry)")
            #expect(entry.direction == (line.canFrame!.isError ? nil : line.direction ?? "R"))
            #expect(LogSamples.micros(entry.timestamp) - base == LogSamples.micros(line.timestamp), "\(line) -> \(entry)")
        }
    }

    /// Damaged text ends in an error or other frames, never a crash: characters replaced one at a time.
    @Test func damageNeverCrashes() throws {
        let asc = try LogSamples.write(LogSamples.lines(count: 30), .asc)
        var outcomes = 0
        for index in stride(from: 0, to: asc.count, by: 3) {
            for replacement in Array(" .x#:0F\n".utf8) {
                var damaged = asc
                damaged[index] = replacement
                outcomes += Array(CANLogReader(bytes: damaged, format: .asc)).count
            }
        }
        #expect(outcomes > 0)
        for date in ["date Tue Nov 14 22:13:. 2023", "date", "date Nov", "date Tue Nov 14 22:13:20 pm", "date x y z w v u"] {
            #expect(Array(CANLogReader(bytes: Array((date + "\n   0.000100 1  123             Rx   d 1 11\n").utf8), format: .asc)).count == 1)
        }
    }

    /// Vector's own lines: a symbolic name in a CANFD line, a relative time base, decimal numbers,
    /// other events passed over; a malformed frame line is an error with line and column.
    @Test func vectorVariants() throws {
        let text = """
            date Tue Nov 14 10:13:20.250 pm 2023
            base dec  timestamps relative
            internal events logged
            // version 9.0.0
            Begin Triggerblock Tue Nov 14 10:13:20.250 pm 2023
               0.000000 Start of measurement
               0.001000 1  291             Rx   d 3 1 2 255  Length = 0 BitCount = 0 ID = 291
               0.500000 CANFD   2 Tx        1ABx  EngineData                          1 0 9 12 01 02 03 04 05 06 07 08 09 0A 0B 0C   130000  130     3000 0 0 0 0 0
               0.250000 1  Statistic: D 0 R 0 XD 0 XR 0 E 0 O 0 B 0.00%
               0.250000 1  ErrorFrame ECC: 10100010
            End TriggerBlock
            """
        let read = LogSamples.read(Array(text.utf8), .asc)
        try #require(read.count == 3)
        #expect(read[0].canFrame!.description == "123#0102FF" && read[0].interface == "can0" && read[0].direction == "R")
        #expect(LogSamples.key(read[1].canFrame!) == "000001AB##1" + "0102030405060708090A0B0C" && read[1].direction == "T")
        #expect(read[1].interface == "can1" && read[2].canFrame!.isError)
        let d0 = read[0].timestamp, d1 = read[1].timestamp, d2 = read[2].timestamp
        #expect(d1.since(d0) == .milliseconds(500) && d2.since(d1) == .milliseconds(250))
        #expect(d0.nanoseconds == 251_000_000)

        let bad = "base hex  timestamps absolute\n   0.000100 1  123             Rx   d 4 11 22 GG 44\n"
        let results = Array(CANLogReader(bytes: Array(bad.utf8), format: .asc, file: "bad.asc"))
        guard case .failure(let error)? = results.last else { Issue.record("no error"); return }
        #expect(error.line == 2 && error.column == 47, "\(error)")
        #expect(error.description.hasPrefix("bad.asc:2:47: 'GG' is not a data byte"), "\(error)")
    }
}
