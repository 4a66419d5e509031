#if canImport(Glibc)
import Glibc
#endif
import SocketBase

/// Writes a classic pcap file (the format tcpdump `-w` writes), buffered: records collect in memory and go to
/// the file in large writes; ``flush()`` makes everything written so far readable, ``close()`` completes the file.
public final class PcapWriter {
    /// Timestamp resolution, chosen by the file's magic number.
    public enum Precision: Sendable {
        /// Magic 0xA1B2C3D4.
        case microseconds
        /// Magic 0xA1B23C4D.
        case nanoseconds
    }

    public let path: String
    public let linkType: PcapLinkType
    public let snapLength: UInt32
    public let precision: Precision
    private var descriptor: CInt
    private var buffer: [UInt8] = []
    /// Records written so far.
    public private(set) var recordCount = 0

    /// Creates (truncates) `path` and writes the file header.
    /// - Throws: ``SystemCallError`` naming the path.
    public init(path: String, linkType: PcapLinkType, snapLength: UInt32 = 262_144, precision: Precision = .microseconds) throws {
        self.path = path
        self.linkType = linkType
        self.snapLength = snapLength
        self.precision = precision
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError("open", target: path, errno: .current) }
        buffer.reserveCapacity(1 << 16)
        append32(precision == .microseconds ? 0xA1B2_C3D4 : 0xA1B2_3C4D)
        append16(2)
        append16(4)
        append32(0) // thiszone
        append32(0) // sigfigs
        append32(snapLength)
        append32(linkType.rawValue)
        try flush()
    }

    deinit {
        if descriptor >= 0 { try? close() }
    }

    /// Appends one record; bytes past the snap length are cut, the original length is kept.
    /// - Parameters:
    ///   - seconds, nanoseconds: The packet's timestamp.
    ///   - originalLength: The packet's length on the wire (defaults to `bytes.count`).
    public func write(seconds: Int64, nanoseconds: Int32, bytes: UnsafeRawBufferPointer, originalLength: Int? = nil) throws {
        let captured = min(bytes.count, Int(snapLength))
        append32(UInt32(truncatingIfNeeded: seconds))
        append32(UInt32(precision == .microseconds ? nanoseconds / 1000 : nanoseconds))
        append32(UInt32(captured))
        append32(UInt32(originalLength ?? bytes.count))
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<captured]))
        recordCount += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes everything buffered to the file.
    public func flush() throws {
        guard descriptor >= 0 else { return }
        var offset = 0
        try buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemCallError("write", target: path, errno: .current)
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; later calls do nothing.
    public func close() throws {
        guard descriptor >= 0 else { return }
        defer { descriptor = -1 }
        try flush()
        guard Glibc.close(descriptor) == 0 else { throw SystemCallError("close", target: path, errno: .current) }
    }

    private func append16(_ value: UInt16) { withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) } }
    private func append32(_ value: UInt32) { withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) } }
}
