#if canImport(Glibc)
import Glibc
#endif
import CANLog
@testable import CANSocket
import Testing
import ToolkitTestSupport

/// BLF against python-can's BLFReader and BLFWriter, run by python3 on the same frames.
@Suite("BLF")
struct BLFTests {
    /// One message per line as both sides describe it: time to the µs, channel (python-can's, 0-based), id,
    /// extended, remote, FD, BRS, ESI, error, rx, dlc (python-can's: the length for FD), data.
    static let describe = """
        def describe(m):
            return "%.6f %d %x %d %d %d %d %d %d %d %d %s" % (m.timestamp, m.channel, m.arbitration_id, m.is_extended_id,
                m.is_remote_frame, m.is_fd, m.bitrate_switch, m.error_state_indicator, m.is_error_frame, m.is_rx, m.dlc,
                bytes(m.data).hex())
        """

    static func description(_ line: CandumpLogLine, channel: Int) -> String {
        let f = line.canFrame!
        let micros = LogSamples.micros(line.timestamp)
        let time = "\(micros / 1_000_000).\(String(1_000_000 + micros % 1_000_000).dropFirst())"
        let id = f.isError ? f.rawID & CANFrame.errorMask : f.id.rawValue
        let dlc = f.isFD ? f.count : Int(f.dlc)
        let data = f.data  // none for a remote request, as python-can reads one
        let flags = [f.isExtended && !f.isError, f.isRemote, f.isFD, f.fdFlags.contains(.bitRateSwitch),
                     f.fdFlags.contains(.errorStateIndicator), f.isError, line.direction != "T"].map { $0 ? "1" : "0" }
        return "\(time) \(channel) \(String(id, radix: 16)) \(flags.joined(separator: " ")) \(dlc) \(data.map { String(format2: $0) }.joined())"
    }

    static func channel(_ line: CandumpLogLine) -> Int { Int(line.interface.dropFirst(3))! }

