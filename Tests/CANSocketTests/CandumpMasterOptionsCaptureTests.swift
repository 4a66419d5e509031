import Testing

import SocketBase
@testable import CANSocket

/// The formatter's `-8` and `-N` against can-utils master's candump (Fixtures/candump-master-opts, captured on Linux
/// 6.12 by `scripts/capture-candump-xl-fixtures <build> candump-master-opts`): classic frames with raw DLCs 9…F
/// (data and remote), FD, XL and extended frames on vcanxl and through a vxcan pair. Every frame, with the timestamp
/// and direction master's `candump -L -x` logged for it, must come out byte for byte as each master run printed it.
///
/// master's candump reads `SO_TIMESTAMP` (microseconds), so its `-N` digits end in `000`; the frames here carry those
/// times, and the formatter prints them alike. Master's log lines always carry `_<dlc>`; candump-swift's only with
/// `-8`, as 2020.11 (whose log lines candump-swift matches by default) has no raw DLC: the runs without `-8` must
/// equal master's with the `_<dlc>` taken out, and the same run with `-8` master's lines exactly.
@Suite("candump master capture (-8, -N, -f)")
struct CandumpMasterOptionsCaptureTests {
    static let capture = CandumpCaptureFolder("candump-master-opts", recapture: "scripts/capture-candump-xl-fixtures <build> candump-master-opts")

    /// The formatter options of a run's stdout: 2020.11's letters as CandumpCaptureTests maps them, `-8`, `-N`, and
    /// `-f -` (log lines on stdout, as `-L`).
    static func options(_ set: CandumpCaptureSet) -> CandumpFormatter.Options {
        var rest: [String] = []
        var rawDLC = false, nanoseconds = false, logFormat = false
        var words = set.options[...]
        while let option = words.popFirst() {
            switch option {
            case "-8": rawDLC = true
            case "-N": nanoseconds = true
            case "-f": if words.popFirst() == "-" { logFormat = true }  // a named file leaves stdout to the screen
            case "-s": _ = words.popFirst()
            default: rest.append(option)
            }
        }
        var options = CandumpCaptureTests.options(CandumpCaptureSet(name: set.name, options: rest, interfaces: set.interfaces, lines: []))
        options.rawDLC = rawDLC
        options.nanoseconds = nanoseconds
        if logFormat { options.logFormat = true }
        return options
    }

