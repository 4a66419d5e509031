#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// `--threads`: rings in one PACKET_FANOUT group, each drained by its own thread, on a veth pair, checked against
/// tcpdump capturing the same traffic.
@Suite("pktdump-swift --threads on veth", .needsRoot)
struct PktdumpThreadsTests {
    typealias Record = (seconds: UInt32, fraction: UInt32, originalLength: UInt32, bytes: [UInt8])

    static let binary = PktdumpTests.binary

    /// UDP frames of many flows (64 source × 97 destination ports, 200 destination addresses), so the flow hash
    /// spreads them over the rings; every ninth carries a VLAN tag. The sequence number is the payload's first word.
    static func traffic(_ veth: VethPair, count: Int) -> [[UInt8]] {
        let source = MACAddress(veth.insideMAC)!, destination = MACAddress(veth.outsideMAC)!
        return (0..<count).map { i in
            let ip = IPv4Header(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 1, UInt8(i % 200)), protocol: .udp)
            let udp = UDPHeader(sourcePort: UInt16(1000 + i % 64), destinationPort: UInt16(2000 + i % 97))
            var payload = withUnsafeBytes(of: UInt32(i).bigEndian) { Array($0) }
            payload += [UInt8](repeating: UInt8(i & 0xFF), count: i % 300)
            let tags = i % 9 == 8 ? [VLANTag(controlInformation: UInt16(100 + i % 5), tagProtocol: .vlan, etherType: .ipv4)] : []
            return PacketBuilder.ethernetFrame(destination: destination, source: source, vlanTags: tags,
                                               network: .ipv4(ip), transport: .udp(udp), payload: payload)
        }
    }

    static let filter = ["udp", "or", "vlan"]

    static func send(_ frames: [[UInt8]], on veth: VethPair) throws {
        let socket = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        for frame in frames { try socket.send(frame) }
    }

    static func records(_ path: String) throws -> [Record] {
        try #require(PcapRecords(path: path), "\(path) is not a complete pcap file").records
    }

    static func isInTimeOrder(_ records: [Record]) -> Bool {
        zip(records, records.dropFirst()).allSatisfy { ($0.seconds, $0.fraction) <= ($1.seconds, $1.fraction) }
    }

    /// Records as comparable keys: timestamp, original length, bytes.
    static func keys(_ records: [Record]) -> [[UInt8]] {
        records.map { record in
            withUnsafeBytes(of: (record.seconds.bigEndian, record.fraction.bigEndian, record.originalLength.bigEndian)) { Array($0) } + record.bytes
        }
    }

    /// The UDP flow (ports) of a frame, with or without a VLAN tag.
    static func flow(_ bytes: [UInt8]) -> [UInt8] {
        let ip = bytes[12] == 0x81 ? 18 : 14
        return Array(bytes[(ip + 12)..<(ip + 24)])
    }

    static func sequence(_ bytes: [UInt8]) -> UInt32 {
        let payload = (bytes[12] == 0x81 ? 18 : 14) + 28
        return bytes[payload..<(payload + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    @Test func ringsTogetherCaptureWhatTcpdumpCaptures() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let theirs = PktdumpTests.temporary("tcpdump.pcap"), merged = PktdumpTests.temporary("merged.pcap")
        let roundRobin = PktdumpTests.temporary("lb.pcap"), split = PktdumpTests.temporary("split.pcap")
        let splitFiles = (0..<2).map { "\(split).\($0)" }
        defer { for path in [theirs, merged, roundRobin] + splitFiles { unlink(path) } }
        let tcpdump = try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-n", "-U", "-w", theirs] + Self.filter)
        let ours = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "-w", merged] + Self.filter)
        let lb = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "3", "--fanout", "lb", "-w", roundRobin] + Self.filter)
        let perThread = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "--file-per-thread", "-w", split] + Self.filter)
        let frames = Self.traffic(veth, count: 3000)
        try Self.send(frames, on: veth)
        for _ in 0..<500 where (PcapRecords(path: theirs)?.records.count ?? 0) < frames.count { pause(.milliseconds(20)) }
        pause(.milliseconds(300))
        let processes = [tcpdump, ours, lb, perThread]
        for process in processes { process.signal(SIGINT) }
        for process in processes { #expect(process.wait(timeout: .seconds(10)) == 0) }

        let reference = try Self.records(theirs)
        #expect(reference.count == frames.count)
        #expect(Set(reference.map(\.bytes)) == Set(frames), "tcpdump captured other frames than were sent")
        for (path, process) in [(merged, ours), (roundRobin, lb)] {
            let mine = try Self.records(path)
            #expect(mine.count == reference.count, "\(path)")
            #expect(Self.isInTimeOrder(mine), "\(path) is not in timestamp order")
            // The same records, bytes, lengths and kernel timestamps, in the same order as tcpdump's.
            let same = Self.keys(mine) == Self.keys(reference)
            #expect(same, "\(path) differs from tcpdump's capture")
            #expect(process.stderr.contains("3000 packets captured\n3000 packets received by filter\n0 packets dropped by kernel\n"),
                    "\(process.stderr)")
        }

        let files = try splitFiles.map(Self.records)
        #expect(files.allSatisfy { !$0.isEmpty }, "the flow hash left a ring empty: \(files.map(\.count))")
        #expect(files.allSatisfy(Self.isInTimeOrder))
        let union = Self.keys(files.flatMap { $0 }).sorted { $0.lexicographicallyPrecedes($1) }
        let sameUnion = union == Self.keys(reference).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(sameUnion, "the per-ring files together differ from tcpdump's capture")
        // Hash mode: a flow's packets all reach one ring.
        let flows = files.map { Set($0.map { Self.flow($0.bytes) }) }
        #expect(flows[0].isDisjoint(with: flows[1]), "a flow was split over both rings")
        #expect(perThread.stderr.contains("3000 packets captured\n3000 packets received by filter\n"), "\(perThread.stderr)")
    }

    @Test func countStopsAtExactlyNAcrossRings() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let merged = PktdumpTests.temporary("c.pcap"), split = PktdumpTests.temporary("cs.pcap")
        let splitFiles = (0..<2).map { "\(split).\($0)" }
        defer { for path in [merged] + splitFiles { unlink(path) } }
        let ours = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "-c", "500", "-w", merged] + Self.filter)
        let perThread = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "--file-per-thread", "-c", "500",
                                                "-w", split] + Self.filter)
        // And printing: the same first 40 lines as tcpdump prints for the merged file's first 40 records.
        let printing = try PktdumpTests.start(["env", "TZ=UTC", Self.binary, "-i", veth.outside, "--threads", "2", "-c", "40"] + Self.filter)
        try Self.send(Self.traffic(veth, count: 2000), on: veth)
        #expect(ours.wait(timeout: .seconds(10)) == 0)
        #expect(perThread.wait(timeout: .seconds(10)) == 0)
        #expect(printing.wait(timeout: .seconds(10)) == 0)
        let tcpdump = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-r", merged, "-n", "-c", "40"])
        let theirLines = tcpdump.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }
        let ourLines = printing.stdout.split(separator: "\n")
        #expect(ourLines.count == 40)
        #expect(ourLines == theirLines, "first differing line: \(zip(ourLines, theirLines).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "-")")
        let mine = try Self.records(merged)
        // The first 500 in timestamp order: the frames as they were sent.
        #expect(mine.map { Self.sequence($0.bytes) } == (0..<500).map(UInt32.init))
        #expect(ours.stderr.contains("\n500 packets captured\n"), "\(ours.stderr)")
        let files = try splitFiles.map(Self.records)
        // Exactly 500 over both files (which ring got how many depends on when each ring's blocks were handed over).
        #expect(files.map(\.count).reduce(0, +) == 500)
        #expect(Set(files.flatMap { $0.map { Self.sequence($0.bytes) } }).count == 500)
        #expect(perThread.stderr.contains("\n500 packets captured\n"), "\(perThread.stderr)")
    }

    @Test("SIGINT, SIGTERM and SIGHUP leave every file complete", arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalLeavesCompleteFiles(signal: CInt) throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let merged = PktdumpTests.temporary("s.pcap"), split = PktdumpTests.temporary("ss.pcap")
        let splitFiles = (0..<2).map { "\(split).\($0)" }
        defer { for path in [merged] + splitFiles { unlink(path) } }
        let ours = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "-w", merged] + Self.filter)
        let perThread = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "--file-per-thread", "-w", split] + Self.filter)
        // Fewer bytes per ring than the writers' buffers: nothing reaches a file before the signal's flush.
        try Self.send(Self.traffic(veth, count: 150), on: veth)
        pause(.milliseconds(300))
        ours.signal(signal)
        perThread.signal(signal)
        #expect(ours.wait(timeout: .seconds(10)) == 0)
        #expect(perThread.wait(timeout: .seconds(10)) == 0)
        #expect(try Self.records(merged).count == 150)
        #expect(try splitFiles.map(Self.records).map(\.count).reduce(0, +) == 150)
        #expect(ours.stderr.contains("150 packets captured\n"))
        #expect(perThread.stderr.contains("150 packets captured\n"))
    }

    @Test func ringGroupHandsEachPacketToOneRing() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var options = LinkLayerSocket.Options()
        options.filter = try BPFProgram(compiling: "udp")
        let group = try PacketRingGroup(interface: veth.outside, options: options, count: 2, fanout: .init(mode: .hash))
        #expect(try group.rings.map { try $0.socket.fanoutGroupID() } == [group.groupID, group.groupID])
        let made = Set(group.rings.map { PacketRingTests.inode(of: $0.socket) })
        // A second group gets an id of its own from the kernel.
        let other = try PacketRingGroup(interface: veth.outside, options: options, count: 1)
        #expect(other.groupID != group.groupID)
        try other.close()
        let frames = Self.traffic(veth, count: 400).filter { $0[12] == 0x08 }
        try Self.send(frames, on: veth)
        var seen: [[UInt32]] = [[], []]
        for (i, ring) in group.rings.enumerated() {
            while let packet = try ring.nextPacket(timeout: .milliseconds(300)) { seen[i].append(Self.sequence(Array(packet.bytes))) }
        }
        #expect(seen.allSatisfy { !$0.isEmpty }, "\(seen.map(\.count))")
        #expect((seen[0] + seen[1]).sorted() == frames.map(Self.sequence).sorted(), "a packet was lost or captured twice")
        #expect(try group.statistics().packets == UInt64(frames.count))
        try group.close()
        // Compared by inode: sockets of suites running in parallel come and go.
        #expect(made.count == 2 && PacketRingTests.openSocketInodes().isDisjoint(with: made), "a ring's socket stayed open")
        #expect(throws: InvalidArgumentError.self) { try PacketRingGroup(interface: veth.outside, count: 0) }
    }

    @Test func ringGroupOfOtherSettingsIsRefusedAndLeavesNothingOpen() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let before = PacketRingTests.openSocketInodes()
        let id = UInt16(0x4000 + getpid() % 0x3000)
        let first = try PacketRingGroup(interface: veth.outside, count: 1, fanout: .init(mode: .hash, groupID: id))
        #expect(first.groupID == id)
        #expect(try first.rings[0].socket.fanoutGroupID() == id)
        // The same group id in another mode: the kernel refuses the join, and the new rings are closed.
        let error = try #require(throws: SystemCallError.self) {
            try PacketRingGroup(interface: veth.outside, count: 2, fanout: .init(mode: .loadBalance, groupID: id))
        }
        #expect(error.errno == .invalidArgument)
        #expect(error.operation.contains("PACKET_FANOUT"), "\(error)")
        // The flags reach the kernel as it expects them: getsockopt reads back id | mode << 16 | flags << 24, here
        // PACKET_FANOUT_CPU (2) with PACKET_FANOUT_FLAG_DEFRAG | PACKET_FANOUT_FLAG_ROLLOVER (0x9000 >> 8).
        let flagged = try PacketRingGroup(interface: veth.outside, count: 2,
                                          fanout: .init(mode: .cpu, defragments: true, rollsOver: true))
        #expect(try flagged.rings.map { try UInt32(bitPattern: $0.socket.socket.option(PacketOption.fanout)) >> 16 } == [0x9002, 0x9002])
        try flagged.close()
        try first.close()
        // Sockets of suites running in parallel come and go: wait up to 10 s for them; a leak stays.
        var leaked: Set<String> = []
        for _ in 0..<100 {
            leaked = PacketRingTests.openSocketInodes().subtracting(before).intersection(PacketRingTests.packetSocketInodes())
            if leaked.isEmpty { break }
            pause(.milliseconds(100))
        }
        #expect(leaked.isEmpty, "AF_PACKET sockets left open: \(leaked)")
    }
}

/// The checks of `--threads`, `--fanout` and `--file-per-thread`, before anything is opened.
@Suite("pktdump-swift --threads options")
struct PktdumpThreadsOptionTests {
    @Test(arguments: [
        (["--threads", "0"], "invalid --threads 0"),
        (["--threads", "2", "--no-ring"], "can't be used with --no-ring"),
        (["--threads", "2", "--file-per-thread"], "--file-per-thread needs -w FILE"),
        (["--threads", "2", "--fanout", "rss"], "--fanout"),
    ])
    func badOptionsAreRefused(arguments: [String], message: String) throws {
        let result = try Subprocess.run([PktdumpTests.binary, "-i", "lo"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
