// The output of the real candump (can-utils 2020.11.0, Debian bookworm) in 27 option sets, captured in the CAN VM
// (Linux 6.1; vcan0/vcan10 with MTU 72 and a vxcanA/vxcanB pair) by `scripts/capture-candump-fixtures`. The data
// lives in Fixtures/candump-2020.11: `sets` lists each run (name|options|interfaces), `<name>.out` is what that
// candump printed, `e.err` what candump -e wrote to stderr.
import Foundation

/// One candump run: its options, its interface arguments, and what it printed (one element per output line).
struct CandumpCaptureSet: Sendable {
    let name: String
    let options: [String]
    let interfaces: [String]
    let lines: [String]
}

enum CandumpCapture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/candump-2020.11")

    /// What candump -e wrote to stderr (the runs with -e decoded the same error frames).
    static let errorDecodeStderr: String = read("e.err")

    static let sets: [CandumpCaptureSet] = read("sets").split(separator: "\n").map { row in
        let fields = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        precondition(fields.count == 3, "Fixtures/candump-2020.11/sets: bad row \(row.debugDescription)")
        let output = read("\(fields[0]).out")
        precondition(output.isEmpty || output.hasSuffix("\n"), "\(fields[0]).out does not end in a newline")
        return CandumpCaptureSet(
            name: fields[0], options: words(fields[1]), interfaces: words(fields[2]),
            lines: output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    }

    static func set(_ name: String) -> CandumpCaptureSet { sets.first { $0.name == name }! }

    private static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    private static func read(_ name: String) -> String {
        let url = folder.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            preconditionFailure("missing fixture \(url.path) (re-create it with scripts/capture-candump-fixtures)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
