#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An owned file descriptor for what is not a socket: files, stdin/stdout/stderr, pipes, eventfds.
///
/// The descriptor is closed by ``close()``, by ``closeAfter(_:)`` (also when its body throws), or when the
/// object is released; a descriptor made with ``init(borrowing:name:)`` (the standard streams) is never closed.
/// Every call goes through SocketBase's one system-call layer: EINTR is retried (never for `close`), and a
/// non-blocking read returns ``IOResult/wouldBlock`` instead of throwing `EAGAIN`. Errors are
/// ``SystemCallError``s naming the call and the descriptor's ``name``, e.g. `open(/x/y): No such file or
/// directory (errno 2)`.
public final class FileDescriptor: Sendable, CustomStringConvertible {
    private let raw: Atomic<CInt>
    private let owned: Bool
    /// What the descriptor is, for error messages: a path, `stdout`.
    public let name: String

    /// Takes ownership of `descriptor`, which this object now closes.
    public init(owning descriptor: CInt, name: String) {
        raw = Atomic(descriptor)
        owned = true
        self.name = name
    }

    /// Uses `descriptor` without owning it: ``close()`` only forgets it.
    public init(borrowing descriptor: CInt, name: String) {
        raw = Atomic(descriptor)
        owned = false
        self.name = name
    }

    /// Descriptor 0, not owned.
    public static var standardInput: FileDescriptor { FileDescriptor(borrowing: 0, name: "stdin") }
    /// Descriptor 1, not owned.
    public static var standardOutput: FileDescriptor { FileDescriptor(borrowing: 1, name: "stdout") }
    /// Descriptor 2, not owned.
    public static var standardError: FileDescriptor { FileDescriptor(borrowing: 2, name: "stderr") }

    /// How ``open(_:_:options:permissions:)`` opens a file: `O_RDONLY`, `O_WRONLY` or `O_RDWR`.
    public enum AccessMode: Sendable {
        /// The corresponding C constant is `O_RDONLY`.
        case readOnly
        /// The corresponding C constant is `O_WRONLY`.
        case writeOnly
        /// The corresponding C constant is `O_RDWR`.
        case readWrite

        var flags: CInt {
            switch self {
            case .readOnly: O_RDONLY
            case .writeOnly: O_WRONLY
            case .readWrite: O_RDWR
            }
        }
    }

    /// Flags for ``open(_:_:options:permissions:)`` besides the access mode.
    public struct OpenOptions: OptionSet, Sendable {
        public let rawValue: CInt
        public init(rawValue: CInt) { self.rawValue = rawValue }
        /// Create the file if missing. The corresponding C constant is `O_CREAT`.
        public static let create = OpenOptions(rawValue: O_CREAT)
        /// Truncate to zero length. The corresponding C constant is `O_TRUNC`.
        public static let truncate = OpenOptions(rawValue: O_TRUNC)
        /// Fail if the file exists (with `.create`). The corresponding C constant is `O_EXCL`.
        public static let exclusiveCreate = OpenOptions(rawValue: O_EXCL)
        /// Writes go to the end. The corresponding C constant is `O_APPEND`.
        public static let append = OpenOptions(rawValue: O_APPEND)
        /// Reads and writes never block. The corresponding C constant is `O_NONBLOCK`.
        public static let nonBlocking = OpenOptions(rawValue: O_NONBLOCK)
    }

    /// Opens a file: `open(2)`, always close-on-exec (`O_CLOEXEC`).
    /// - Parameters:
    ///   - path: The file.
    ///   - mode: Read, write or both.
    ///   - options: `O_CREAT`, `O_TRUNC` and the like.
    ///   - permissions: The mode bits of a created file; 0644 by default.
    /// - Throws: ``SystemCallError`` like `open(/x/y): No such file or directory (errno 2)`.
    public static func open(_ path: String, _ mode: AccessMode, options: OpenOptions = [],
                            permissions: mode_t = 0o644) throws -> FileDescriptor {
        let fd = try Sys.open(path, mode.flags | options.rawValue, permissions).get("open", target: path)
        return FileDescriptor(owning: fd, name: path)
    }

    /// Whether `path` exists: `access(2)` with `F_OK`.
    public static func exists(_ path: String) -> Bool { Sys.exists(path) }