    /// python-can reads what we write: every frame, in order, times to the µs; several containers (objects
    /// straddling them) in 3000 frames.
    @Test func pythonCANReadsOurBLF() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 3000, len8: true)
        let blf = try LogSamples.write(lines, .blf)
        #expect(blf.count > 144)
        let path = folder.write("ours.blf", blf)
        let script = Self.describe + """

            import sys, can
            reader = can.BLFReader(sys.argv[1])
            for m in reader:
                print(describe(m))
            print("objects", reader.object_count)
            """
        guard let output = try PythonCAN.run(script, [path]) else { return }
        var got = output.split(separator: "\n").map(String.init)
        #expect(got.popLast() == "objects \(lines.count)")
        let expected = lines.map { Self.description($0, channel: Self.channel($0)) }
        #expect(got.count == expected.count)
        for (index, (a, b)) in zip(got, expected).enumerated() where a != b {
            Issue.record("message \(index): python-can \(a), expected \(b) from \(lines[index])")
            break
        }
    }

    /// We read what python-can writes: the same frames, times to the µs (python-can's are floats).
    @Test func weReadPythonCANsBLF() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 3000, seed: 31, len8: true)
        var spec = ""
        for line in lines {
            let f = line.canFrame!
            let micros = LogSamples.micros(line.timestamp)
            let id = f.isError ? f.rawID & CANFrame.errorMask : f.id.rawValue
            let data = f.data.map { String(format2: $0) }.joined()
            spec += "\(micros / 1_000_000).\(String(1_000_000 + micros % 1_000_000).dropFirst()) \(Self.channel(line)) \(id) "
                + "\(f.isExtended && !f.isError ? 1 : 0) \(f.isRemote ? 1 : 0) \(f.isFD ? 1 : 0) "
                + "\(f.fdFlags.contains(.bitRateSwitch) ? 1 : 0) \(f.fdFlags.contains(.errorStateIndicator) ? 1 : 0) "
                + "\(f.isError ? 1 : 0) \(line.direction == "T" ? 0 : 1) \(f.isFD ? f.count : Int(f.dlc)) \(data.isEmpty ? "-" : data)\n"
        }
        let specPath = folder.write("spec.txt", Array(spec.utf8))
        let blfPath = folder.file("python.blf")
        let script = """
            import sys, can
            with can.BLFWriter(sys.argv[2]) as writer:
                for text in open(sys.argv[1]):
                    t, ch, i, ext, rtr, fd, brs, esi, err, rx, dlc, data = text.split()
                    writer.on_message_received(can.Message(timestamp=float(t), channel=int(ch), arbitration_id=int(i),
                        is_extended_id=ext == "1", is_remote_frame=rtr == "1", is_fd=fd == "1", bitrate_switch=brs == "1",
                        error_state_indicator=esi == "1", is_error_frame=err == "1", is_rx=rx == "1", dlc=int(dlc),
                        data=b"" if data == "-" else bytes.fromhex(data), check=False))
            """
        guard try PythonCAN.run(script, [specPath, blfPath]) != nil else { return }
        let read = LogSamples.read(folder.read("python.blf"), .blf)
        try #require(read.count == lines.count)
        for (line, entry) in zip(lines, read) {
            #expect(entry.interface == line.interface)
            #expect(LogSamples.key(entry.canFrame!) == LogSamples.key(line.canFrame!), "\(line) -> \(entry)")
            #expect(entry.direction == (line.canFrame!.isError ? nil : line.direction ?? "R"))
            #expect(LogSamples.micros(entry.timestamp) == LogSamples.micros(line.timestamp), "\(line) -> \(entry)")
        }
    }

    /// Our own round trip keeps everything, nanoseconds included; before 1990 too (start time 0).
    @Test(arguments: [Int64(1_700_000_000), 1])
    func roundTripIsExact(start: Int64) throws {
        let lines = LogSamples.lines(count: 2500, seed: 5, start: start, len8: true, nanoseconds: true)
        let read = LogSamples.read(try LogSamples.write(lines, .blf), .blf)
        try #require(read.count == lines.count)
        for (line, entry) in zip(lines, read) {
            #expect(entry.timestamp == line.timestamp && LogSamples.key(entry.canFrame!) == LogSamples.key(line.canFrame!), "\(line) -> \(entry)")
            #expect(entry.direction == (line.canFrame!.isError ? nil : line.direction ?? "R"))
        }
    }

    @Test func damagedFilesAreErrorsWithOffsets() throws {
        let lines = LogSamples.lines(count: 50)
        let blf = try LogSamples.write(lines, .blf)
        func error(_ bytes: [UInt8]) -> CANLogError? {
            for case .failure(let error) in CANLogReader(bytes: bytes, format: .blf, file: "x.blf") { return error }
            return nil
        }
        #expect(error(Array("not a blf file at all, really".utf8))?.description == "x.blf: byte 0: not a BLF file (no 'LOGG' header)")
        let truncated = error(Array(blf.prefix(blf.count - 10)))
        #expect(truncated?.offset == 144 + 8 && truncated?.message.contains("past the end") == true, "\(String(describing: truncated))")
        var corrupt = blf
        corrupt[144 + 40] ^= 0xFF   // inside the zlib stream
        #expect(error(corrupt)?.message.contains("inflate") == true)
        #expect(error(blf) == nil)
    }

    /// Damaged files end in an error or fewer frames, never a crash: every byte of the headers and the first
    /// objects flipped in turn, and every length of truncation, stored (uncompressed) so the objects are hit.
    @Test func damageNeverCrashes() throws {
        var writer = BLFWriter(compressionLevel: 0)
        var blf: [UInt8] = []
        for line in LogSamples.lines(count: 40) { try writer.append(line, to: &blf) }
        let header = writer.finish(to: &blf)
        blf.replaceSubrange(0..<header.count, with: header)
        var errors = 0
        for index in 0..<Swift.min(blf.count, 800) {
            for mask: UInt8 in [0xFF, 0x80, 0x01] {
                var damaged = blf
                damaged[index] ^= mask
                for case .failure in CANLogReader(bytes: damaged, format: .blf) { errors += 1 }
            }
        }
        for length in 0..<blf.count {
            for case .failure in CANLogReader(bytes: Array(blf.prefix(length)), format: .blf) { errors += 1 }
        }
        #expect(errors > 100)
    }
}

extension String {
    /// `%02x`.
    init(format2 byte: UInt8) {
        self = (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }
}
