import SocketBase

/// isotprecv's output: each byte as `%02X ` and a newline per PDU, formatted with a lookup table into a reused
/// buffer and written with one `write(2)` per PDU.
final class PDUPrinter {
    private var buffer: [UInt8]
    private let output: FileDescriptor

    init(output: FileDescriptor = .standardOutput, maximumPDU: Int) {
        self.output = output
        buffer = [UInt8](repeating: 0, count: maximumPDU * 3 + 1)
    }

    /// Writes one PDU's line; an empty PDU writes the bare newline isotprecv prints after a failed read.
    func write(_ pdu: UnsafeRawBufferPointer) throws {
        let count = pdu.count * 3 + 1
        buffer.withUnsafeMutableBufferPointer { out in
            var o = 0
            for byte in pdu {
                out[o] = ByteText.hexDigit(byte >> 4)
                out[o + 1] = ByteText.hexDigit(byte)
                out[o + 2] = 0x20
                o += 3
            }
            out[o] = 0x0A
        }
        try buffer.withUnsafeBytes { try output.writeAll(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }
}
