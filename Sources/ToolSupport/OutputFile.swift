#if canImport(Glibc)
import Glibc
#endif
import SocketBase

/// A descriptor written in large chunks from a reused buffer: stdout, a log file.
package final class OutputFile {
    package let descriptor: CInt
    package let name: String
    private let ownsDescriptor: Bool
    /// Bytes waiting to be written; formatting appends here directly.
    package var buffer: [UInt8]

    package init(descriptor: CInt, name: String, owns: Bool = false, capacity: Int = 1 << 16) {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = owns
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    /// Creates (truncates) a file, close-on-exec.
    package convenience init(creating path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemCallError("open", target: path, errno: .current) }
        self.init(descriptor: fd, name: path, owns: true)
    }

    /// Writes everything buffered.
    package func flush() throws {
        var offset = 0
        try buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemCallError("write", target: name, errno: .current)
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes when the buffer holds more than `threshold` bytes.
    @inline(__always)
    package func flushIfFull(_ threshold: Int = 1 << 15) throws {
        if buffer.count >= threshold { try flush() }
    }

    package func close() throws {
        try flush()
        if ownsDescriptor {
            guard Glibc.close(descriptor) == 0 else { throw SystemCallError("close", target: name, errno: .current) }
        }
    }
}
