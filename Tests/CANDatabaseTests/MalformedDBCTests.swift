import Foundation
import Testing
@testable import CANDatabase

/// Truncated and mutated DBC text gives an error with a line and column, or a database: never a crash.
@Suite struct MalformedDBCTests {
    static func sample(_ name: String) -> [UInt8]? {
        let path = CantoolsReference.opendbcFiles.first { $0.hasSuffix("/" + name) } ?? (CantoolsReference.fixtures + "/" + name)
        return FileManager.default.contents(atPath: path).map { Array($0) }
    }

    @Test(arguments: ["corners.dbc", "tesla_model3_party.dbc", "vw_mlb.dbc"])
    func everyTruncationIsAnErrorOrADatabase(_ name: String) throws {
        let bytes = try #require(Self.sample(name), "\(name) not found (pip install opendbc)")
        var errors = 0, databases = 0
        // Every prefix of the small file; 600 evenly spread cuts of the large ones (each cut parses the whole prefix).
        let step = bytes.count < 10_000 ? 1 : bytes.count / 600
        for cut in stride(from: 0, to: bytes.count, by: step) {
            do {
                let db = try SignalDatabase(dbcBytes: Array(bytes[..<cut]))
                databases += 1
                var decoded = DecodedSignals()
                let zeros = [UInt8](repeating: 0xA5, count: 64)
                for m in db.messages { _ = try? zeros.withUnsafeBytes { try m.decode(data: $0, into: &decoded) } }
            } catch {
                errors += 1
                #expect(error.line >= 1 && error.column >= 1, "\(error)")
            }
        }
        #expect(errors > 0 && databases > 0)
    }

    @Test func mutatedStatementsAreErrorsOrDatabases() throws {
        let bytes = try #require(Self.sample("corners.dbc"))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // fixed seed: the same mutations every run
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let alphabet = Array(" \n\":;|@+-()[],0123456789MmxSG_BO_VAL_".utf8)
        var outcomes = [0, 0]
        for _ in 0..<3000 {
            var mutated = bytes
            for _ in 0..<(1 + Int(next() % 4)) {
                let at = Int(next() % UInt64(mutated.count))
                switch next() % 3 {
                case 0: mutated[at] = alphabet[Int(next() % UInt64(alphabet.count))]
                case 1: mutated.remove(at: at)
                default: mutated.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: at)
                }
            }
            do { _ = try SignalDatabase(dbcBytes: mutated); outcomes[0] += 1 } catch { outcomes[1] += 1 }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0)
    }

    @Test func errorsNameLineColumnAndWhatWasExpected() {
        #expect(throws: DBCParseError("expected ':' after the message name, found '8'", line: 2, column: 13)) {
            try SignalDatabase(dbc: "VERSION \"\"\nBO_ 100 Foo 8 ECU\n")
        }
        #expect(throws: DBCParseError("expected the signal length, found the end of the file", line: 3, column: 1)) {
            try SignalDatabase(dbc: "BO_ 100 Foo: 8 ECU\n SG_ A : 0|")
        }
    }
}
