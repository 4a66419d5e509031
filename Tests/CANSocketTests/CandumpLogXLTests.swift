import Foundation
import Testing

import SocketBase
@testable import CANSocket

/// CAN XL in candump logs: the logs can-utils master's candump wrote (Fixtures/candump-master-xl: `-L`, `-L -x`; and
/// Fixtures/candump-master-opts: `-N -L`, `-f` with `-8 -N -x`) read line by line and written back byte for byte,
/// classic, FD and XL frames alike; bad XL lines are errors with their line and column.
@Suite("candump log lines with CAN XL")
struct CandumpLogXLTests {
    static let logs: [(folder: String, file: String)] = [
        ("candump-master-xl", "L.out"), ("candump-master-xl", "Lx.out"),
        ("candump-master-opts", "L.out"), ("candump-master-opts", "NLx.out"), ("candump-master-opts", "f8N.log"),
    ]

    static func read(_ folder: String, _ file: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(folder)/\(file)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test(arguments: logs.map { "\($0.folder)/\($0.file)" })
    func masterLogsRoundTrip(path: String) throws {
        let parts = path.split(separator: "/").map(String.init)
        let text = try Self.read(parts[0], parts[1])
        var written: [UInt8] = []
        var xl = 0
        for result in CandumpLogReader(text: text) {
            let line = try result.get()
            if case .xl = line.frame { xl += 1 }
            line.appendFormatted(to: &written, interfaceWidth: 0)
            written.append(0x0A)
        }
        #expect(xl > 0, "the log has CAN XL lines")
        let produced = String(decoding: written, as: UTF8.self)
        #expect(produced == text, "\(path):\n\(zip(produced.split(separator: "\n"), text.split(separator: "\n")).first { $0 != $1 }.map { "\($0.1)\n\($0.0)" } ?? "")")
    }

    @Test("master's XL log lines are the traffic that was sent (the fixture's `frames`)")
    func logsHoldTheSentFrames() throws {
        let sent = try Self.read("candump-master-xl", "frames").split(separator: "\n").map { try CANFrameText.parseAny($0.split(separator: " ")[1]) }
        let logged = try CandumpLogReader(text: try Self.read("candump-master-xl", "L.out")).map { try $0.get().frame }
        #expect(logged.count == sent.count)
        for (a, b) in zip(logged, sent) {
            if case .xl = b { #expect(a == b) }
        }
    }

    /// (line text, the column the error names, words its message has).
    static let badLines: [(String, Int, String)] = [
        ("39598#82:4A:3239B34A#3CA", 27 + 24, "odd number"),
        ("39598#82-4A:3239B34A#3CAB", 27 + 8, "expected ':' after the CAN XL flags"),
        ("3959G#82:4A:3239B34A#3CAB", 27 + 4, "priority"),
        ("39598#82:4A:3239B34A#", 27 + 21, "1 to 2048 data bytes"),
        ("39898#80:00:00000000#11", 27 + 2, "exceeds 7FF"),
        ("00111#84:01:00000000#11", 27 + 6, "reserved bits"),
        ("00111#80:01:0000000#11", 27 + 19, "'#' is not a hex digit in the CAN XL acceptance field"),
        ("00111#80:01:00000000#" + String(repeating: "AB", count: 2049), 27 + 21 + 4096, "more than 2048 data bytes"),
    ]

    @Test("bad XL lines: the reader names line and column", arguments: badLines.indices)
    func badXLLines(index: Int) {
        let (frame, column, words) = Self.badLines[index]
        let log = "(1700000000.000001) vcan2 00242#80:00:00000000#11\n\n(1700000000.000002) vcan2 \(frame)\n"
        let results = Array(CandumpLogReader(text: log))
        #expect(results.count == 2)
        guard results.count == 2, case .failure(let error) = results[1] else { Issue.record("no error for \(frame.prefix(40))"); return }
        #expect(error.line == 3 && error.column == column && error.message.contains(words), "\(error)")
    }
}
