// The output of the real candump (can-utils 2020.11.0, Debian bookworm) in 27 option sets, captured in the CAN VM
// (Linux 6.1; vcan0/vcan10 with MTU 72 and a vxcanA/vxcanB pair) by `scripts/capture-candump-fixtures`. The data
// lives in Fixtures/candump-2020.11: `sets` lists each run (name|options|interfaces), `<name>.out` is what that
// candump printed, `e.err` what candump -e wrote to stderr. Fixtures/candump-master-xl holds can-utils master's
// candump on CAN XL traffic the same way (`scripts/capture-candump-xl-fixtures`).
import Foundation

/// One candump run: its options, its interface arguments, and what it printed (one element per output line).
struct CandumpCaptureSet: Sendable {
    let name: String
    let options: [String]
    let interfaces: [String]
    let lines: [String]
}

enum CandumpCapture {
    /// can-utils 2020.11.0's candump (Fixtures/candump-2020.11).
    static let v2020 = CandumpCaptureFolder("candump-2020.11", recapture: "scripts/capture-candump-fixtures")

    /// What candump -e wrote to stderr (the runs with -e decoded the same error frames).
    static let errorDecodeStderr: String = v2020.read("e.err")

    static var sets: [CandumpCaptureSet] { v2020.sets }

    static func set(_ name: String) -> CandumpCaptureSet { v2020.set(name) }
}

/// A folder of captured candump runs under Fixtures: `sets` (name|options|interfaces) and `<name>.out` each.
struct CandumpCaptureFolder: Sendable {
    let folder: URL
    let recapture: String
    let sets: [CandumpCaptureSet]

    init(_ name: String, recapture: String) {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        self.folder = folder
        self.recapture = recapture
        func read(_ file: String) -> String { Self.read(file, in: folder, recapture: recapture) }
        sets = read("sets").split(separator: "\n").map { row in
            let fields = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            precondition(fields.count == 3, "Fixtures/\(name)/sets: bad row \(row.debugDescription)")
            let output = read("\(fields[0]).out")
            precondition(output.isEmpty || output.hasSuffix("\n"), "\(fields[0]).out does not end in a newline")
            return CandumpCaptureSet(
                name: fields[0], options: Self.words(fields[1]), interfaces: Self.words(fields[2]),
                lines: output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
        }
    }

    func set(_ name: String) -> CandumpCaptureSet { sets.first { $0.name == name }! }

    private static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    func read(_ name: String) -> String { Self.read(name, in: folder, recapture: recapture) }

    private static func read(_ name: String, in folder: URL, recapture: String) -> String {
        let url = folder.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            preconditionFailure("missing fixture \(url.path) (re-create it with \(recapture))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
