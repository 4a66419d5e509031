import SocketBase

/// Reads a pcapng file (tshark's and dumpcap's default format): every section in its own byte order, the
/// interfaces its Interface Description Blocks describe (`if_name`, `if_tsresol`, `if_tsoffset`, snap length),
/// and the packets of Enhanced, Simple and the obsolete Packet Blocks with their `epb_flags`. Other blocks
/// (name resolution, statistics, custom, …) are skipped. ``withNextRecord(_:)`` hands out each packet without
/// copying it; a malformed file gives a ``PcapReadError`` naming the block and its offset.
public final class PcapNGReader: CaptureRecordReading {
    /// The file's path ("<memory>" for ``init(bytes:)``).
    public let path: String
    /// The interfaces of the current section, in IDB order: a record's ``PcapRecordHeader/interfaceIndex``
    /// indexes this.
    public private(set) var interfaces: [PcapNGInterface] = []
    /// Whether the current section was written in the other byte order than this machine's.
    public var isByteSwapped: Bool { sectionIsLittleEndian != (1.littleEndian == 1) }
    public private(set) var versionMajor: UInt16 = 0
    public private(set) var versionMinor: UInt16 = 0
    /// Sections (Section Header Blocks) read so far.
    public private(set) var sectionCount = 0
    /// Records read so far.
    public private(set) var recordCount = 0

    private var sectionIsLittleEndian = true
    /// The file; its position is the start of the next block.
    private let input: PcapInput

    /// The largest block read (libpcap's limit too): a bigger length is taken for corruption.
    static let maximumBlockLength = 16 << 20

    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionType: UInt32 = 1
    static let packetType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6

    /// Opens `path`, reads the Section Header Block and the Interface Description Blocks before the first packet.
    /// - Throws: ``SystemCallError`` when the file cannot be opened or read, ``PcapReadError`` when it does not
    ///   start with a valid Section Header Block or a block before the first packet is malformed.
    public convenience init(path: String) throws {
        try self.init(input: PcapInput(opening: path))
    }

