#if canImport(Glibc)
import Glibc
#endif

/// This package's files for the tests: its root, its built executables, whole files read as bytes or text, and
/// the process's open descriptors (for leak checks).
public enum PackageFiles {
    /// The package root (three levels above this file: Tests/ToolkitTestSupport/PackageFiles.swift).
    public static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// A built executable of this package, e.g. `candump-swift`: under `CANTOOLKIT_BUILD_DIR` when set (the VM
    /// and the release bench), else `.build/debug`.
    public static func product(_ name: String) -> String {
        let build = getenv("CANTOOLKIT_BUILD_DIR").map { String(cString: $0) } ?? "\(root)/.build/debug"
        return "\(build)/\(name)"
    }

    /// A whole file's bytes, or nil when it cannot be opened.
    public static func bytes(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[..<n]
        }
        return bytes
    }

    /// A whole file as text ("" when it cannot be opened).
    public static func text(_ path: String) -> String { String(decoding: bytes(path) ?? [], as: UTF8.self) }

    /// Writes `bytes` to `path`, replacing the file.
    /// - Throws: ``PackageFileError`` naming the path and errno.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw PackageFileError(path: path, errno: errno) }
        defer { fclose(file) }
        let written = Array(bytes).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count, fflush(file) == 0 else { throw PackageFileError(path: path, errno: errno) }
    }

    /// Writes `text` (UTF-8) to `path`, replacing the file.
    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }

    /// The number of open descriptors of this process, counted in /proc/self/fd (independent of the code under test).
    public static func openDescriptorCount() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(dir) }
        var count = 0
        while readdir(dir) != nil { count += 1 }
        return count - 3 // ".", "..", and the directory's own descriptor
    }
}

/// A test file that could not be written.
public struct PackageFileError: Error, CustomStringConvertible {
    public var path: String
    public var errno: CInt
    public var description: String { "cannot write \(path): errno \(errno)" }
}