    /// A pipe: `pipe2(2)` with `O_CLOEXEC`.
    /// - Returns: The read end and the write end.
    public static func pipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        let (r, w) = try Sys.pipe().get("pipe")
        return (FileDescriptor(owning: r, name: "pipe read end"), FileDescriptor(owning: w, name: "pipe write end"))
    }

    deinit {
        let fd = raw.load(ordering: .acquiring)
        if owned && fd >= 0 { _ = Sys.close(fd) }
    }

    /// The raw descriptor, or -1 once closed.
    public var rawValue: CInt { raw.load(ordering: .acquiring) }

    @inline(__always)
    private func open(_ operation: String) throws(SystemCallError) -> CInt {
        let fd = rawValue
        guard fd >= 0 else { throw SystemCallError(operation, target: name, errno: .badFileDescriptor) }
        return fd
    }

    /// Reads at most `buffer.count` bytes: `read(2)`.
    /// - Returns: The number read, 0 at end of file, or ``IOResult/wouldBlock`` on a non-blocking descriptor
    ///   with nothing to read.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int> {
        let fd = try open("read")
        return try Sys.read(fd, buffer.baseAddress, buffer.count).ioResult("read", target: name)
    }

    /// Reads until end of file.
    /// - Parameter limit: The most bytes wanted; reading stops there.
    public func readAll(limit: Int = .max) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(1 << 16, max(1, limit)))
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let result = try chunk.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted])) }
            guard case .processed(let n) = result else {
                throw SystemCallError("read", target: name, errno: .wouldBlock)
            }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return bytes
    }

    /// Writes every byte, calling `write(2)` until all are written.
    /// - Throws: ``SystemCallError`` (`EAGAIN` too: a non-blocking descriptor that is full is a failure here).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        let fd = try open("write")
        var offset = 0
        while offset < bytes.count {
            offset += try Sys.write(fd, bytes.baseAddress! + offset, bytes.count - offset).get("write", target: name)
        }
    }

    /// Writes every byte at `offset` from the start of the file (`pwrite(2)`), leaving the file offset alone:
    /// for headers that are known only once the rest has been written.
    /// - Throws: ``SystemCallError`` naming `pwrite` and the file.
    public func writeAll(_ bytes: [UInt8], at offset: Int) throws {
        let fd = try open("pwrite")
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                done += try Sys.pwrite(fd, raw.baseAddress! + done, raw.count - done, offset + done)
                    .get("pwrite", target: name)
            }
        }
    }

    /// Cuts the file to `length` bytes (`ftruncate(2)`), e.g. back to its last whole record after a write that
    /// failed part-way. The file offset is not moved.
    /// - Throws: ``SystemCallError`` naming `ftruncate` and the file (`EINVAL` for a pipe or a terminal).
    public func truncate(to length: Int) throws {
        let fd = try open("ftruncate")
        try Sys.ftruncate(fd, length).get("ftruncate", target: name)
    }

    /// Whether the descriptor is a regular file (`fstat(2)`), not a device, pipe, socket or terminal: what a tool
    /// may cut back or remove after a failure (`/dev/full` is a device, never to be unlinked).
    /// - Throws: ``SystemCallError`` naming `fstat` and the file.
    public func isRegularFile() throws -> Bool {
        let fd = try open("fstat")
        return try Sys.fstatType(fd).get("fstat", target: name) == S_IFREG
    }

    /// Removes a file's name (`unlink(2)`), e.g. a partial output after a failure.
    /// - Throws: ``SystemCallError`` naming `unlink` and the path.
    public static func remove(_ path: String) throws {
        try Sys.unlink(path).get("unlink", target: path)
    }

    /// Writes every byte of an array or other contiguous collection.
    public func writeAll(_ bytes: some Sequence<UInt8>) throws {
        if let done: Void = try bytes.withContiguousStorageIfAvailable({ try writeAll(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        try Array(bytes).withUnsafeBytes { try writeAll($0) }
    }

    /// Closes the descriptor (if owned) and forgets it; calling it again does nothing. `close(2)` is never
    /// retried: on Linux the descriptor is released even when it reports EINTR.
    public func close() throws {
        let fd = raw.exchange(-1, ordering: .acquiringAndReleasing)
        guard fd >= 0, owned else { return }
        try Sys.close(fd).get("close", target: name)
    }

    /// Runs `body`, then closes the descriptor, also when `body` throws (its error wins over close's).
    public func closeAfter<R>(_ body: (FileDescriptor) throws -> R) throws -> R {
        let result: R
        do {
            result = try body(self)
        } catch {
            try? close()
            throw error
        }
        try close()
        return result
    }

    public var description: String {
        let fd = rawValue
        return "FileDescriptor(\(fd >= 0 ? "fd \(fd)" : "closed"), \(name)\(owned ? "" : ", borrowed"))"
    }
}
