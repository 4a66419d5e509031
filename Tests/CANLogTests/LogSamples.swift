#if canImport(Glibc)
import Glibc
#endif
import CANLog
@testable import CANSocket
import Testing
import ToolkitTestSupport

/// Sample logs for the format tests: every frame kind the formats carry, on two interfaces, with the three
/// direction states, generated from a seed (the same log every run, no file to keep in step).
enum LogSamples {
    /// `count` lines starting at `start` seconds; `len8` adds classic frames with a raw DLC (which
    /// can-utils 2020.11's tools cannot parse), `nanoseconds` gives 9-digit times with sub-µs parts.
    static func lines(count: Int, seed: UInt64 = 0x5EED, start: Int64 = 1_700_000_000, len8: Bool = false,
                      nanoseconds: Bool = false) -> [CandumpLogLine] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var seconds = start
        var nanos = 250_000_000
        var result: [CandumpLogLine] = []
        for i in 0..<count {
            nanos += next(1_500_000) * 1000 + (nanoseconds ? next(1000) : 0)
            if nanos >= 1_000_000_000 { seconds += Int64(nanos / 1_000_000_000); nanos %= 1_000_000_000 }
            let interface = i == 0 ? "can0" : (next(3) == 0 ? "can1" : "can0")
            let direction: Character? = [nil, "T", "R"][next(3)]
            let data = (0..<64).map { _ in UInt8(next(256)) }
            let frame: CANFrame
            switch next(len8 ? 7 : 6) {
            case 0: frame = try! CANFrame(id: CANID(standard: UInt32(next(0x800))), data: data.prefix(next(9)))
            case 1: frame = try! CANFrame(id: CANID(extended: UInt32(next(0x2000_0000))), data: data.prefix(next(9)))
            case 2:
                let id = next(2) == 0 ? try! CANID(standard: UInt32(next(0x800))) : try! CANID(extended: UInt32(next(0x2000_0000)))
                frame = try! CANFrame(remote: id, length: next(9))
            case 3, 4:
                let id = next(2) == 0 ? try! CANID(standard: UInt32(next(0x800))) : try! CANID(extended: UInt32(next(0x2000_0000)))
                let flags = CANFDFlags(rawValue: UInt8(next(4)))
                frame = try! CANFrame(fd: id, data: data.prefix(CANFrame.fdLengths[next(16)]), flags: flags)
            case 5: frame = try! CANFrame(errorClass: UInt32(1 << next(10)), data: data.prefix(8))
            default:
                let id = try! CANID(standard: UInt32(next(0x800)))
                frame = next(3) == 0 ? try! CANFrame(remote: id, length: 8, len8DLC: UInt8(9 + next(7)))
                    : try! CANFrame(id: id, data: data.prefix(8), len8DLC: UInt8(9 + next(7)))
            }
            result.append(CandumpLogLine(timestamp: KernelTimestamp(seconds: seconds, nanoseconds: Int32(nanos)),
                                         interface: interface, frame: frame, direction: frame.isError ? nil : direction,
                                         precision: nanoseconds ? .nanoseconds : .microseconds))
        }
        return result
    }

    /// The lines as a candump log file.
    static func text(_ lines: [CandumpLogLine]) -> [UInt8] {
        var buffer: [UInt8] = []
        for line in lines {
            line.appendFormatted(to: &buffer, interfaceWidth: 0)
            buffer.append(0x0A)
        }
        return buffer
    }

    /// Everything a reader yields, failing the test on an error.
    static func read(_ bytes: [UInt8], _ format: CANLogFormat, sourceLocation: SourceLocation = #_sourceLocation) -> [CandumpLogLine] {
        var lines: [CandumpLogLine] = []
        for result in CANLogReader(bytes: bytes, format: format) {
            switch result {
            case .success(let line): lines.append(line)
            case .failure(let error):
                Issue.record("reading \(format): \(error)", sourceLocation: sourceLocation)
                return lines
            }
        }
        return lines
    }

    /// The lines written in `format` (a BLF file complete with its final header).
    static func write(_ lines: [CandumpLogLine], _ format: CANLogFormat) throws -> [UInt8] {
        var writer = CANLogWriter(format: format)
        var bytes: [UInt8] = []
        for line in lines { try writer.append(line, to: &bytes) }
        if let header = writer.finish(to: &bytes) { bytes.replaceSubrange(0..<header.count, with: header) }
        return bytes
    }

    /// A frame as the formats compare: FD flags without FDF (which ASC and BLF do not carry; 2020.11 tools
    /// write `##1` where current ones write `##5`).
    static func key(_ frame: CANFrame) -> String {
        guard frame.isFD else { return CANFrameText.compact(frame, rawDLC: true) }
        var text = Array(CANFrameText.compact(frame).utf8)
        let flags = text.firstIndex(of: UInt8(ascii: "#"))! + 2
        text[flags] = Array("0123".utf8)[Int(frame.rawFlagsByte & 0x3)]
        return String(decoding: text, as: UTF8.self)
    }

    /// Microseconds since the epoch, rounded to the nearest.
    static func micros(_ time: KernelTimestamp) -> Int64 {
        time.seconds * 1_000_000 + (Int64(time.nanoseconds) + 500) / 1000
    }
}

/// A scratch folder for one test, removed with its files at the end.
final class ScratchFolder {
    let path: String

    init() {
        var template = Array("/tmp/canlog-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = file(name)
        try! PackageFiles.write(bytes, to: target)
        return target
    }

    func read(_ name: String) -> [UInt8] { Subprocess.readBytes(file(name)) }

    deinit {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(path)/\(name)") }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}

/// The package's built executables.
enum Products {
    static var packageRoot: String { PackageFiles.root }

    static func path(_ name: String) -> String {
        let build = getenv("CANTOOLKIT_BUILD_DIR").map { String(cString: $0) } ?? "\(packageRoot)/.build/debug"
        return "\(build)/\(name)"
    }
}

/// python-can, pinned by scripts/lib/install-deps; the tests fail (not skip) without it.
enum PythonCAN {
    static let version = "4.6.1"

    /// Runs a Python script with arguments; records a failure and returns nil when it fails.
    static func run(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let result = try Subprocess.run(["python3", "-c", script] + arguments, timeout: .seconds(120))
        guard result.status == 0 else {
            Issue.record("python3 failed (\(result.status)); python-can \(version) is installed by scripts/lib/install-deps: \(result.stderr)",
                         sourceLocation: sourceLocation)
            return nil
        }
        return result.stdout
    }
}
