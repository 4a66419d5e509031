#if canImport(Glibc)
import Glibc
#endif
import CANLog
import SocketBase

/// Whole-file reads and the output side of canlog-swift: a named file or stdin/stdout (`-`).
enum LogFiles {
    /// The bytes of `path`, or of stdin for `-`.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("open", target: path, errno: .current) }
        defer { if path != "-" { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("read", target: path == "-" ? "stdin" : path, errno: .current)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// The format of `path`: stdin/stdout are candump logs, files go by their extension unless `override` says.
    static func format(of path: String, override: CANLogFormat?) -> CANLogFormat? {
        if let override { return override }
        return path == "-" ? .candump : CANLogFormat(path: path)
    }
}
