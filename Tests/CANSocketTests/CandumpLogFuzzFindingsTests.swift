import CANSocket
import Testing
import ToolkitTestSupport

/// The CandumpLog fuzz target's findings (Fixtures/CandumpLog), kept as regression tests.
@Suite struct CandumpLogFuzzFindingsTests {
    @Test func secondsPastInt64AreAnErrorNotATrap() throws {
        let text = String(decoding: try fixture("CandumpLog/seconds-overflow"), as: UTF8.self)
        let results = Array(CandumpLogReader(text: text, onError: .skip))
        #expect(results.count == 6)
        let errors = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        let tooLong = errors.filter { $0.message.hasPrefix("timestamp seconds beyond 9223372035") }
        #expect(tooLong.map(\.line) == [2, 3] && tooLong.allSatisfy { $0.column == 2 }, "\(errors)")
    }

    /// The last second the kernel's 64-bit nanosecond time reaches parses; one more, or 19 digits (past Int64),
    /// is an error that names the limit, not an overflow trap.
    @Test func secondsUpToTheKernelsLimitParseLongerDoNot() throws {
        let last = try CandumpLogLine(parsing: "(9223372035.000001) vcan0 123#11")
        #expect(last.timestamp.seconds == 9_223_372_035)
        for text in ["(9223372036.000001) vcan0 123#11", "(9999999999999999999.000001) vcan0 123#11"] {
            #expect(throws: CANTextParseError.self) { try CandumpLogLine(parsing: text) }
        }
    }
}
