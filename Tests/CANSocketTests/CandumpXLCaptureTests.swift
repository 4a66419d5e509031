import Testing

import SocketBase
@testable import CANSocket

/// The formatter against can-utils master's candump on mixed CAN XL, FD and classic traffic
/// (Fixtures/candump-master-xl, captured on Linux 6.12 by `scripts/capture-candump-xl-fixtures`): every frame,
/// with the timestamp and direction that `candump -L -x` logged for it, must come out byte for byte as each
/// candump run printed it: screen lines with and without `-x` (`TX S R`), every timestamp mode, colours, the view
/// options XL ignores, and the log lines.
@Suite("candump master capture (CAN XL)")
struct CandumpXLCaptureTests {
    static let capture = CandumpCaptureFolder("candump-master-xl", recapture: "scripts/capture-candump-xl-fixtures")

    /// A frame as master's candump -L -x logged it.
    struct Logged {
        let timestamp: KernelTimestamp
        let interface: String
        let frame: CANAnyFrame
        let origin: CANReceivedFrame.Origin
    }

    /// `(1796165328.208926) vcanxl 00242#80:00:00000000#11 T`: timestamp, interface, frame, direction.
    static func parse(_ line: String) throws -> Logged {
        let fields = line.split(separator: " ")
        try #require(fields.count >= 3 && fields[0].hasPrefix("(") && fields[0].hasSuffix(")"), "log line \(line)")
        let time = fields[0].dropFirst().dropLast().split(separator: ".")
        let seconds = try #require(Int64(time[0])), micros = try #require(Int32(time[1]))
        return Logged(timestamp: KernelTimestamp(seconds: seconds, nanoseconds: micros * 1000), interface: String(fields[1]),
                      frame: try CANFrameText.parseAny(fields[2]), origin: fields.count > 3 && fields[3] == "T" ? .localHost : .remote)
    }

    static func logged() throws -> [Logged] {
        let plain = try capture.set("L").lines.map(parse)
        let extra = try capture.set("Lx").lines.map(parse)
        #expect(plain.count == extra.count)
        for (a, b) in zip(plain, extra) { #expect(a.frame == b.frame && a.timestamp == b.timestamp) }
        return extra
    }

    static func format(_ set: CandumpCaptureSet, frames: [Logged]) -> String {
        var formatter = CandumpFormatter(options: CandumpCaptureTests.options(set), commandLineNames: CandumpCaptureTests.names(set))
        var buffer: [UInt8] = []
        for entry in frames {
            formatter.append(frame: entry.frame, interface: entry.interface, timestamp: entry.timestamp, origin: entry.origin, to: &buffer)
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test("the capture holds what was sent: every frame of `frames`, XL ones field for field, RX from the vxcan pair")
    func captureIsTheTraffic() throws {
        let sent = Self.capture.read("frames").split(separator: "\n").map { $0.split(separator: " ") }
        let logged = try Self.logged()
        #expect(logged.count == sent.count)
        var xl = 0
        for (entry, line) in zip(logged, sent) {
            #expect(entry.interface == (line[0] == "vxcanA" ? "vxcanB" : line[0]))
            #expect(entry.origin == (line[0] == "vxcanA" ? CANReceivedFrame.Origin.remote : .localHost))
            if case .xl = entry.frame {
                xl += 1
                #expect(entry.frame == (try CANFrameText.parseAny(line[1])), "\(line[1].prefix(40))")
            }
        }
        #expect(xl == 12)
        #expect(logged.contains { if case .xl(let f) = $0.frame { f.data.count == 2048 } else { false } })
        #expect(logged.contains { if case .xl(let f) = $0.frame { f.vcid == 0xFF && f.flags.rawValue == 0x83 } else { false } })
    }

    @Test(arguments: capture.sets.map(\.name))
    func formatterReproducesMasterCandump(name: String) throws {
        let set = Self.capture.set(name)
        let interfaces = Set(CandumpCaptureTests.names(set))
        let frames = try Self.logged().filter { interfaces.contains($0.interface) }
        let text = Self.format(set, frames: frames)
        let produced = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in set.lines.enumerated() where i < produced.count && produced[i] != line {
            Issue.record("\(name) line \(i + 1):\n  candump: \(line.debugDescription)\n  swift:   \(String(produced[i]).debugDescription)")
            break
        }
        #expect(text == set.lines.joined(separator: "\n") + "\n")
    }
}
