#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import PacketSocket
@testable import PcapFile
import SocketBase

@Suite struct PcapReaderTests {
    /// Frames of varied sizes with distinct timestamps.
    static func sampleFrames() -> [(seconds: Int64, nanoseconds: Int32, bytes: [UInt8])] {
        ReferenceFrames.all.enumerated().map { index, item in
            (1_700_000_000 + Int64(index), Int32(index * 123_456_789 % 1_000_000_000), bytes(hex: item.hex))
        }
    }

    @Test(arguments: [PcapPrecision.microseconds, .nanoseconds])
    func writeThenRead(precision: PcapPrecision) throws {
        let path = temporaryPath("roundtrip-\(precision).pcap")
        defer { unlink(path) }
        let frames = Self.sampleFrames()
        let writer = try PcapWriter(path: path, linkType: .ethernet, snapLength: 65535, precision: precision)
        for frame in frames {
            try frame.bytes.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: frame.seconds, nanoseconds: frame.nanoseconds), bytes: $0, originalLength: $0.count + 3) }
        }
        try writer.close()
        let reader = try PcapReader(path: path)
        #expect(reader.linkType == .ethernet && reader.snapLength == 65535 && reader.precision == precision)
        #expect(reader.versionMajor == 2 && reader.versionMinor == 4 && !reader.isByteSwapped)
        let records = try reader.readAll()
        #expect(records.count == frames.count && reader.recordCount == frames.count)
        var offset = 24
        for (record, frame) in zip(records, frames) {
            #expect(record.bytes == frame.bytes)
            #expect(record.timestamp.seconds == frame.seconds)
            let expected = precision == .microseconds ? frame.nanoseconds / 1000 * 1000 : frame.nanoseconds
            #expect(record.timestamp.nanoseconds == expected)
            #expect(record.originalLength == frame.bytes.count + 3)
            #expect(record.fileOffset == offset)
            offset += 16 + frame.bytes.count
        }
        #expect(try reader.next() == nil)
    }

    @Test func snapLengthCutsRecords() throws {
        let path = temporaryPath("snap.pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .ethernet, snapLength: 40)
        let frame = bytes(hex: ReferenceFrames.icmpEchoRequest)
        try frame.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: 1, nanoseconds: 0), bytes: $0) }
        try writer.close()
        let record = try PcapReader(path: path).next()
        #expect(record?.bytes == Array(frame[0..<40]) && record?.originalLength == frame.count)
    }

    /// A big-endian file with the nanosecond magic, assembled byte by byte.
    @Test func bigEndianNanosecondFile() throws {
        var file: [UInt8] = [0xA1, 0xB2, 0x3C, 0x4D, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0, 0, 0, 227]
        file += [0x65, 0x53, 0xF1, 0x00, 0x3B, 0x9A, 0xC9, 0xFF, 0, 0, 0, 5, 0, 0, 0, 16] + [1, 2, 3, 4, 5]
        let reader = try PcapReader(bytes: file)
        #expect(reader.linkType == .canSocketCAN && reader.precision == .nanoseconds && reader.snapLength == 256)
        #expect(reader.isByteSwapped == (1.littleEndian == 1))
        let record = try reader.next()
        #expect(record == PcapRecord(timestamp: KernelTimestamp(seconds: 0x6553_F100, nanoseconds: 999_999_999), bytes: [1, 2, 3, 4, 5], originalLength: 16, fileOffset: 24))
        #expect(try reader.next() == nil)
    }

    @Test func badMagicAndTruncationNameTheOffset() throws {
        #expect(throws: PcapReadError(path: "<memory>", offset: 0, reason: .badMagic(0x0A0D_0D0A))) {
            try PcapReader(bytes: [0x0A, 0x0D, 0x0D, 0x0A] + [UInt8](repeating: 0, count: 24))
        }
        let description = (try? PcapReader(bytes: [0x0A, 0x0D, 0x0D, 0x0A] + [UInt8](repeating: 0, count: 24))).map { _ in "" }
            ?? "\(PcapReadError(path: "<memory>", offset: 0, reason: .badMagic(0x0A0D_0D0A)))"
        #expect(description == "pcap <memory> at offset 0: bad magic number 0x0a0d0d0a: not a classic pcap file (pcapng: read it with PcapNGReader or CaptureFileReader)")
        #expect(throws: PcapReadError(path: "<memory>", offset: 0, reason: .truncatedFileHeader(available: 10))) {
            try PcapReader(bytes: [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0])
        }
        // A good file cut inside the second record's data, then inside its header.
        let path = temporaryPath("cut.pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .ethernet)
        for hex in [ReferenceFrames.udp4, ReferenceFrames.tcpSyn] { try bytes(hex: hex).withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: 0, nanoseconds: 0), bytes: $0) } }
        try writer.close()
        let file = readBytes(path)
        let second = 24 + 16 + 46
        let cutData = try PcapReader(bytes: Array(file[0..<(file.count - 5)]))
        _ = try cutData.next()
        #expect(throws: PcapReadError(path: "<memory>", offset: second, reason: .truncatedRecordData(capturedLength: 74, available: 69))) {
            try cutData.next()
        }
        let cutHeader = try PcapReader(bytes: Array(file[0..<(second + 9)]))
        _ = try cutHeader.next()
        #expect(throws: PcapReadError(path: "<memory>", offset: second, reason: .truncatedRecordHeader(available: 9))) {
            try cutHeader.next()
        }
        var huge = Array(file[0..<second]) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0]
        huge += [0]
        let hugeReader = try PcapReader(bytes: huge)
        _ = try hugeReader.next()
        #expect(throws: PcapReadError(path: "<memory>", offset: second, reason: .capturedLengthTooLarge(capturedLength: 0x1000_0000, maximum: 262_144))) {
            try hugeReader.next()
        }
        #expect(throws: SystemCallError.self) { try PcapReader(path: "/nonexistent/file.pcap") }
    }

    /// Large files cross the reader's 64 KiB chunks: every record still comes back whole.
    @Test func recordsAcrossChunkBoundaries() throws {
        let path = temporaryPath("big.pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .ethernet)
        var generator = SeededGenerator(seed: 3)
        var frames: [[UInt8]] = []
        for _ in 0..<700 {
            let frame = (0..<Int(60 + generator.next() % 1400)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            frames.append(frame)
            try frame.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: 0, nanoseconds: 0), bytes: $0) }
        }
        try writer.close()
        let reader = try PcapReader(path: path)
        var index = 0
        while let equal = try reader.withNextRecord({ header, bytes in header.capturedLength == bytes.count && Array(bytes) == frames[index] }) {
            #expect(equal, "record \(index)")
            index += 1
        }
        #expect(index == frames.count)
    }
}

