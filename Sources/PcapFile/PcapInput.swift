import SocketBase

/// The buffered input the pcap and pcapng readers share: a file read in large chunks into one buffer (or bytes
/// held in memory), the read position in it, and the file's fields read in either byte order.
///
/// Owns the file: ``close()`` closes it, and so does the descriptor's deinit, so a reader whose initializer throws
/// leaks nothing.
final class PcapInput {
    static let chunk = 1 << 16

    /// The file's path ("<memory>" for bytes in memory), for errors.
    let path: String
    /// The open file; nil for bytes in memory and once closed.
    private var file: FileDescriptor?
    /// The bytes read and not yet dropped.
    private(set) var buffer: [UInt8]
    /// Next unread byte in `buffer`.
    var position = 0
    /// File offset of `buffer[0]`.
    private var bufferFileOffset = 0
    private var endOfFile: Bool

    /// Opens `path` for reading.
    /// - Throws: ``SystemCallError`` naming the path.
    convenience init(opening path: String) throws {
        self.init(path: path, file: try FileDescriptor.open(path, .readOnly), bytes: [])
    }

    /// Bytes held in memory, named "<memory>" in errors.
    convenience init(bytes: [UInt8]) {
        self.init(path: "<memory>", file: nil, bytes: bytes)
    }

    private init(path: String, file: FileDescriptor?, bytes: [UInt8]) {
        self.path = path
        self.file = file
        buffer = bytes
        endOfFile = file == nil
        if file != nil { buffer.reserveCapacity(Self.chunk) }
    }

    /// Closes the file; later reads find nothing.
    func close() {
        try? file?.close()
        file = nil
        endOfFile = true
        buffer.removeAll()
        position = 0
    }

    /// The unread bytes in `buffer`.
    var available: Int { buffer.count - position }

    /// The file offset of `position`.
    var fileOffset: Int { bufferFileOffset + position }

    /// Makes at least `count` unread bytes available when the file has them: drops consumed bytes, then reads
    /// chunks until enough or end of file.
    /// - Throws: ``SystemCallError`` when `read(2)` fails.
    func fill(_ count: Int) throws {
        guard available < count, !endOfFile, let file else { return }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            bufferFileOffset += position
            position = 0
        }
        while buffer.count < count && !endOfFile {
            let old = buffer.count
            let want = max(Self.chunk, count - old)
            buffer.append(contentsOf: repeatElement(0, count: want))
            do {
                // read(2), EINTR retried by FileDescriptor; a regular file never reports would-block.
                let result = try buffer.withUnsafeMutableBytes { raw in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[old...]))
                }
                guard case .processed(let n) = result else { buffer.removeSubrange(old...); continue }
                buffer.removeSubrange((old + n)...)
                if n == 0 { endOfFile = true }
            } catch {
                buffer.removeSubrange(old...)
                throw error
            }
        }
    }

    /// Hands `body` a view of `range` of `buffer`, valid only during the call.
    func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeBytes { raw in try body(UnsafeRawBufferPointer(rebasing: raw[range])) }
    }

    // MARK: Fields

    /// The two bytes at `at`, little-endian when `littleEndian`, else big-endian.
    func u16(_ at: Int, littleEndian: Bool) -> UInt16 {
        let value = UInt16(buffer[at]) | UInt16(buffer[at + 1]) << 8
        return littleEndian ? value : value.byteSwapped
    }

    /// The four bytes at `at`, little-endian when `littleEndian`, else big-endian.
    func u32(_ at: Int, littleEndian: Bool = true) -> UInt32 {
        let value = UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
        return littleEndian ? value : value.byteSwapped
    }

    /// The eight bytes at `at`, little-endian when `littleEndian`, else big-endian.
    func u64(_ at: Int, littleEndian: Bool) -> UInt64 {
        let value = UInt64(u32(at)) | UInt64(u32(at + 4)) << 32
        return littleEndian ? value : value.byteSwapped
    }
}
