#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import PcapFile
import SocketBase
import ToolkitTestSupport

/// pcapng in the PcapFile target alone: the writer read back by the reader, hand-built files in the other byte
/// order with every packet block, and malformed files refused with the block and offset named.
@Suite struct PcapNGTests {
    static func temporaryPath(_ name: String) -> String { "/tmp/pcapfile-ng-tests-\(getpid())-\(name)" }

    // MARK: Hand-built blocks

    /// Builds pcapng blocks in either byte order.
    struct Builder {
        var big = false
        var bytes: [UInt8] = []

        mutating func u16(_ v: UInt16, into out: inout [UInt8]) {
            let v = big ? v.bigEndian : v.littleEndian
            withUnsafeBytes(of: v) { out += $0 }
        }
        mutating func u32(_ v: UInt32, into out: inout [UInt8]) {
            let v = big ? v.bigEndian : v.littleEndian
            withUnsafeBytes(of: v) { out += $0 }
        }
        func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (4 - b.count % 4) % 4) }
        mutating func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            u16(code, into: &out)
            u16(UInt16(value.count), into: &out)
            return out + padded(value)
        }
        mutating func block(_ type: UInt32, _ body: [UInt8]) {
            var out: [UInt8] = []
            u32(type, into: &out)
            u32(UInt32(12 + body.count), into: &out)
            out += body
            u32(UInt32(12 + body.count), into: &out)
            bytes += out
        }
        mutating func section(minor: UInt16 = 0) {
            var body: [UInt8] = []
            u32(0x1A2B_3C4D, into: &body)
            u16(1, into: &body)
            u16(minor, into: &body)
            body += [UInt8](repeating: 0xFF, count: 8)
            block(0x0A0D_0D0A, body)
        }
        mutating func interface(linkType: UInt16 = 1, snap: UInt32 = 0, options: [UInt8] = []) {
            var body: [UInt8] = []
            u16(linkType, into: &body)
            u16(0, into: &body)
            u32(snap, into: &body)
            block(1, body + options)
        }
        mutating func enhanced(interface: UInt32 = 0, ticks: UInt64, data: [UInt8], original: Int? = nil, options: [UInt8] = []) {
            var body: [UInt8] = []
            for v in [interface, UInt32(ticks >> 32), UInt32(ticks & 0xFFFF_FFFF), UInt32(data.count), UInt32(original ?? data.count)] {
                u32(v, into: &body)
            }
            block(6, body + padded(data) + options)
        }
    }

    static let frameA: [UInt8] = Array(0..<60)
    static let frameB: [UInt8] = Array(100..<171)

    /// Big-endian, two sections, every packet block type, an unknown block, if_tsresol in powers of 2 and 10,
    /// if_tsoffset and epb_flags: each record's interface, timestamp, bytes and flags as built.
    @Test(arguments: [false, true])
    func handBuiltSectionsInEitherByteOrder(big: Bool) throws {
        var b = Builder(big: big)
        b.section()
        var nameOptions = b.option(2, Array("eth7".utf8) + [0]) + b.option(9, [3]) // milliseconds
        nameOptions += b.option(0, [])
        b.interface(snap: 0, options: nameOptions)
        let binary = b.option(9, [0x80 | 10]) + b.option(14, withUnsafeBytes(of: big ? Int64(100).bigEndian : Int64(100)) { Array($0) })
        b.interface(linkType: 113, snap: 64, options: binary)
        var flags: [UInt8] = []
        b.u32(0x0000_000E, into: &flags) // direction 2 (outbound), reception 3 (broadcast)
        b.enhanced(ticks: 1_700_000_000_123, data: Self.frameA, options: b.option(2, flags) + b.option(0, []))
        b.block(0x0123, [1, 2, 3, 4]) // unknown: skipped
        b.enhanced(interface: 1, ticks: 5 * 1024 + 512, data: Self.frameB, original: 1500)
        // Simple Packet Block: interface 0, original length 60, captured min(60, room).
        var spb: [UInt8] = []
        b.u32(60, into: &spb)
        b.block(3, spb + Self.frameA)
        // Obsolete Packet Block: interface 1 (u16), drops, ticks, lengths, data, pack_flags.
        var opb: [UInt8] = []
        b.u16(1, into: &opb); b.u16(0, into: &opb)
        for v: UInt32 in [0, 2048, 4, 9] { b.u32(v, into: &opb) }
        var packFlags: [UInt8] = []
        b.u32(1, into: &packFlags)
        b.block(2, opb + b.padded([9, 8, 7, 6]) + b.option(2, packFlags) + b.option(0, []))
        // A second section, little-endian, with its own interface.
        var second = Builder(big: false)
        second.section()
        second.interface(options: second.option(2, Array("veth1".utf8)))
        second.enhanced(ticks: 42, data: [1, 2, 3])
        let file = b.bytes + second.bytes

        let reader = try PcapNGReader(bytes: file)
        #expect(reader.isByteSwapped == big)
        #expect(reader.interfaces.map(\.name) == ["eth7", nil])
        #expect(reader.interfaces.map(\.linkType) == [.ethernet, .linuxSLL])
        #expect(reader.interfaces[0].timestampResolution.unitsPerSecond == 1000)
        #expect(reader.interfaces[1].timestampResolution.unitsPerSecond == 1024 && reader.interfaces[1].timestampOffset == 100)
        let records = try reader.readAll()
        #expect(records.count == 5)
        #expect(records.map(\.interfaceIndex) == [0, 1, 0, 1, 0])
        #expect(records[0].timestamp == KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_000_000))
        #expect(records[0].bytes == Self.frameA)
        #expect(records[0].flags == PcapNGPacketFlags(rawValue: 0xE))
        #expect(records[0].flags?.direction == .outbound && records[0].flags?.reception == .broadcast)
        #expect(records[1].timestamp == KernelTimestamp(seconds: 105, nanoseconds: 500_000_000))
        #expect(records[1].bytes == Self.frameB && records[1].originalLength == 1500 && records[1].flags == nil)
        #expect(records[2].bytes == Self.frameA && records[2].timestamp == .zero)
        #expect(records[3].bytes == [9, 8, 7, 6] && records[3].originalLength == 9 && records[3].flags?.direction == .inbound)
        #expect(records[3].timestamp == KernelTimestamp(seconds: 102, nanoseconds: 0))
        #expect(records[4].bytes == [1, 2, 3] && records[4].timestamp == KernelTimestamp(seconds: 0, microseconds: 42))
        #expect(reader.sectionCount == 2 && reader.interfaces.map(\.name) == ["veth1"] && !reader.isByteSwapped)
        #expect(try reader.next() == nil)
    }

    /// What PcapNGWriter writes, PcapNGReader reads: interfaces with names and resolutions, records with flags,
    /// timestamps cut to the unit; CaptureFileReader tells the format and reports the first interface.
    @Test func writerRoundTrip() throws {
        let path = Self.temporaryPath("roundtrip.pcapng")
        defer { unlink(path) }
        let interfaces = [
            PcapNGInterface(linkType: .ethernet, snapLength: 100, name: "veth0", timestampResolution: .nanoseconds),
            PcapNGInterface(linkType: .ethernet, snapLength: 0, name: "lo", interfaceDescription: "loopback"),
        ]
        let writer = try PcapNGWriter(path: path, interfaces: interfaces, application: "tests")
        let records = [
            PcapRecord(timestamp: KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789), bytes: Array(0..<150),
                       interfaceIndex: 0, flags: PcapNGPacketFlags(direction: .inbound, reception: .unicast)),
            PcapRecord(timestamp: KernelTimestamp(seconds: 1_700_000_001, nanoseconds: 999_999_999), bytes: [1, 2, 3],
                       originalLength: 1500, interfaceIndex: 1, flags: PcapNGPacketFlags(direction: .outbound)),
            PcapRecord(timestamp: KernelTimestamp(seconds: 4_000_000_000, nanoseconds: 1_000), bytes: []),
        ]
        for record in records { try writer.write(record) }
        #expect(throws: InvalidArgumentError.self) { try writer.write(PcapRecord(timestamp: .zero, bytes: [1], interfaceIndex: 2)) }
        try writer.close()
        let size = PackageFiles.bytes(path)?.count
        #expect(writer.fileSize == size)

        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcapng && reader.linkType == .ethernet && reader.snapLength == 100 && reader.precision == .nanoseconds)
        #expect(reader.interfaces == interfaces)
        let read = try reader.readAll()
        #expect(read.count == 3)
        #expect(read[0].bytes == Array(0..<100) && read[0].originalLength == 150, "cut to the interface's snap length")
        #expect(read[0].timestamp == records[0].timestamp && read[0].flags == records[0].flags)
        #expect(read[1].timestamp == KernelTimestamp(seconds: 1_700_000_001, microseconds: 999_999), "µs interface")
        #expect(read[1].interfaceIndex == 1 && read[1].flags?.direction == .outbound && read[1].originalLength == 1500)
        #expect(read[2].bytes.isEmpty && read[2].timestamp == records[2].timestamp && read[2].flags == nil)
    }

    /// The format-detecting reader on a classic pcap file and on bytes of neither format.
    @Test func captureFileReaderTellsTheFormat() throws {
        let path = Self.temporaryPath("classic.pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .canSocketCAN, snapLength: 72, precision: .nanoseconds)
        try writer.write(PcapRecord(timestamp: KernelTimestamp(seconds: 5, nanoseconds: 6), bytes: [1, 2]))
        try writer.close()
        #expect(writer.fileSize == 24 + 16 + 2)
        let reader = try CaptureFileReader(path: path)
        #expect(reader.format == .pcap && reader.linkType == .canSocketCAN && reader.snapLength == 72 && reader.precision == .nanoseconds)
        #expect(try reader.readAll().map(\.bytes) == [[1, 2]])
        #expect(throws: PcapReadError(path: "<memory>", offset: 0, reason: .unknownFormat(0x4743_4800))) {
            try CaptureFileReader(bytes: Array("GCH\0 not a capture".utf8))
        }
        #expect(throws: PcapReadError(path: "<memory>", offset: 0, reason: .truncatedFileHeader(available: 2))) {
            try CaptureFileReader(bytes: [0x0A, 0x0D])
        }
        var noInterface = Builder()
        noInterface.section()
        #expect(throws: PcapReadError(path: "<memory>", offset: 0, reason: .noInterface)) {
            try CaptureFileReader(bytes: noInterface.bytes)
        }
    }

    /// Malformed files: each a PcapReadError with the block's offset and a message naming the block.
    @Test func malformedBlocksNameBlockAndOffset() throws {
        var good = Builder()
        good.section()
        good.interface()
        let header = good.bytes // 28 + 20 bytes
        let packetOffset = header.count

        func failure(_ bytes: [UInt8]) -> PcapReadError? {
            do {
                let reader = try PcapNGReader(bytes: bytes)
                _ = try reader.readAll()
                return nil
            } catch let error as PcapReadError {
                return error
            } catch {
                return nil
            }
        }

        var packet = Builder()
        packet.enhanced(ticks: 1, data: Self.frameA)
        let epb = packet.bytes

        // Cut short inside the packet.
        let cut = failure(header + epb.dropLast(10))
        #expect(cut == PcapReadError(path: "<memory>", offset: packetOffset, reason: .truncatedBlock(
            block: "Enhanced Packet Block", length: epb.count, available: epb.count - 10)))
        #expect(cut?.description == "pcap <memory> at offset 48: truncated Enhanced Packet Block: block length \(epb.count), only \(epb.count - 10) bytes remain")

        // Trailing length differs.
        var trailing = epb
        trailing[trailing.count - 4] ^= 4
        #expect(failure(header + trailing)?.reason == .trailingLengthMismatch(block: "Enhanced Packet Block", leading: epb.count, trailing: epb.count ^ 4))

        // Block length not a multiple of 4, and below the minimum.
        var odd = epb
        odd[4] = 103
        #expect(failure(header + odd)?.reason == .badBlockLength(block: "Enhanced Packet Block", length: 103, minimum: 32))
        var tiny = Builder()
        tiny.block(6, [0, 0, 0, 0])
        #expect(failure(header + tiny.bytes)?.reason == .badBlockLength(block: "Enhanced Packet Block", length: 16, minimum: 32))

        // An interface the section does not describe.
        var stranger = Builder()
        stranger.enhanced(interface: 3, ticks: 1, data: [1])
        let unknown = failure(header + stranger.bytes)
        #expect(unknown?.reason == .unknownInterface(block: "Enhanced Packet Block", interface: 3, interfaces: 1))
        #expect(unknown?.offset == packetOffset)

        // Captured length past the block.
        var long = epb
        long[20] = 200
        #expect(failure(header + long)?.reason == .capturedLengthPastBlock(block: "Enhanced Packet Block", capturedLength: 200, available: 60))

        // An option running past the block, and a bad if_tsresol.
        var badOption = Builder()
        badOption.section()
        var option: [UInt8] = []
        badOption.u16(2, into: &option)
        badOption.u16(40, into: &option)
        badOption.interface(options: option + [0x65, 0x74, 0x68, 0x30])
        #expect(failure(badOption.bytes)?.reason == .badOption(block: "Interface Description Block", code: 2,
                                                                problem: "length 40 runs past the block's end"))
        var badResolution = Builder()
        badResolution.section()
        badResolution.interface(options: badResolution.option(9, [20]))
        let resolution = failure(badResolution.bytes)
        #expect(resolution?.offset == 28)
        #expect(resolution?.description.contains("Interface Description Block: option 9: if_tsresol") == true)

        // The section header: byte-order magic and version.
        var badMagic = header
        badMagic[8] = 0x77
        #expect(failure(badMagic)?.reason == .badByteOrderMagic(0x773C_2B1A))
        var version = header
        version[12] = 2
        #expect(failure(version)?.reason == .unsupportedVersion(major: 2, minor: 0))
        // A classic pcap file given to the pcapng reader.
        #expect(failure([0xD4, 0xC3, 0xB2, 0xA1] + [UInt8](repeating: 0, count: 20))?.reason == .badMagic(0xD4C3_B2A1))
        // A huge block length is refused before anything is read for it.
        var huge = epb
        huge[4] = 0; huge[5] = 0; huge[6] = 0; huge[7] = 0x40
        #expect(failure(header + huge)?.reason == .badBlockLength(block: "Enhanced Packet Block", length: 0x4000_0000, minimum: 32))
        // Every prefix of a good file is either fine (cut at a block boundary) or a PcapReadError: never a trap.
        let whole = header + epb + epb
        for end in 0..<whole.count {
            let boundary = [0, 28, 48, 48 + epb.count, whole.count].contains(end)
            let error = failure(Array(whole[..<end]))
            #expect((error == nil) == (boundary && end >= 28), "prefix of \(end) bytes: \(error.map(String.init(describing:)) ?? "no error")")
        }
    }

    /// if_tsresol units both ways, beyond µs and ns.
    @Test func timestampResolutions() throws {
        let milli = try #require(PcapNGTimestampResolution(code: 3))
        #expect(milli.ticks(of: KernelTimestamp(seconds: 2, nanoseconds: 345_678_901)) == 2345)
        let binary = try #require(PcapNGTimestampResolution(code: 0x80 | 20))
        #expect(binary.unitsPerSecond == 1 << 20)
        #expect(binary.timestamp(ticks: 3 << 20 | 1 << 19) == KernelTimestamp(seconds: 3, nanoseconds: 500_000_000))
        let finest = try #require(PcapNGTimestampResolution(code: 19))
        #expect(finest.timestamp(ticks: 15_000_000_000_000_000_000) == KernelTimestamp(seconds: 1, nanoseconds: 500_000_000))
        #expect(PcapNGTimestampResolution(code: 20) == nil && PcapNGTimestampResolution(code: 0x80 | 64) == nil)
        #expect(PcapNGTimestampResolution.nanoseconds.ticks(of: KernelTimestamp(seconds: 1, nanoseconds: 5)) == 1_000_000_005)
    }
}
