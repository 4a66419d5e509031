import CANLog
import SocketBase

/// Whole-file reads and the output side of canlog-swift: a named file or stdin/stdout (`-`).
enum LogFiles {
    /// The bytes of `path`, or of stdin for `-`.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return try FileDescriptor.standardInput.readAll() }
        return try FileDescriptor.open(path, .readOnly).closeAfter { try $0.readAll() }
    }

    /// The format of `path`: stdin/stdout are candump logs, files go by their extension unless `override` says.
    static func format(of path: String, override: CANLogFormat?) -> CANLogFormat? {
        if let override { return override }
        return path == "-" ? .candump : CANLogFormat(path: path)
    }
}
