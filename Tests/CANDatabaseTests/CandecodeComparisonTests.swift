import Foundation
import Testing
import ToolkitTestSupport

/// candecode-swift's output against `cantools decode` on the same replayed log: byte for byte, default and
/// --single-line, in log form and in candump's screen forms (plain and -ta), with unknown ids and a bad length.
@Suite struct CandecodeComparisonTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/candecode-swift"

    /// A log from the reference payloads of one file, plus frames cantools reports on (unknown id, wrong size, remote).
    static func log(for name: String, form: String) throws -> (dbc: String, text: String) {
        let file = try #require(try CantoolsReference.files.get().first { $0.path.hasSuffix("/" + name) && $0.error == nil })
        var lines: [String] = []
        var t = 1_700_000_000.0
        for message in file.messages {
            let id = message["id"] as! Int, extended = message["extended"] as! Bool, fd = message["fd"] as! Bool
            let idText = String(format: extended ? "%08X" : "%03X", id)
            for item in (message["cases"] as! [[String: Any]]).prefix(4) {
                let data = (item["data"] as! String).uppercased()
                t += 0.000137
                let stamp = String(format: "(%.6f)", t)
                switch form {
                case "log": lines.append("\(stamp) vcan0 \(idText)\(fd ? "##0" : "#")\(data)")
                default:
                    var bytes: [String] = []
                    var i = data.startIndex
                    while i < data.endIndex { let j = data.index(i, offsetBy: 2); bytes.append(String(data[i..<j])); i = j }
                    let length = fd ? String(format: "[%02d]", bytes.count) : "[\(bytes.count)]"
                    let body = "vcan0  \(idText.padding(toLength: extended ? 8 : 3, withPad: " ", startingAt: 0))   \(length)  \(bytes.joined(separator: " "))"
                    lines.append(form == "screen-ta" ? "\(stamp)  \(body)" : "  \(body)")
                }
            }
        }
        lines.append(form == "log" ? "(1700000001.000000) vcan0 7FE#1122" : "  vcan0  7FE   [2]  11 22")
        lines.append("a line that is no frame")
        return (file.path, lines.joined(separator: "\n") + "\n")
    }

    @Test(arguments: ["ford_lincoln_base_pt.dbc", "tesla_model3_party.dbc", "corners.dbc"], ["log", "screen", "screen-ta"])
    func outputEqualsCantoolsDecode(_ name: String, _ form: String) throws {
        let (dbc, text) = try Self.log(for: name, form: form)
        let input = NSTemporaryDirectory() + "candecode-\(getpid())-\(name)-\(form).log"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        defer { unlink(input) }
        for mode in ["", "--single-line"] {
            let theirs = try Subprocess.run(["bash", "-c", "cantools decode \(mode) '\(dbc)' < '\(input)'"])
            let ours = try Subprocess.run(["bash", "-c", "'\(Self.binary)' \(mode) '\(dbc)' < '\(input)'"])
            #expect(theirs.status == 0 && ours.status == 0, "\(theirs.stderr) \(ours.stderr)")
            #expect(theirs.stdout.components(separatedBy: " ::").count > 10, "cantools decoded nothing")
            let a = ours.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let b = theirs.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let first = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
            #expect(ours.stdout == theirs.stdout,
                    "\(name) \(form) \(mode): line \(first + 1): ours '\(first < a.count ? a[first] : "")', cantools '\(first < b.count ? b[first] : "")'")
        }
    }

    /// candump -8's screen lines (`{B}`, the raw DLC, where the length would be; can-utils after 2020.11, as the
    /// CANSocketTests fixtures hold them) beside FD, remote and extended lines: cantools decode reads only the
    /// `[len]` ones and passes the `{DLC}` ones through as text, and so does candecode-swift, byte for byte.
    @Test func rawDLCScreenLinesAsCantoolsDecodeReadsThem() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CANSocketTests/Fixtures/candump-master-opts").path
        let dbc = NSTemporaryDirectory() + "rawdlc-\(getpid()).dbc"
        try """
        VERSION ""

        BS_:

        BU_: A

        BO_ 291 M123: 8 A
         SG_ Low : 0|8@1+ (1,0) [0|255] "" A
         SG_ High : 8|16@1+ (0.5,0) [0|0] "u" A

        BO_ 1110 M456: 4 A
         SG_ S : 0|8@1+ (1,0) [0|255] "" A

        BO_ 2596069104 MExt: 8 A
         SG_ E : 0|32@1+ (1,0) [0|0] "" A

        """.write(toFile: dbc, atomically: true, encoding: .utf8)
        defer { unlink(dbc) }
        for name in ["8.out", "8c.out", "8a.out"] {
            let input = fixtures + "/" + name
            #expect(try String(contentsOfFile: input, encoding: .utf8).contains("   {8}  11 22"), "\(name) has -8 lines")
            for mode in ["", "--single-line"] {
                let theirs = try Subprocess.run(["bash", "-c", "cantools decode \(mode) '\(dbc)' < '\(input)'"])
                let ours = try Subprocess.run(["bash", "-c", "'\(Self.binary)' \(mode) '\(dbc)' < '\(input)'"])
                #expect(theirs.status == 0 && ours.status == 0, "\(theirs.stderr) \(ours.stderr)")
                #expect(theirs.stdout.contains(" :: "), "cantools decoded nothing in \(name)")
                #expect(ours.stdout == theirs.stdout, "\(name) \(mode): ours\n\(ours.stdout)\ncantools\n\(theirs.stdout)")
            }
        }
    }

    @Test func badDatabaseIsAnErrorWithLineAndColumn() throws {
        let path = NSTemporaryDirectory() + "bad-\(getpid()).dbc"
        try "BO_ 1 X: 8 ECU\n SG_ A : 0|8@2+ (1,0) [0|0] \"\" ECU\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let run = try Subprocess.run([Self.binary, path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("line 2, column 14: expected the byte order 0 or 1"), "\(run.stderr)")
    }
}
