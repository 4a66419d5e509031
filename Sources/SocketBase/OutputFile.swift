import SocketBase

/// A descriptor written in large chunks from a reused buffer: stdout, a log file, a capture file.
package final class OutputFile {
    package let file: FileDescriptor
    package var name: String { file.name }
    /// Bytes waiting to be written; formatting appends here directly, whole lines (or records) at a time.
    /// Appended to per frame or packet from one thread, never in overlapping accesses: no runtime exclusivity checks.
    @exclusivity(unchecked) package var buffer: [UInt8]
    /// Bytes written by the flushes that succeeded: the file's length in whole lines.
    private var committed = 0
    /// Whether a failed write cuts the file back to `committed`: only a regular file this type created (and
    /// truncated), never a device such as /dev/full, nor a descriptor it was handed (stdout may be appending to a
    /// file that held more before the run).
    private var cutsBackOnFailure = false

    package init(_ file: FileDescriptor, capacity: Int = 1 << 16) {
        self.file = file
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    /// Standard output, not owned.
    package static func standardOutput() -> OutputFile { OutputFile(.standardOutput) }

    /// Creates (truncates) a file, close-on-exec.
    package convenience init(creating path: String) throws {
        self.init(try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate]))
        cutsBackOnFailure = (try? file.isRegularFile()) == true
    }

    /// Writes everything buffered. When a write fails part-way (a full disk), a file created here is cut back to
    /// what the earlier flushes wrote, so it ends with a whole line; the error is rethrown.
    package func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try commit($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes everything buffered, then `bytes`: whole records a writer collected in a buffer of its own (a pcap
    /// file's), with ``flush()``'s cut-back when a write fails part-way.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        try flush()
        if !bytes.isEmpty { try commit(bytes) }
    }

    /// Writes `bytes` out and counts them as committed; on a failure, cuts a file created here back to what was.
    private func commit(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try file.writeAll(bytes)
        } catch {
            if cutsBackOnFailure { try? file.truncate(to: committed) }
            throw error
        }
        committed += bytes.count
    }

    /// Appends `value`'s bytes in this machine's byte order (the pcap formats' fields).
    @inline(__always)
    package func append<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) }
    }

    /// Flushes when the buffer holds more than `threshold` bytes.
    @inline(__always)
    package func flushIfFull(_ threshold: Int = 1 << 15) throws {
        if buffer.count >= threshold { try flush() }
    }

    /// Flushes, then closes the descriptor if owned (also when the flush fails).
    package func close() throws {
        try file.closeAfter { _ in try flush() }
    }
}
