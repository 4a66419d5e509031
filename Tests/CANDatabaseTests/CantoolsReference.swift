#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ToolkitTestSupport

/// The reference: PyPI cantools (and the DBC files of PyPI opendbc), run once per test process by
/// `Fixtures/cantools_reference.py`, its answers read from one JSON file.
enum CantoolsReference {
    static let fixtures: String = Bundle.module.resourcePath! + "/Fixtures"

    /// Where PyPI opendbc's DBC files are (nil when opendbc or cantools is not installed).
    static let opendbcFiles: [String] = {
        guard let result = try? Subprocess.run(["python3", "-c", "import opendbc, os; print(os.path.dirname(opendbc.__file__))"]),
              result.status == 0 else { return [] }
        let root = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".dbc") { files.append(root + "/" + path) }
        }
        return files.sorted()
    }()

    static let cornerFiles = [fixtures + "/corners.dbc"]

    struct File {
        let path: String
        let error: String?
        let messages: [[String: Any]]
    }

    /// The reference for every opendbc file and the hand-written ones, or the reason there is none.
    nonisolated(unsafe) static let files: Result<[File], SubprocessError> = {
        let out = NSTemporaryDirectory() + "cantools-reference-\(getpid()).json"
        defer { unlink(out) }
        let argv = ["python3", fixtures + "/cantools_reference.py", out] + opendbcFiles + cornerFiles
        guard let run = try? Subprocess.run(argv, timeout: .seconds(300)), run.status == 0 else {
            return .failure(SubprocessError(message: "cantools_reference.py failed (pip install cantools opendbc: scripts/lib/install-python-deps)"))
        }
        guard let data = FileManager.default.contents(atPath: out),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = json["files"] as? [[String: Any]] else {
            return .failure(SubprocessError(message: "cantools_reference.py wrote no readable JSON"))
        }
        return .success(entries.map {
            File(path: $0["path"] as? String ?? "", error: $0["error"] as? String, messages: $0["messages"] as? [[String: Any]] ?? [])
        })
    }()
}

extension Array where Element == UInt8 {
    init?(hex: String) {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let a = iterator.next() {
            guard let b = iterator.next(), let hi = Self.nibble(a), let lo = Self.nibble(b) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        self = bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
