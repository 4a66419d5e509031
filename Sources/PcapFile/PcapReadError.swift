/// Why a pcap file could not be read: what was wrong and at which byte offset of the file.
public struct PcapReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The first four bytes are no classic pcap magic number (either byte order, µs or ns).
        case badMagic(UInt32)
        /// The file ends inside the 24-byte file header.
        case truncatedFileHeader(available: Int)
        /// The file ends inside a 16-byte record header.
        case truncatedRecordHeader(available: Int)
        /// The file ends inside a record's data.
        case truncatedRecordData(capturedLength: Int, available: Int)
        /// A record's captured length exceeds what the file allows (the larger of its snap length and 262144).
        case capturedLengthTooLarge(capturedLength: Int, maximum: Int)

        public var description: String {
            switch self {
            case let .badMagic(magic):
                let hex = String(magic, radix: 16)
                let note = magic == 0x0A0D_0D0A ? " (pcapng, which is not supported)" : ""
                return "bad magic number 0x\(String(repeating: "0", count: max(0, 8 - hex.count)))\(hex): not a classic pcap file\(note)"
            case let .truncatedFileHeader(available):
                return "truncated file header: needs 24 bytes, only \(available) present"
            case let .truncatedRecordHeader(available):
                return "truncated record header: needs 16 bytes, only \(available) remain"
            case let .truncatedRecordData(captured, available):
                return "truncated record: captured length \(captured), only \(available) bytes remain"
            case let .capturedLengthTooLarge(captured, maximum):
                return "captured length \(captured) is larger than the maximum \(maximum)"
            }
        }
    }

    /// The file, or "<memory>" for bytes read from memory.
    public let path: String
    /// Byte offset in the file of the header or record that is wrong.
    public let offset: Int
    public let reason: Reason

    public var description: String { "pcap \(path) at offset \(offset): \(reason)" }
}