    static func logged() throws -> [CandumpXLCaptureTests.Logged] {
        let plain = try capture.set("L").lines.map(CandumpXLCaptureTests.parse)
        let extra = try capture.set("Lx").lines.map(CandumpXLCaptureTests.parse)
        #expect(plain.count == extra.count)
        for (a, b) in zip(plain, extra) { #expect(a.frame == b.frame && a.timestamp == b.timestamp) }
        return extra
    }

    static func format(_ options: CandumpFormatter.Options, names: [String], frames: [CandumpXLCaptureTests.Logged]) -> String {
        var formatter = CandumpFormatter(options: options, commandLineNames: names)
        var buffer: [UInt8] = []
        for entry in frames {
            formatter.append(frame: entry.frame, interface: entry.interface, timestamp: entry.timestamp, origin: entry.origin, to: &buffer)
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// A log text with the raw DLCs (`_9`…`_F` after a frame) taken out.
    static func withoutRawDLCs(_ text: String) -> String { text.replacing(/_[9A-F](?=[ \n]|$)/, with: "") }

    static func compare(_ name: String, _ text: String, _ expectedLines: [String]) {
        let produced = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in expectedLines.enumerated() where i < produced.count && produced[i] != line {
            Issue.record("\(name) line \(i + 1):\n  candump: \(line.debugDescription)\n  swift:   \(String(produced[i]).debugDescription)")
            break
        }
        #expect(text == expectedLines.joined(separator: "\n") + "\n", "\(name)")
    }

    @Test("the capture holds the traffic: every frame of `frames`, the raw DLCs the kernel passed through vcan and vxcan")
    func captureIsTheTraffic() throws {
        let sent = Self.capture.read("frames").split(separator: "\n").map { $0.split(separator: " ") }
        let logged = try Self.logged()
        #expect(logged.count == sent.count)
        for (entry, line) in zip(logged, sent) {
            #expect(entry.interface == (line[0] == "vxcanA" ? "vxcanB" : line[0]))
            let frame = try CANFrameText.parseAny(line[1])
            if case .can(let sentFrame) = frame, case .can(let got) = entry.frame {
                #expect(got.len8DLC == sentFrame.len8DLC, "\(line[1])")
            }
        }
        let rawDLCs = logged.compactMap { if case .can(let f) = $0.frame, f.len8DLC > 8 { f.len8DLC } else { nil } }
        #expect(rawDLCs.count == 6 && Set(rawDLCs).count == 5, "\(rawDLCs)")
    }

    /// The screen runs and the runs with -8 that print log lines (`-f - -8`).
    static let exactSets = ["8", "8x", "8a", "8c", "8iS", "Nta", "Ntd", "Ntz", "NtA", "N8x", "fdash", "fs0"]

    @Test(arguments: exactSets)
    func formatterReproducesMasterCandump(name: String) throws {
        let set = Self.capture.set(name)
        let names = CandumpCaptureTests.names(set)
        let frames = try Self.logged().filter { Set(names).contains($0.interface) }
        Self.compare(name, Self.format(Self.options(set), names: names, frames: frames), set.lines)
    }

    @Test("log lines: 2020.11's without -8 (master's less its `_<dlc>`), master's with -8; -N with 9 digits",
          arguments: ["L", "Lx", "NL", "NLx"])
    func logLines(name: String) throws {
        let set = Self.capture.set(name)
        let names = CandumpCaptureTests.names(set)
        let frames = try Self.logged()
        var options = Self.options(set)
        let master = set.lines.joined(separator: "\n") + "\n"
        #expect(master != Self.withoutRawDLCs(master), "the capture has raw DLCs to take out")
        Self.compare(name, Self.format(options, names: names, frames: frames), Self.withoutRawDLCs(master).split(separator: "\n").map(String.init))
        options.rawDLC = true
        Self.compare(name + " with -8", Self.format(options, names: names, frames: frames), set.lines)
    }

    @Test("the -f log files: f.log as -l writes it (master's less `_<dlc>`), f8N.log (-8 -N -x) and fs0.log (-8) exactly")
    func logFiles() throws {
        let frames = try Self.logged()
        let names = ["vcanxl", "vxcanB"]
        func file(_ name: String) -> [String] { Self.capture.read(name).split(separator: "\n").map(String.init) }
        var plain = CandumpFormatter.Options(logFormat: true)
        Self.compare("f.log", Self.format(plain, names: names, frames: frames), file("f.log").map(Self.withoutRawDLCs))
        plain.rawDLC = true; plain.nanoseconds = true; plain.extraInfo = true
        Self.compare("f8N.log", Self.format(plain, names: names, frames: frames), file("f8N.log"))
        let vcanOnly = frames.filter { $0.interface == "vcanxl" }
        Self.compare("fs0.log", Self.format(CandumpFormatter.Options(logFormat: true, rawDLC: true), names: ["vcanxl"], frames: vcanOnly),
                     file("fs0.log"))
    }

    @Test("-N: 9 digits from the nanoseconds, deltas in nanoseconds (not microseconds subtracted)")
    func nanosecondDigits() {
        let frame = CANFrame.placeholder
        var formatter = CandumpFormatter(options: .init(timestamp: .delta, nanoseconds: true), commandLineNames: ["vcan0"])
        var buffer: [UInt8] = []
        formatter.append(frame: frame, interface: "vcan0", timestamp: KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 999_999_900),
                         origin: .remote, to: &buffer)
        formatter.append(frame: frame, interface: "vcan0", timestamp: KernelTimestamp(seconds: 1_700_000_001, nanoseconds: 1_500),
                         origin: .remote, to: &buffer)
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
        #expect(lines.map { $0.prefix(16) } == [" (000.000000000)", " (000.000001600)"])
        // Without -N: microseconds subtracted, as 2020.11 subtracts struct timevals: 1.000001 - 0.999999.
        var micro = CandumpFormatter(options: .init(timestamp: .delta), commandLineNames: ["vcan0"])
        buffer.removeAll()
        micro.append(frame: frame, interface: "vcan0", timestamp: KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 999_999_900),
                     origin: .remote, to: &buffer)
        micro.append(frame: frame, interface: "vcan0", timestamp: KernelTimestamp(seconds: 1_700_000_001, nanoseconds: 1_500),
                     origin: .remote, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self).split(separator: "\n").map { $0.prefix(13) } == [" (000.000000)", " (000.000002)"])
        let log = CandumpFormatter(options: .init(logFormat: true, nanoseconds: true))
        buffer.removeAll()
        log.appendLogLine(frame: frame, interface: "vcan0", timestamp: KernelTimestamp(seconds: 1, nanoseconds: 123_456_789),
                          origin: .remote, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "(0000000001.123456789) vcan0 000#\n")
    }
}
