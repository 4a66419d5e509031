import Testing

import SocketBase
@testable import CANSocket

/// The formatter against real candump 2020.11.0 output (``CandumpCapture``): every frame, with the timestamp
/// and direction that `candump -L -x` logged for it, must come out byte for byte as each candump printed it.
@Suite("candump 2020.11.0 capture")
struct CandumpCaptureTests {
    /// A frame as candump -L -x logged it.
    struct Logged {
        let line: CandumpLogLine
        let origin: CANReceivedFrame.Origin
    }

    /// Every logged frame (vcan0, vcan10, vxcanB), in order, with its direction from the -x log.
    static func logged() throws -> [Logged] {
        let plain = CandumpCapture.set("L").lines
        let extra = CandumpCapture.set("Lx").lines
        #expect(plain.count == extra.count)
        return try zip(plain, extra).map { plainLine, extraLine in
            let line = try CandumpLogLine(parsing: plainLine)
            let withDirection = try CandumpLogLine(parsing: extraLine)
            #expect(withDirection.frame == line.frame && withDirection.timestamp == line.timestamp)
            return Logged(line: line, origin: withDirection.direction == "T" ? .localHost : .remote)
        }
    }

    static func options(_ set: CandumpCaptureSet) -> CandumpFormatter.Options {
        var options = CandumpFormatter.Options(utcDates: true)  // the capture ran with TZ=UTC
        for option in set.options {
            switch option {
            case "-ta": options.timestamp = .absolute
            case "-tA": options.timestamp = .absoluteWithDate
            case "-td": options.timestamp = .delta
            case "-tz": options.timestamp = .zero
            case "-c": options.colorLevel += 1
            case "-a": options.ascii = true
            case "-i": options.binary = true
            case "-S": options.swap = true
            case "-e": options.errorDecode = true
            case "-x": options.extraInfo = true
            case "-L": options.logFormat = true
            default: Issue.record("option \(option) not mapped")
            }
        }
        return options
    }

    static func names(_ set: CandumpCaptureSet) -> [String] {
        set.interfaces.map { String($0.prefix { $0 != "," }) }
    }

    static func format(_ set: CandumpCaptureSet, frames: [Logged]) -> (text: String, diagnostics: String) {
        var formatter = CandumpFormatter(options: options(set), commandLineNames: names(set))
        var buffer: [UInt8] = []
        for entry in frames {
            formatter.append(frame: entry.line.frame, interface: entry.line.interface, timestamp: entry.line.timestamp,
                             origin: entry.origin, to: &buffer)
        }
        return (String(decoding: buffer, as: UTF8.self), String(decoding: formatter.diagnostics, as: UTF8.self))
    }

    static let screenSets = ["L", "Lx", "plain", "ta", "tz", "td", "tA", "a", "S", "aS", "i", "iS", "e", "ea", "x",
                             "c1", "c2", "c3"]

    @Test(arguments: screenSets)
    func formatterReproducesCandump(name: String) throws {
        let set = CandumpCapture.set(name)
        let interfaces = Set(Self.names(set))
        let frames = try Self.logged().filter { interfaces.contains($0.line.interface) }
        let (text, diagnostics) = Self.format(set, frames: frames)
        let expected = set.lines.joined(separator: "\n") + "\n"
        let produced = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in set.lines.enumerated() where i < produced.count && produced[i] != line {
            Issue.record("\(name) line \(i + 1):\n  candump: \(line.debugDescription)\n  swift:   \(String(produced[i]).debugDescription)")
            break
        }
        #expect(text == expected)
        if set.options.contains("-e") {
            #expect(diagnostics == CandumpCapture.errorDecodeStderr)
        } else {
            #expect(diagnostics.isEmpty)
        }
    }

    /// `any` receives both ends of the vxcan pair; the sending end's copy has its own timestamp.
    @Test func anyInterfaceColumnGrowsAsInterfacesAppear() throws {
        let set = CandumpCapture.set("any")
        let logged = try Self.logged()
        var byTime: [String: Logged] = [:]
        for entry in logged { byTime["\(entry.line.timestamp)"] = entry }
        var frames: [Logged] = []
        for line in set.lines {
            let time = String(line.dropFirst(2).prefix { $0 != ")" })
            let interface = String(line.split(separator: ")")[1].split(separator: " ")[0])
            if let entry = byTime[time] {
                frames.append(entry)
            } else {
                // vxcanA: the same frame as the vxcanB line just before it.
                let previous = try #require(frames.last)
                #expect(interface == "vxcanA" && previous.line.interface == "vxcanB")
                var copy = previous.line
                copy.interface = interface
                let seconds = Int64(time.prefix { $0 != "." })!
                let micros = Int32(time.drop { $0 != "." }.dropFirst())!
                copy.timestamp = KernelTimestamp(seconds: seconds, nanoseconds: micros * 1000)
                frames.append(Logged(line: copy, origin: .localHost))
            }
        }
        #expect(Set(frames.map(\.line.interface)) == ["vcan0", "vcan10", "vxcanA", "vxcanB"])
        let (text, _) = Self.format(set, frames: frames)
        #expect(text == set.lines.joined(separator: "\n") + "\n")
    }

    /// candump -L with filters on vcan0: the frames the kernel let through are exactly those
    /// ``CANInterfaceFilterSpec/accepts(_:)`` passes, of everything sent on vcan0.
    @Test(arguments: ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"])
    func filtersPassWhatTheKernelPassed(name: String) throws {
        let set = CandumpCapture.set(name)
        let spec = try CANInterfaceFilterSpec(parsing: set.interfaces[0])
        let sent = try Self.logged().filter { $0.line.interface == "vcan0" }.map(\.line)
        let passed = sent.filter { spec.accepts($0.canFrame!) }.map { "\($0.timestamp) vcan0 \($0.canFrame!)" }
        let received = try set.lines.map { line -> String in
            let parsed = try CandumpLogLine(parsing: line)
            return "\(parsed.timestamp) \(parsed.interface) \(parsed.frame)"
        }
        #expect(passed == received, "\(set.interfaces[0])")
    }

    @Test func captureCoversTheFrameKinds() throws {
        let frames = try Self.logged().map { $0.line.canFrame! }
        #expect(frames.contains { $0.isRemote && $0.isExtended })
        #expect(frames.contains { $0.isError })
        #expect(frames.contains { $0.isFD && $0.count == 64 && $0.fdFlags.contains(.bitRateSwitch) })
        #expect(frames.contains { $0.isFD && $0.fdFlags.contains(.errorStateIndicator) })
        #expect(Set(frames.filter { !$0.isFD && $0.isData }.map(\.count)) == Set(0...8))
        #expect(Set(frames.filter(\.isFD).map(\.count)).isSuperset(of: [0, 1, 2, 3, 8, 12, 16, 20, 24, 48, 64]))
    }
}