/// pcap files shared with tcpdump and tshark in both directions.
@Suite(.enabled(if: toolExists("tcpdump"), "needs tcpdump"))
struct PcapInteroperabilityTests {
    /// Lengths and timestamps as tshark reads them: "len cap_len epoch" per record.
    func tsharkFields(_ path: String) throws -> [String] {
        let result = try run(["tshark", "-r", path, "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.time_epoch"])
        #expect(result.status == 0)
        return result.output.split(separator: "\n").map(String.init)
    }

    /// Every frame's bytes as `tcpdump -xx` prints them.
    func tcpdumpBytes(_ path: String) throws -> [[UInt8]] {
        let result = try run(["tcpdump", "-n", "-xx", "-r", path])
        #expect(result.status == 0)
        var frames: [[UInt8]] = []
        for line in result.output.split(separator: "\n") {
            if line.hasPrefix("\t0x") {
                let hex = line.split(separator: ":", maxSplits: 1)[1].filter { $0 != " " }
                frames[frames.count - 1] += bytes(hex: String(hex))
            } else {
                frames.append([])
            }
        }
        return frames
    }

    @Test(arguments: [PcapPrecision.microseconds, .nanoseconds])
    func ourFilesReadByTcpdumpAndTshark(precision: PcapPrecision) throws {
        let path = temporaryPath("ours-\(precision).pcap")
        defer { unlink(path) }
        let frames = PcapReaderTests.sampleFrames()
        let writer = try PcapWriter(path: path, linkType: .ethernet, precision: precision)
        for frame in frames {
            try frame.bytes.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: frame.seconds, nanoseconds: frame.nanoseconds), bytes: $0) }
        }
        try writer.close()
        #expect(try tcpdumpBytes(path) == frames.map(\.bytes))
        if toolExists("tshark") {
            let fields = try tsharkFields(path)
            #expect(fields.count == frames.count)
            for (line, frame) in zip(fields, frames) {
                let fraction = precision == .microseconds ? Int(frame.nanoseconds) / 1000 * 1000 : Int(frame.nanoseconds)
                let padded = String(repeating: "0", count: 9 - String(fraction).count) + String(fraction)
                #expect(line == "\(frame.bytes.count)\t\(frame.bytes.count)\t\(frame.seconds).\(padded)")
            }
        }
    }

    /// CAN records (LINKTYPE_CAN_SOCKETCAN, what candump-swift --pcap writes) read back and by tshark.
    @Test func canSocketCANFile() throws {
        let path = temporaryPath("can.pcap")
        defer { unlink(path) }
        // can_frame: id 0x123 in network byte order, dlc 2, 3 pad bytes, 8 data bytes.
        let frame: [UInt8] = [0x00, 0x00, 0x01, 0x23, 2, 0, 0, 0, 0xDE, 0xAD, 0, 0, 0, 0, 0, 0]
        let writer = try PcapWriter(path: path, linkType: .canSocketCAN)
        for index in 0..<3 { try frame.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: Int64(index), nanoseconds: 5000), bytes: $0) } }
        try writer.close()
        let reader = try PcapReader(path: path)
        #expect(reader.linkType == .canSocketCAN)
        #expect(try reader.readAll().map(\.bytes) == [frame, frame, frame])
        if toolExists("tshark") {
            let result = try run(["tshark", "-r", path, "-T", "fields", "-e", "can.id", "-e", "can.len"])
            #expect(result.output == "0x00000123\t2\n0x00000123\t2\n0x00000123\t2\n" || result.output == "291\t2\n291\t2\n291\t2\n")
        }
    }

    /// A file libpcap wrote: tcpdump rewriting one of ours, in nanosecond precision.
    @Test func fileRewrittenByTcpdump() throws {
        let ours = temporaryPath("rewrite-in.pcap"), theirs = temporaryPath("rewrite-out.pcap")
        defer { unlink(ours); unlink(theirs) }
        let frames = PcapReaderTests.sampleFrames()
        let writer = try PcapWriter(path: ours, linkType: .ethernet, precision: .nanoseconds)
        for frame in frames { try frame.bytes.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: frame.seconds, nanoseconds: frame.nanoseconds), bytes: $0) } }
        try writer.close()
        // Only the UDP and TCP frames pass the filter, so the count proves tcpdump wrote its own file.
        let status = try run(["tcpdump", "--time-stamp-precision=nano", "-r", ours, "-w", theirs, "udp or tcp"]).status
        #expect(status == 0)
        let reader = try PcapReader(path: theirs)
        #expect(reader.precision == .nanoseconds)
        let records = try reader.readAll()
        // The filter does not look inside VLAN tags (that takes `vlan and ...`).
        let expected = frames.filter { frame in
            let packet = frame.bytes.withBuffer { DecodedPacket(decodingEthernetFrame: $0) }
            guard packet.vlanTags.isEmpty else { return false }
            switch packet.network {
            case let .ipv4(ip)?: return ip.protocol == .udp || ip.protocol == .tcp
            case let .ipv6(ip)?: return ip.upperLayerProtocol == .udp || ip.upperLayerProtocol == .tcp
            default: return false
            }
        }
        #expect(records.count == expected.count && records.count > 5)
        #expect(records.map(\.bytes) == expected.map(\.bytes))
        #expect(records.map(\.timestamp.nanoseconds) == expected.map(\.nanoseconds))
    }

    /// A live capture by tcpdump on loopback (root only): UDP datagrams this test sends to itself.
    @Test(.enabled(if: getuid() == 0, "needs root to capture"))
    func liveCaptureByTcpdump() throws {
        let path = temporaryPath("live.pcap")
        defer { unlink(path) }
        let port: UInt16 = UInt16(40000 + getpid() % 20000)
        let argv = ["tcpdump", "-i", "lo", "-U", "-c", "5", "-w", path, "udp and dst port \(port)"]
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        #expect(posix_spawnp(&pid, "tcpdump", &actions, nil, cArgs, environ) == 0)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var status: CInt = 0
        var sent = 0
        // Send until tcpdump has seen five (it starts capturing a moment after it starts).
        for _ in 0..<300 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            var payload: [UInt8] = Array("datagram \(sent)".utf8)
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, &payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            sent += 1
            usleep(50_000)
        }
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0); Issue.record("tcpdump did not finish") }
        let reader = try PcapReader(path: path)
        let records = try reader.readAll()
        #expect(records.count == 5)
        #expect(try tcpdumpBytes(path) == records.map(\.bytes))
        // Loopback sends with checksum offload, so the captured checksum may be partial: our verdict must agree
        // with tcpdump -vv's ("udp sum ok" or "bad udp cksum") either way.
        let verbose = try run(["tcpdump", "-n", "-vv", "-r", path]).output.split(separator: "\n").filter { $0.contains("UDP, length") }
        #expect(verbose.count == 5)
        for (record, tcpdumpLine) in zip(records, verbose) {
            let packet = record.bytes.withBuffer { DecodedPacket(decodingEthernetFrame: $0) }
            guard case let .udp(udp)? = packet.transport else { Issue.record("not UDP"); continue }
            #expect(udp.destinationPort == port)
            #expect(udp.checksumIsValid == tcpdumpLine.contains("udp sum ok"), "\(tcpdumpLine)")
            #expect(udp.checksumIsValid == !tcpdumpLine.contains("bad udp cksum"), "\(tcpdumpLine)")
            #expect(String(decoding: record.bytes[packet.payloadRange], as: UTF8.self).hasPrefix("datagram "))
        }
    }

    /// The link-type names tcpdump prints when it opens a file.
    @Test func linkTypeNamesMatchTcpdump() throws {
        for type in [PcapLinkType.null, .ethernet, .raw, .linuxSLL, .canSocketCAN, .linuxSLL2, PcapLinkType(rawValue: 147)] {
            let path = temporaryPath("linktype-\(type.rawValue).pcap")
            defer { unlink(path) }
            try PcapWriter(path: path, linkType: type, snapLength: 65535).close()
            let output = try run(["/bin/sh", "-c", "tcpdump -r '\(path)' 2>&1"]).output
            #expect(output.hasPrefix("reading from file \(path), link-type \(type.tcpdumpName), snapshot length 65535"), "\(output)")
        }
    }
}
