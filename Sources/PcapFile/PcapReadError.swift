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
        /// The first four bytes are neither a pcap nor a pcapng magic number (``CaptureFileReader``).
        case unknownFormat(UInt32)
        /// pcapng: a Section Header Block's byte-order magic is not 0x1A2B3C4D in either order.
        case badByteOrderMagic(UInt32)
        /// pcapng: a section of a version other than 1.0 (or 1.2, which libpcap also reads).
        case unsupportedVersion(major: UInt16, minor: UInt16)
        /// pcapng: a block's total length is below the block's minimum, not a multiple of 4, or above 16 MiB.
        case badBlockLength(block: String, length: Int, minimum: Int)
        /// pcapng: the file ends inside a block.
        case truncatedBlock(block: String, length: Int, available: Int)
        /// pcapng: the total length at a block's end differs from the one at its start.
        case trailingLengthMismatch(block: String, leading: Int, trailing: Int)
        /// pcapng: a packet names an interface the section has no Interface Description Block for.
        case unknownInterface(block: String, interface: Int, interfaces: Int)
        /// pcapng: a packet's captured length runs past the end of its block.
        case capturedLengthPastBlock(block: String, capturedLength: Int, available: Int)
        /// pcapng: an option runs past the end of its block, or has a wrong length or value.
        case badOption(block: String, code: UInt16, problem: String)
        /// A pcapng file whose first section describes no interface before its first packet (or its end).
        case noInterface

        public var description: String {
            switch self {
            case let .badMagic(magic):
                let hex = String(magic, radix: 16)
                let note = magic == 0x0A0D_0D0A ? " (pcapng: read it with PcapNGReader or CaptureFileReader)" : ""
                return "bad magic number 0x\(String(repeating: "0", count: max(0, 8 - hex.count)))\(hex): not a classic pcap file\(note)"
            case let .truncatedFileHeader(available):
                return "truncated file header: needs 24 bytes, only \(available) present"
            case let .truncatedRecordHeader(available):
                return "truncated record header: needs 16 bytes, only \(available) remain"
            case let .truncatedRecordData(captured, available):
                return "truncated record: captured length \(captured), only \(available) bytes remain"
            case let .capturedLengthTooLarge(captured, maximum):
                return "captured length \(captured) is larger than the maximum \(maximum)"
            case let .unknownFormat(magic):
                return "bad magic number \(Self.hex(magic)): neither a pcap nor a pcapng file"
            case let .badByteOrderMagic(magic):
                return "Section Header Block: bad byte-order magic \(Self.hex(magic)) (expected 0x1a2b3c4d)"
            case let .unsupportedVersion(major, minor):
                return "Section Header Block: unsupported pcapng version \(major).\(minor)"
            case let .badBlockLength(block, length, minimum):
                return "\(block): bad block length \(length) (needs a multiple of 4, at least \(minimum), at most 16777216)"
            case let .truncatedBlock(block, length, available):
                return "truncated \(block): block length \(length), only \(available) bytes remain"
            case let .trailingLengthMismatch(block, leading, trailing):
                return "\(block): block length \(leading) at the start but \(trailing) at the end"
            case let .unknownInterface(block, interface, interfaces):
                return "\(block): interface \(interface), but the section describes \(interfaces) interface\(interfaces == 1 ? "" : "s")"
            case let .capturedLengthPastBlock(block, captured, available):
                return "\(block): captured length \(captured) is past the block's end (\(available) bytes of data)"
            case let .badOption(block, code, problem):
                return "\(block): option \(code): \(problem)"
            case .noInterface:
                return "no Interface Description Block before the first packet"
            }
        }

        /// `0x0a0d0d0a`: eight hex digits.
        private static func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16)
            return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }
    }

    /// The file, or "<memory>" for bytes read from memory.
    public let path: String
    /// Byte offset in the file of the header or record that is wrong.
    public let offset: Int
    public let reason: Reason

    public var description: String { "pcap \(path) at offset \(offset): \(reason)" }
}
