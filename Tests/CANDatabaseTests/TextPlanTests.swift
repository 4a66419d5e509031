import Foundation
import Testing
import CANSocket
@testable import CANDatabase

/// The one-pass path (`SignalDecoder.keepsValues` off: `TextPlan`) against the path that decodes into
/// `DecodedSignals` and prints from there (which CantoolsComparisonTests holds against cantools' values and text),
/// on every message of every file cantools loads, with the reference's payloads (every multiplexer value,
/// all-zeros, all-ones, sign bits) and random ones, both text forms.
@Suite struct TextPlanTests {
    @Test func onePassTextEqualsTheDecodedValuesText() throws {
        let files = try CantoolsReference.files.get()
        var state: UInt64 = 0x0DDB_1A5E_5BAD_5EED
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var planned = 0, compared = 0
        var mismatches: [String] = []
        for file in files where file.error == nil {
            guard let db = try? SignalDatabase(contentsOfFile: file.path) else { continue }
            planned += db.messages.filter { $0.layout.textPlan != nil }.count
            var general = SignalDecoder(database: db), onePass = SignalDecoder(database: db)
            onePass.keepsValues = false
            for reference in file.messages {
                let rawID = UInt32(reference["id"] as! Int) | ((reference["extended"] as! Bool) ? CANFrame.extendedFlag : 0)
                var payloads = (reference["cases"] as! [[String: Any]]).map { [UInt8](hex: $0["data"] as! String)! }
                let length = reference["length"] as! Int
                for _ in 0..<4 { payloads.append((0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }) }
                for data in payloads {
                    for singleLine in [false, true] {
                        general.singleLine = singleLine
                        onePass.singleLine = singleLine
                        var a: [UInt8] = [], b: [UInt8] = []
                        data.withUnsafeBytes { bytes in
                            general.appendText(rawID: rawID, data: bytes, unknownIDs: true, to: &a)
                            onePass.appendText(rawID: rawID, data: bytes, unknownIDs: true, to: &b)
                        }
                        compared += 1
                        if a != b && mismatches.count < 10 {
                            mismatches.append("\((file.path as NSString).lastPathComponent) \(reference["name"]!): \(String(decoding: a, as: UTF8.self)) vs \(String(decoding: b, as: UTF8.self))")
                        }
                    }
                }
            }
        }
        #expect(planned > 2_000 && compared > 40_000, "\(planned) messages planned, \(compared) texts compared")
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
