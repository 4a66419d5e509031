import CANSocket
import Testing

/// The CandumpLog fuzz target's findings (Fixtures/CandumpLog), kept as regression tests.
@Suite struct CandumpLogFuzzFindingsTests {
    @Test func secondsPastInt64AreAnErrorNotATrap() throws {
        let text = String(decoding: try fixture("CandumpLog/seconds-overflow"), as: UTF8.self)
        let results = Array(CandumpLogReader(text: text, onError: .skip))
        #expect(results.count == 6)
        let errors = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        let tooLong = errors.filter { $0.message == "timestamp seconds too long" }
        #expect(tooLong.map(\.line) == [2, 3] && tooLong.allSatisfy { $0.column == 20 }, "\(errors)")
    }

    @Test func eighteenDigitsParseNineteenDoNot() throws {
        let eighteen = try CandumpLogLine(parsing: "(999999999999999999.000001) vcan0 123#11")
        #expect(eighteen.timestamp.seconds == 999_999_999_999_999_999)
        #expect(throws: CANTextParseError("timestamp seconds too long", column: 20)) {
            try CandumpLogLine(parsing: "(9999999999999999999.000001) vcan0 123#11")
        }
    }
}
