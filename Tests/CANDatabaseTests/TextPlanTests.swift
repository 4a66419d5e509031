import Foundation
import Testing
import ToolkitTestSupport
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

/// The dense value-name lookup (consecutive values index the table, without a search) at its edges: raw values
/// just below and above the named ones, negative values, and a table that starts at Int64's minimum, where the
/// raw value minus the first wraps. Each text is held to the general path's and to what cantools prints.
@Suite struct TextPlanDenseChoicesTests {
    static let dbc = """
        VERSION ""
        BU_: ECU
        BO_ 291 Edges: 2 ECU
         SG_ Mode : 0|3@1- (1,0) [-4|3] "" ECU
         SG_ Gear : 8|4@1+ (1,0) [0|15] "" ECU
        BO_ 292 Wide: 8 ECU
         SG_ Low : 0|64@1- (1,0) [0|0] "" ECU
        VAL_ 291 Mode -2 "Reverse" -1 "Neutral" 0 "Park" 1 "Drive" ;
        VAL_ 291 Gear 3 "Third" 4 "Fourth" 5 "FifthGearWithALongName" ;
        VAL_ 292 Low -9223372036854775808 "Min" -9223372036854775807 "MinPlusOne" ;
        """

    /// Edges' payloads: every 3-bit Mode (-4 … 3) with every 4-bit Gear, below, inside and above the names.
    static let edges: [[UInt8]] = (0..<8).flatMap { mode in (0..<16).map { gear in [UInt8(mode), UInt8(gear)] } }
    /// Wide's: Int64.min (its first name), the next, and Int64.max, where raw minus first wraps to UInt64.max.
    static let wide: [[UInt8]] = [[0, 0, 0, 0, 0, 0, 0, 0x80], [1, 0, 0, 0, 0, 0, 0, 0x80],
                                  [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], [2, 0, 0, 0, 0, 0, 0, 0x80]]

    static func onePass(_ db: SignalDatabase, _ id: UInt32, _ data: [UInt8]) -> String {
        var decoder = SignalDecoder(database: db, singleLine: true)
        decoder.keepsValues = false
        var out: [UInt8] = []
        data.withUnsafeBytes { _ = decoder.appendText(rawID: id, data: $0, unknownIDs: true, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func rawValuesAroundTheNamedOnes() throws {
        let db = try SignalDatabase(dbc: Self.dbc)
        #expect(db.messages.allSatisfy { $0.layout.textPlan != nil })
        var general = SignalDecoder(database: db, singleLine: true)
        for (id, payloads) in [(UInt32(291), Self.edges), (292, Self.wide)] {
            for data in payloads {
                var a: [UInt8] = []
                data.withUnsafeBytes { _ = general.appendText(rawID: id, data: $0, unknownIDs: true, to: &a) }
                #expect(Self.onePass(db, id, data) == String(decoding: a, as: UTF8.self), "\(id) \(data)")
            }
        }
        #expect(Self.onePass(db, 291, [0x06, 0x05]) == " :: Edges(Mode: Reverse, Gear: FifthGearWithALongName)")
        #expect(Self.onePass(db, 291, [0x03, 0x02]) == " :: Edges(Mode: 3, Gear: 2)")
        #expect(Self.onePass(db, 292, Self.wide[0]) == " :: Wide(Low: Min)")
        #expect(Self.onePass(db, 292, Self.wide[2]) == " :: Wide(Low: 9223372036854775807)")
    }

    @Test func matchesCantools() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dense-\(getpid()).dbc").path
        try Self.dbc.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let frames = Self.edges.map { (UInt32(291), $0) } + Self.wide.map { (UInt32(292), $0) }
        let script = """
            import sys, cantools
            db = cantools.database.load_file(sys.argv[1])
            for arg in sys.argv[2:]:
                ident, hex = arg.split(":")
                m = db.get_message_by_frame_id(int(ident))
                d = m.decode(bytes.fromhex(hex))
                print(f"{m.name}(" + ", ".join(f"{k}: {v}" for k, v in d.items()) + ")")
            """
        let run = try Subprocess.run(["python3", "-c", script, path] + frames.map { "\($0.0):" + $0.1.hex })
        #expect(run.status == 0, "\(run.stderr)")
        let db = try SignalDatabase(dbc: Self.dbc)
        let ours = frames.map { String(Self.onePass(db, $0.0, $0.1).dropFirst(4)) }
        #expect(ours == run.stdout.split(separator: "\n").map(String.init))
    }
}
