import SocketBase

/// The buffered reading the pcap and pcapng readers share: a file read in large chunks into one buffer.
enum PcapInput {
    static let chunk = 1 << 16

    /// Makes at least `count` unread bytes available in `buffer` when the file has them: drops consumed bytes,
    /// then reads chunks until enough or end of file.
    static func fill(_ buffer: inout [UInt8], _ position: inout Int, _ bufferFileOffset: inout Int, _ endOfFile: inout Bool,
                     file: FileDescriptor?, path: String, count: Int) throws {
        guard buffer.count - position < count, !endOfFile, let file else { return }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            bufferFileOffset += position
            position = 0
        }
        while buffer.count < count && !endOfFile {
            let old = buffer.count
            let want = max(chunk, count - old)
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
}