    /// Reads a pcapng file held in memory.
    /// - Throws: ``PcapReadError`` as ``init(path:)``.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(input: PcapInput(bytes: bytes))
    }

    /// Reads `input` from its start (``CaptureFileReader`` may have filled its first bytes to tell the format).
    init(input: PcapInput) throws {
        path = input.path
        self.input = input
        try input.fill(4)
        guard input.available >= 4, input.u32(0) == Self.sectionHeaderType else {
            if input.available < 4 {
                throw PcapReadError(path: path, offset: 0, reason: .truncatedBlock(
                    block: Self.name(of: Self.sectionHeaderType), length: 28, available: input.available))
            }
            throw PcapReadError(path: path, offset: 0, reason: .badMagic(input.u32(0).byteSwapped))
        }
        guard let first = try loadBlock() else { preconditionFailure("a block was just seen") }
        input.position += first.length
        try readSectionHeader(first)
        // The interfaces before the first packet, so that a reader knows the link type before any record.
        while let block = try loadBlock(), !Self.isPacket(block.type), block.type != Self.sectionHeaderType {
            if block.type == Self.interfaceDescriptionType { try readInterface(block) }
            input.position += block.length
        }
    }

    /// Closes the file; later reads return nil.
    public func close() {
        input.close()
    }

    /// Hands the next packet's header and bytes to `body` (the bytes are valid only during the call), reading
    /// past any section headers, interface descriptions and other blocks before it.
    /// - Returns: what `body` returned, nil at the end of the file.
    /// - Throws: ``PcapReadError`` for a malformed or truncated block, ``SystemCallError`` when `read(2)` fails,
    ///   or what `body` throws.
    public func withNextRecord<Result>(_ body: (PcapRecordHeader, UnsafeRawBufferPointer) throws -> Result) throws -> Result? {
        while let block = try loadBlock() {
            input.position += block.length
            switch block.type {
            case Self.sectionHeaderType:
                try readSectionHeader(block)
            case Self.interfaceDescriptionType:
                try readInterface(block)
            case Self.enhancedPacketType, Self.packetType, Self.simplePacketType:
                let (header, range) = try packet(block)
                recordCount += 1
                return try input.withBytes(range) { try body(header, $0) }
            default:
                continue
            }
        }
        return nil
    }

    // MARK: Blocks

    /// A whole block in `buffer`: its type, total length, and where it starts in the buffer and the file.
    private struct Block {
        var type: UInt32
        var length: Int
        var start: Int
        var fileOffset: Int
        var name: String { PcapNGReader.name(of: type) }
        /// Buffer indices of the block body (after type and length, before the trailing length).
        var body: Range<Int> { (start + 8)..<(start + length - 4) }
    }

    /// The block names the error messages use.
    static func name(of type: UInt32) -> String {
        switch type {
        case sectionHeaderType: "Section Header Block"
        case interfaceDescriptionType: "Interface Description Block"
        case packetType: "Packet Block"
        case simplePacketType: "Simple Packet Block"
        case enhancedPacketType: "Enhanced Packet Block"
        default: "block type 0x\(String(type, radix: 16))"
        }
    }

    private static func isPacket(_ type: UInt32) -> Bool {
        type == enhancedPacketType || type == packetType || type == simplePacketType
    }

    /// The smallest total length of each block type: header, fixed fields, trailing length.
    private static func minimumLength(of type: UInt32) -> Int {
        switch type {
        case sectionHeaderType: 28
        case interfaceDescriptionType: 20
        case enhancedPacketType, packetType: 32
        case simplePacketType: 16
        default: 12
        }
    }

    /// Makes the block at `position` wholly available in `buffer` and checks its lengths; does not consume it.
    /// A Section Header Block sets the byte order its length (and its section) is read in.
    /// - Returns: nil at the end of the file.
    private func loadBlock() throws -> Block? {
        try fill(12)
        let position = input.position, fileOffset = input.fileOffset
        let available = input.available
        if available == 0 { return nil }
        let typeBytes = available >= 4 ? rawU32(position) : 0
        guard available >= 12 else {
            throw PcapReadError(path: path, offset: fileOffset, reason: .truncatedBlock(
                block: Self.name(of: typeBytes), length: 12, available: available))
        }
        if typeBytes == Self.sectionHeaderType {
            let magic = rawU32(position + 8)
            switch magic {
            case 0x1A2B_3C4D: sectionIsLittleEndian = true
            case 0x4D3C_2B1A: sectionIsLittleEndian = false
            default:
                throw PcapReadError(path: path, offset: fileOffset, reason: .badByteOrderMagic(magic.byteSwapped))
            }
        }
        let type = u32(position)
        let length = Int(u32(position + 4))
        let name = Self.name(of: type)
        let minimum = Self.minimumLength(of: type)
        guard length >= minimum, length % 4 == 0, length <= Self.maximumBlockLength else {
            throw PcapReadError(path: path, offset: fileOffset, reason: .badBlockLength(block: name, length: length, minimum: minimum))
        }
        try fill(length)
        guard input.available >= length else {
            throw PcapReadError(path: path, offset: fileOffset, reason: .truncatedBlock(
                block: name, length: length, available: input.available))
        }
        let start = input.position
        let trailing = Int(u32(start + length - 4))
        guard trailing == length else {
            throw PcapReadError(path: path, offset: fileOffset, reason: .trailingLengthMismatch(
                block: name, leading: length, trailing: trailing))
        }
        return Block(type: type, length: length, start: start, fileOffset: fileOffset)
    }

    /// A new section: its byte order (already set by ``loadBlock()``), version, and no interfaces yet.
    private func readSectionHeader(_ block: Block) throws {
        let major = u16(block.start + 12), minor = u16(block.start + 14)
        guard major == 1, minor == 0 || minor == 2 else {
            throw PcapReadError(path: path, offset: block.fileOffset, reason: .unsupportedVersion(major: major, minor: minor))
        }
        versionMajor = major
        versionMinor = minor
        sectionCount += 1
        interfaces.removeAll()
        try forEachOption(block, from: block.start + 24) { _, _ in }
    }

    private func readInterface(_ block: Block) throws {
        var interface = PcapNGInterface(linkType: PcapLinkType(rawValue: UInt32(u16(block.start + 8))),
                                        snapLength: u32(block.start + 12))
        try forEachOption(block, from: block.start + 16) { code, value in
            switch code {
            case 2: interface.name = self.text(value)
            case 3: interface.interfaceDescription = self.text(value)
            case 9:
                guard value.count == 1, let resolution = PcapNGTimestampResolution(code: input.buffer[value.lowerBound]) else {
                    throw OptionProblem("if_tsresol needs 1 byte of at most 10^-19 or 2^-63 s")
                }
                interface.timestampResolution = resolution
            case 14:
                guard value.count == 8 else { throw OptionProblem("if_tsoffset needs 8 bytes, has \(value.count)") }
                interface.timestampOffset = Int64(bitPattern: u64(value.lowerBound))
            default: break
            }
        }
        interfaces.append(interface)
    }

    /// The header of a packet block and the buffer indices of its bytes.
    private func packet(_ block: Block) throws -> (PcapRecordHeader, Range<Int>) {
        let at = block.start
        let name = block.name
        let interfaceIndex: Int, ticks: UInt64, captured: Int, original: Int, dataStart: Int
        switch block.type {
        case Self.simplePacketType:
            interfaceIndex = 0
            ticks = 0
            original = Int(u32(at + 8))
            dataStart = at + 12
            let room = block.length - 16
            let snap = interfaces.first.map { Int($0.snapLength) } ?? 0
            captured = min(original, room, snap == 0 ? .max : snap)
        case Self.packetType:
            interfaceIndex = Int(u16(at + 8))
            ticks = UInt64(u32(at + 12)) << 32 | UInt64(u32(at + 16))
            captured = Int(u32(at + 20))
            original = Int(u32(at + 24))
            dataStart = at + 28
        default:
            interfaceIndex = Int(u32(at + 8))
            ticks = UInt64(u32(at + 12)) << 32 | UInt64(u32(at + 16))
            captured = Int(u32(at + 20))
            original = Int(u32(at + 24))
            dataStart = at + 28
        }
        guard interfaceIndex < interfaces.count else {
            throw PcapReadError(path: path, offset: block.fileOffset, reason: .unknownInterface(
                block: name, interface: interfaceIndex, interfaces: interfaces.count))
        }
        let room = block.body.upperBound - dataStart
        guard captured <= room else {
            throw PcapReadError(path: path, offset: block.fileOffset, reason: .capturedLengthPastBlock(
                block: name, capturedLength: captured, available: room))
        }
        var flags: PcapNGPacketFlags?
        if block.type != Self.simplePacketType {
            try forEachOption(block, from: dataStart + (captured + 3) & ~3) { code, value in
                guard code == 2 else { return }
                guard value.count == 4 else { throw OptionProblem("epb_flags needs 4 bytes, has \(value.count)") }
                flags = PcapNGPacketFlags(rawValue: u32(value.lowerBound))
            }
        }
        let interface = interfaces[interfaceIndex]
        let header = PcapRecordHeader(
            timestamp: interface.timestampResolution.timestamp(ticks: ticks, offset: interface.timestampOffset),
            capturedLength: captured, originalLength: original, fileOffset: block.fileOffset,
            interfaceIndex: interfaceIndex, flags: flags)
        return (header, dataStart..<(dataStart + captured))
    }

    /// Calls `body` with each option's code and value (buffer indices) from `start` to the block's end, until
    /// `opt_endofopt`. A problem `body` throws becomes a ``PcapReadError/Reason/badOption(block:code:problem:)``.
    private func forEachOption(_ block: Block, from start: Int, _ body: (UInt16, Range<Int>) throws -> Void) throws {
        var at = start
        let end = block.body.upperBound
        while at < end {
            guard end - at >= 4 else {
                throw PcapReadError(path: path, offset: block.fileOffset, reason: .badOption(
                    block: block.name, code: 0, problem: "\(end - at) bytes left, too few for an option header"))
            }
            let code = u16(at), length = Int(u16(at + 2))
            if code == 0 { return }
            let padded = (length + 3) & ~3
            guard padded <= end - at - 4 else {
                throw PcapReadError(path: path, offset: block.fileOffset, reason: .badOption(
                    block: block.name, code: code, problem: "length \(length) runs past the block's end"))
            }
            do {
                try body(code, (at + 4)..<(at + 4 + length))
            } catch let problem as OptionProblem {
                throw PcapReadError(path: path, offset: block.fileOffset, reason: .badOption(
                    block: block.name, code: code, problem: problem.text))
            }
            at += 4 + padded
        }
    }

    /// A string option's text, without the trailing NULs some writers add.
    private func text(_ range: Range<Int>) -> String {
        var end = range.upperBound
        while end > range.lowerBound && input.buffer[end - 1] == 0 { end -= 1 }
        return String(decoding: input.buffer[range.lowerBound..<end], as: UTF8.self)
    }

    // MARK: Bytes

    private func fill(_ count: Int) throws { try input.fill(count) }

    /// Four bytes as a little-endian number, whatever the section's byte order.
    private func rawU32(_ at: Int) -> UInt32 { input.u32(at) }

    private func u16(_ at: Int) -> UInt16 { input.u16(at, littleEndian: sectionIsLittleEndian) }

    private func u32(_ at: Int) -> UInt32 { input.u32(at, littleEndian: sectionIsLittleEndian) }

    private func u64(_ at: Int) -> UInt64 { input.u64(at, littleEndian: sectionIsLittleEndian) }
}

/// What is wrong with an option's value, for ``PcapReadError/Reason/badOption(block:code:problem:)``.
private struct OptionProblem: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
