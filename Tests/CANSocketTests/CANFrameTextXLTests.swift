#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport

@testable import CANSocket

/// CAN XL text against can-utils master's cansend and candump, captured by scripts/capture-xl-fixtures on Linux
/// 6.12: each line of xl-frames.txt was sent with cansend; candump's log line and screen line for it are the
/// same line of xl-candump-log.txt and xl-candump-screen.txt.
@Suite("CAN XL text (can-utils master)")
struct CANFrameTextXLTests {
    static func fixture(_ name: String) throws -> [String] {
        let text = String(decoding: try ToolkitTestSupport.fixture(name), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    struct Capture {
        let input: String
        let log: String
        let screen: String
    }

    static func captures() throws -> [Capture] {
        let inputs = try fixture("xl-frames.txt"), logs = try fixture("xl-candump-log.txt"), screens = try fixture("xl-candump-screen.txt")
        try #require(inputs.count == logs.count && inputs.count == screens.count && !inputs.isEmpty,
                     "fixtures disagree: \(inputs.count) inputs, \(logs.count) log lines, \(screens.count) screen lines")
        return zip(inputs, zip(logs, screens)).map { Capture(input: $0, log: $1.0, screen: $1.1) }
    }

    @Test("cansend's input parses to the frame candump logged, and prints as candump's log form")
    func compactFormMatchesCandumpLog() throws {
        for capture in try Self.captures() {
            let logged = try #require(capture.log.split(separator: " ", maxSplits: 1).last.map(String.init))
            #expect(capture.log.hasPrefix("vcan0 "))
            let parsed = try CANFrameText.parseAny(capture.input)
            guard case .xl(let frame) = parsed else { Issue.record("\(capture.input) did not parse as CAN XL"); continue }
            #expect(CANFrameText.compact(frame) == logged, "input \(capture.input.prefix(40))")
            // What candump logged parses back to the same frame (canplayer's direction).
            #expect(try CANFrameText.parseXL(logged) == frame)
        }
    }

    @Test("the long form is candump's screen line after the interface column")
    func longFormMatchesCandumpScreen() throws {
        for capture in try Self.captures() {
            guard case .xl(let frame) = try CANFrameText.parseAny(capture.input) else { continue }
            let prefix = "  vcan0  "
            #expect(capture.screen.hasPrefix(prefix))
            #expect(prefix + CANFrameText.long(frame) == capture.screen, "input \(capture.input.prefix(40))")
        }
    }

    @Test("dots between bytes, and the indented long form of a standard-id-aligned screen")
    func separatorsAndIndent() throws {
        let frame = try CANXLFrame(priority: 0x598, vcid: 0x39, flags: [.remoteRequestSubstitution], serviceDataUnitType: 0x4A,
                                   acceptanceField: 0x3239_B34A, data: [0x3C, 0xAB, 0x01])
        #expect(CANFrameText.compact(frame, separator: true) == "39598#82:4A:3239B34A#3C.AB.01")
        var view = CANFrameText.View()
        view.indentStandardIDs = true
        #expect(CANFrameText.long(frame, view: view) == "     598 [0003] (39|82:4A:3239B34A) 3C AB 01")
        #expect(frame.description == "39598#82:4A:3239B34A#3CAB01")
        #expect(try CANFrameText.parseAny("39598#82:4A:3239B34A#3C.AB.01") == .xl(frame))
    }

    @Test("classic and FD frames still parse through parseAny")
    func classicAndFD() throws {
        #expect(try CANFrameText.parseAny("123#DEADBEEF") == .can(CANFrameText.parse("123#DEADBEEF")))
        #expect(try CANFrameText.parseAny("12345678##1AABB") == .can(CANFrameText.parse("12345678##1AABB")))
        #expect(try CANFrameText.parseAny("123#R") == .can(CANFrameText.parse("123#R")))
    }

    @Test("bad CAN XL text: what was wrong and at which column", arguments: [
        ("00800#80:00:00000000#11", 3, "priority 800 exceeds 7FF"),
        ("0G123#80:00:00000000#11", 2, "'G' is not a hex digit in the CAN XL VCID"),
        ("00123#80-00:00000000#11", 9, "expected ':' after the CAN XL flags"),
        ("00123#80:00:0000000#11", 20, "'#' is not a hex digit in the CAN XL acceptance field"),
        ("00123#80:00:000000001#11", 21, "expected '#' after the 8-digit CAN XL acceptance field"),
        ("00123#80:00:00000000#", 22, "needs 1 to 2048 data bytes"),
        ("00123#80:00:00000000#1", 23, "odd number of hex digits"),
        ("00123#84:00:00000000#11", 7, "reserved bits"),
        ("00123#11223344", 9, "expected ':' after the CAN XL flags"),
    ])
    func parseErrors(text: String, column: Int, message: String) {
        do {
            _ = try CANFrameText.parseAny(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.column == column, "\(text): \(error)")
            #expect(error.message.contains(message), "\(text): \(error)")
        }
    }

    @Test func tooMuchData() {
        let text = "00123#80:00:00000000#" + String(repeating: "AB", count: 2049)
        #expect(throws: CANTextParseError("more than 2048 data bytes", column: 21 + 2 * 2048 + 1)) { try CANFrameText.parseAny(text) }
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
