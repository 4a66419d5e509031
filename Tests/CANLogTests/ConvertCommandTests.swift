#if canImport(Glibc)
import Glibc
#endif
import CANLog
@testable import CANSocket
import Testing
import ToolkitTestSupport

/// canlog-swift convert, end to end through the built binary.
@Suite("canlog-swift convert")
struct ConvertCommandTests {
    static let binary = Products.path("canlog-swift")

    /// log → BLF → ASC → log and log → ASC → BLF → stdout: frame for frame; the log from BLF keeps the
    /// times to the µs, the one through ASC keeps them relative to the first frame; ASC equals log2asc's.
    @Test func roundTripsThroughEveryFormat() throws {
        let folder = ScratchFolder()
        let lines = LogSamples.lines(count: 500, seed: 3)
        let input = folder.write("in.log", LogSamples.text(lines))
        for (from, to) in [("in.log", "a.blf"), ("a.blf", "b.asc"), ("b.asc", "c.log"), ("in.log", "d.asc"), ("d.asc", "e.blf")] {
            let result = try Subprocess.run([Self.binary, "convert", folder.file(from), folder.file(to)])
            #expect(result.status == 0 && result.stderr.isEmpty, "\(from) -> \(to): \(result.stderr)")
        }
        let stdout = try Subprocess.run([Self.binary, "convert", folder.file("e.blf"), "-"])
        #expect(stdout.status == 0)
        let viaBLF = LogSamples.read(Array(try Subprocess.run([Self.binary, "convert", folder.file("a.blf"), "-"]).stdout.utf8), .candump)
        let viaASC = LogSamples.read(folder.read("c.log"), .candump)
        let viaBoth = LogSamples.read(Array(stdout.stdout.utf8), .candump)
        try #require(viaBLF.count == lines.count && viaASC.count == lines.count && viaBoth.count == lines.count)
        let shift = Int64(lines[0].timestamp.microseconds)
        for i in lines.indices {
            let line = lines[i]
            #expect(viaBLF[i].description == CandumpLogLine(timestamp: line.timestamp, interface: line.interface, frame: line.frame,
                                                            direction: line.canFrame!.isError ? nil : line.direction ?? "R").description
                    || LogSamples.key(viaBLF[i].canFrame!) == LogSamples.key(line.canFrame!), "\(line) -> \(viaBLF[i])")
            #expect(LogSamples.micros(viaBLF[i].timestamp) == LogSamples.micros(line.timestamp))
            for other in [viaASC[i], viaBoth[i]] {
                #expect(LogSamples.key(other.canFrame!) == ASCTests.expectedKey(line.canFrame!) && other.interface == line.interface)
                #expect(LogSamples.micros(other.timestamp) == LogSamples.micros(line.timestamp) - shift, "\(line) -> \(other)")
            }
        }
        let reference = try Subprocess.run(["log2asc", "-I", input, "can0", "can1"])
        #expect(Array(reference.stdout.utf8) == folder.read("d.asc"))
    }

    /// A disk that fills while writing ASC or BLF, and /dev/full: the file named with the system's reason, exit 1,
    /// and no half-written output left behind (the input is all still there; gzip does the same).
    @Test("a full disk for the log writers: a clear error, exit 1, no partial file", .enabled(if: getuid() == 0, "mounts a tmpfs"))
    func diskFull() throws {
        let folder = ScratchFolder()
        let input = folder.write("in.log", LogSamples.text(LogSamples.lines(count: 5000, seed: 5)))
        let dir = folder.file("small")
        #expect(mkdir(dir, 0o755) == 0)
        defer { _ = try? Subprocess.run(["umount", dir]) }
        #expect(try Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]).status == 0)
        for output in ["\(dir)/out.asc", "\(dir)/out.blf", "\(dir)/out.log", "/dev/full"] {
            let format = output == "/dev/full" ? ["--to", "asc"] : []
            let result = try Subprocess.run([Self.binary, "convert"] + format + [input, output])
            #expect(result.status == 1, "\(output): \(result.stderr)")
            #expect(result.stderr.hasPrefix("canlog-swift convert: ") && result.stderr.contains(output)
                    && result.stderr.contains("No space left on device"), "\(output): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
            if output != "/dev/full" { #expect(access(output, F_OK) != 0, "\(output) removed") }
        }
        // A device is never removed (as root, canlog-swift once unlinked /dev/full here).
        var device = stat()
        #expect(stat("/dev/full", &device) == 0 && device.st_mode & S_IFMT == S_IFCHR, "/dev/full is still the device")
    }

    /// `-` reads a candump log from stdin; `-N` writes 9 digits; `--channels` names channels both ways.
    @Test func stdinNanosecondsAndChannelNames() throws {
        let folder = ScratchFolder()
        let log = "(1700000000.123456789) vcan7 123#11\n(1700000000.223456) vcan3 12345678##5AABB T\n"
        let input = folder.write("in.log", Array(log.utf8))
        let toBLF = try Subprocess.run(["/bin/sh", "-c", "\"$0\" convert --channels vcan3 - \"$1\" < \"$2\"", Self.binary,
                                        folder.file("x.blf"), input])
        #expect(toBLF.status == 0, "\(toBLF.stderr)")
        let back = try Subprocess.run([Self.binary, "convert", "-N", "--channels", "vcan3,vcan7", folder.file("x.blf"), "-"])
        #expect(back.stdout == "(1700000000.123456789) vcan7 123#11 R\n(1700000000.223456000) vcan3 12345678##5AABB T\n",
                "\(back.stdout)\(back.stderr)")
        let unnamed = try Subprocess.run([Self.binary, "convert", folder.file("x.blf"), "-"])
        #expect(unnamed.stdout.contains(") can1 123#11 R") && unnamed.stdout.contains(") can0 12345678##5AABB T"), "\(unnamed.stdout)")
    }

    @Test func errorsNameTheFileAndLineAndRemoveTheOutput() throws {
        let folder = ScratchFolder()
        let input = folder.write("bad.log", Array("(1700000000.000001) can0 123#11\n(1700000001.5) can0 456##311223344\n".utf8))
        let result = try Subprocess.run([Self.binary, "convert", input, folder.file("out.asc")])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("canlog-swift convert: \(input):2:13: timestamp needs 6"), "\(result.stderr)")
        #expect(access(folder.file("out.asc"), F_OK) != 0)

        let unknown = try Subprocess.run([Self.binary, "convert", input, folder.file("out.txt")])
        #expect(unknown.status != 0 && unknown.stderr.contains("cannot tell the format of"), "\(unknown.stderr)")
        let blfOut = try Subprocess.run([Self.binary, "convert", input, "--to", "blf", "-"])
        #expect(blfOut.status != 0 && blfOut.stderr.contains("BLF cannot be written to stdout"), "\(blfOut.stderr)")
        let missing = try Subprocess.run([Self.binary, "convert", folder.file("none.log"), folder.file("out.asc")])
        #expect(missing.status == 1 && missing.stderr.contains("open(\(folder.file("none.log"))): No such file"), "\(missing.stderr)")
    }

    /// CAN XL lines (as can-utils master's candump logs them) go from log to log unchanged, also with -N; ASC and
    /// BLF have no CAN XL: the library writers and the conversion refuse the frame, naming the input line.
    @Test func canXLFramesGoLogToLogAndAreRefusedByASCAndBLF() throws {
        let folder = ScratchFolder()
        let log = """
            (1700000000.000001) vcan0 123#11
            (1700000000.000002) vcan0 39598#82:4A:3239B34A#3CAB T

            (1700000000.000003) vcan1 00242#80:00:00000000#11

            """
        let input = folder.write("xl.log", Array(log.utf8))
        let copy = try Subprocess.run([Self.binary, "convert", input, "-"])
        #expect(copy.status == 0 && copy.stdout == log.replacing("\n\n", with: "\n"), "\(copy.stdout)\(copy.stderr)")
        let nanoseconds = try Subprocess.run([Self.binary, "convert", "-N", input, "-"])
        #expect(nanoseconds.stdout.split(separator: "\n")[1] == "(1700000000.000002000) vcan0 39598#82:4A:3239B34A#3CAB T")
        for format in ["asc", "blf"] {
            let out = folder.file("xl.\(format)")
            let result = try Subprocess.run([Self.binary, "convert", input, out])
            #expect(result.status == 1)
            #expect(result.stderr == "canlog-swift convert: \(input):2: a CAN XL frame cannot be written to \(format.uppercased()), "
                    + "which has no CAN XL frames: 39598#82:4A:3239B34A#3CAB\n", "\(result.stderr)")
            #expect(access(out, F_OK) != 0, "the partial \(out) is removed")
        }
        // The library writers: the classic line is written, the XL line refused, the writer still usable.
        let lines = try CandumpLogReader(text: log).map { try $0.get() }
        for format in [CANLogFormat.asc, .blf] {
            var writer = CANLogWriter(format: format)
            var bytes: [UInt8] = []
            try writer.append(lines[0], to: &bytes)
            #expect(throws: CANLogError.self) { try writer.append(lines[1], to: &bytes) }
            try writer.append(lines[0], to: &bytes)
        }
        var logWriter = CANLogWriter(format: .candump)
        var bytes: [UInt8] = []
        for line in lines { try logWriter.append(line, to: &bytes) }
        #expect(String(decoding: bytes, as: UTF8.self) == log.replacing("\n\n", with: "\n"))
    }
}
