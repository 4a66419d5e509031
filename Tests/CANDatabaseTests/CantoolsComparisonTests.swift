import Foundation
import Testing
import CANSocket
@testable import CANDatabase

/// Every DBC file PyPI opendbc ships, and the hand-written corner cases, against cantools: loading, decoding
/// (values within 1e-9 relative, value names, and the text cantools prints for each value), encoding.
@Suite struct CantoolsComparisonTests {
    @Test func everyFileCantoolsLoadsLoadsHereAndDecodesAlike() throws {
        let files = try CantoolsReference.files.get()
        #expect(files.count >= 116, "opendbc's 115 files and corners.dbc")
        var loaded = 0, messages = 0, cases = 0, encoded = 0, decodeErrors = 0
        var mismatches: [String] = []
        func fail(_ text: String) { if mismatches.count < 30 { mismatches.append(text) } }
        var decoded = DecodedSignals()
        for file in files where file.error == nil {
            let name = (file.path as NSString).lastPathComponent
            let db: SignalDatabase
            do { db = try SignalDatabase(contentsOfFile: file.path) } catch {
                fail("\(name): cantools loads it, we do not: \(error)")
                continue
            }
            loaded += 1
            for reference in file.messages {
                let rawID = UInt32(reference["id"] as! Int)
                let extended = reference["extended"] as! Bool
                let id = extended ? try CANID(extended: rawID) : try CANID(standard: rawID)
                guard let message = db.message(for: id) else { fail("\(name): no message \(id)"); continue }
                messages += 1
                #expect(message.name == reference["name"] as? String)
                #expect(message.isFD == reference["fd"] as? Bool, "\(name) \(message.name) FD")
                #expect(message.length == reference["length"] as? Int)
                #expect(message.signals.map(\.name) == reference["signals"] as! [String], "\(name) \(message.name): signal order")
                for item in reference["cases"] as! [[String: Any]] {
                    cases += 1
                    let data = [UInt8](hex: item["data"] as! String)!
                    let where_ = "\(name) \(message.name) \(item["data"] as! String)"
                    do {
                        try data.withUnsafeBytes { try message.decode(data: $0, into: &decoded) }
                    } catch {
                        if let expected = item["decode_error"] as? String {
                            decodeErrors += 1
                            if "\(error)" != expected { fail("\(where_): error '\(error)', cantools '\(expected)'") }
                        } else {
                            fail("\(where_): \(error)")
                        }
                        continue
                    }
                    if let expected = item["decode_error"] as? String { fail("\(where_): decoded, cantools: \(expected)"); continue }
                    let signals = item["signals"] as! [String: [String: Any]]
                    var present = 0
                    for i in 0..<decoded.count where decoded.isPresent[i] {
                        present += 1
                        let s = message.signals[i]
                        guard let want = signals[s.name] else { fail("\(where_): \(s.name) decoded, not by cantools"); continue }
                        if let label = want["label"] as? String {
                            if decoded.choiceName(i, in: message) != label { fail("\(where_): \(s.name) label \(decoded.choiceName(i, in: message) ?? "none"), cantools \(label)") }
                            continue
                        }
                        if decoded.choiceName(i, in: message) != nil { fail("\(where_): \(s.name) has a label, cantools none"); continue }
                        var text: [UInt8] = []
                        decoded.appendValue(i, s, to: &text)
                        let ours = String(decoding: text, as: UTF8.self)
                        let theirs = (want["float"] ?? want["int"]) as! String
                        if ours != theirs { fail("\(where_): \(s.name) = \(ours), cantools \(theirs)") }
                        let a = decoded.values[i], b = Double(theirs)!
                        if !(a == b || (a.isNaN && b.isNaN) || abs(a - b) <= 1e-9 * max(abs(a), abs(b))) {
                            fail("\(where_): \(s.name) = \(a), cantools \(b)")
                        }
                        if (want["float"] != nil) == s.hasIntegerValues { fail("\(where_): \(s.name) int/float kind differs") }
                    }
                    if present != signals.count { fail("\(where_): \(present) signals, cantools \(signals.count)") }
                    // Encoding what was decoded: the same payload as cantools', or an error where cantools raises.
                    let theirs = item["encoded"] as? String
                    do {
                        let ours = try message.encode(decoded)
                        if let theirs { encoded += 1; if ours.hex != theirs { fail("\(where_): encoded \(ours.hex), cantools \(theirs)") } }
                        else { fail("\(where_): encoded \(ours.hex), cantools raised \(item["encode_error"] as? String ?? "")") }
                    } catch {
                        if theirs != nil { fail("\(where_): encode failed (\(error)), cantools gave \(theirs!)") }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(loaded >= 82, "81 opendbc files and corners.dbc load with cantools")
        #expect(cases > 10_000 && encoded > 5_000 && messages > 2_000)
        print("cantools comparison: \(loaded) files, \(messages) messages, \(cases) payloads (\(decodeErrors) decode errors alike), \(encoded) encoded alike")
    }
}
