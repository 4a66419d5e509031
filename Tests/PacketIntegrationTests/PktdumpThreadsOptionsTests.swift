#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import PcapFile
import SocketBase
import Testing
import ToolkitTestSupport

/// `--threads 2` with the other output options: `--pcapng`, `-C` rotation, and `-i any` (in a namespace, where
/// "any" sees only its own interfaces). Each is held to tcpdump capturing the same traffic: the rings together
/// must write what one tcpdump writes, in the same order.
@Suite("pktdump-swift --threads with --pcapng, -C and -i any", .needsRoot)
struct PktdumpThreadsOptionsTests {
    static let binary = PktdumpTests.binary
    static let filter = PktdumpThreadsTests.filter

    /// A record as comparable bytes: the timestamp to the microsecond (tcpdump's pcap), the wire length, the bytes.
    static func key(_ record: PcapRecord) -> [UInt8] {
        let time = (record.timestamp.seconds, Int64(record.timestamp.nanoseconds / 1000), Int64(record.originalLength))
        return withUnsafeBytes(of: time) { Array($0) } + record.bytes
    }

    static func send(_ frames: [[UInt8]], from socket: LinkLayerSocket) throws {
        for (i, frame) in frames.enumerated() {
            try socket.send(frame)
            if i % 200 == 199 { pause(.milliseconds(5)) }  // no ring or socket buffer may overflow
        }
    }

    @Test func pcapngAndRotationWriteWhatTcpdumpCaptures() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let root = try PktdumpFileTests.directory("threads-options")
        defer { PktdumpFileTests.remove(root) }
        try VethPair.run(["mkdir", "\(root)/rotated"])
        let reference = "\(root)/tcpdump.pcap", pcapng = "\(root)/rings.pcapng"
        let tcpdump = try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-n", "-U", "-w", reference] + Self.filter)
        let ng = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "--pcapng", "-w", pcapng] + Self.filter)
        let rotating = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "-C", "1",
                                               "-w", "\(root)/rotated/r.pcap"] + Self.filter)
        let split = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--threads", "2", "--file-per-thread", "--pcapng",
                                            "-w", "\(root)/split.pcapng"] + Self.filter)
        // 6,000 UDP frames of many flows (about 1.3 MB of records: two files at -C 1).
        let frames = PktdumpThreadsTests.traffic(veth, count: 6000)
        try Self.send(frames, from: try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) })
        PktdumpFileTests.waitForRecords(frames.count) { [reference] }
        for process in [tcpdump, ng, rotating, split] { process.signal(SIGINT) }
        for process in [tcpdump, ng, rotating, split] { #expect(process.wait(timeout: .seconds(10)) == 0, "\(process.stderr)") }

        let theirs = try CaptureFileReader(path: reference).readAll()
        #expect(theirs.count == frames.count, "tcpdump's reference capture")
        #expect(Set(theirs.map(\.bytes)) == Set(frames), "tcpdump captured other frames than were sent")
        for process in [ng, rotating, split] {
            #expect(process.stderr.contains("6000 packets captured\n6000 packets received by filter\n0 packets dropped by kernel\n"),
                    "\(process.stderr)")
        }

        // --pcapng: one section, one interface, every packet inbound, in tcpdump's order with its timestamps.
        let ngReader = try CaptureFileReader(path: pcapng)
        #expect(ngReader.format == .pcapng && ngReader.linkType == .ethernet)
        let mine = try ngReader.readAll()
        #expect(mine.count == theirs.count)
        #expect(mine.map(Self.key) == theirs.map(Self.key), "the rings' pcapng differs from tcpdump's capture")
        #expect(mine.allSatisfy { $0.interfaceIndex == 0 && $0.flags?.direction == .inbound }, "the EPBs' interface and direction")
        // ... and tcpdump reads both files to the same lines.
        let readNG = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-n", "-r", pcapng])
        let readReference = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-n", "-r", reference])
        #expect(readNG.status == 0 && readNG.stdout.split(separator: "\n").count == frames.count)
        #expect(readNG.stdout == readReference.stdout)

        // -C 1: r.pcap, r.pcap1, …: each complete; each but the last over 1,000,000 bytes only by its last
        // record; together tcpdump's capture, in its order.
        let names = try PktdumpFileTests.files("\(root)/rotated")
        #expect(names == ["r.pcap", "r.pcap1"], "\(names)")
        var rotated: [PcapRecord] = []
        for (i, name) in names.enumerated() {
            let path = "\(root)/rotated/\(name)"
            let records = try CaptureFileReader(path: path).readAll()
            #expect(!records.isEmpty, "\(name)")
            rotated += records
            let size = PackageFiles.bytes(path)?.count ?? 0
            if i < names.count - 1 {
                let last = 16 + (records.last?.bytes.count ?? 0)
                #expect(size > 1_000_000 && size - last <= 1_000_000, "\(name): \(size) bytes")
            }
        }
        #expect(rotated.map(Self.key) == theirs.map(Self.key), "the rotated files differ from tcpdump's capture")

        // --file-per-thread --pcapng: one pcapng file per ring, each in time order, together tcpdump's capture.
        var perRing: [PcapRecord] = []
        for i in 0..<2 {
            let reader = try CaptureFileReader(path: "\(root)/split.pcapng.\(i)")
            #expect(reader.format == .pcapng)
            let records = try reader.readAll()
            #expect(!records.isEmpty && records.allSatisfy { $0.flags?.direction == .inbound })
            #expect(zip(records, records.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
            perRing += records
        }
        #expect(perRing.map(Self.key).sorted { $0.lexicographicallyPrecedes($1) } == theirs.map(Self.key).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func anyWritesTheSLL2RecordsTcpdumpWrites() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let inNamespace = ["ip", "netns", "exec", veth.namespace]
        let theirs = PktdumpTests.temporary("threads-any-tcpdump.pcap"), ours = PktdumpTests.temporary("threads-any.pcap")
        defer { for path in [theirs, ours] { unlink(path) } }
        // `udp` (libpcap has no `vlan` for LINUX_SLL2).
        let tcpdump = try PktdumpTests.start(inNamespace + ["tcpdump", "-i", "any", "-n", "-U", "-w", theirs, "udp"])
        let rings = try PktdumpTests.start(inNamespace + [Self.binary, "-i", "any", "--threads", "2", "-w", ours, "udp"])
        let outOnly = PktdumpTests.temporary("threads-any-out.pcap")
        defer { unlink(outOnly) }
        let sent = try PktdumpTests.start(inNamespace + [Self.binary, "-i", "any", "--threads", "2", "-Q", "out", "-w", outOnly, "udp"])
        let lines = [try PktdumpTests.start(inNamespace + ["env", "TZ=UTC", "tcpdump", "-i", "any", "-n", "-l", "udp"]),
                     try PktdumpTests.start(inNamespace + ["env", "TZ=UTC", Self.binary, "-i", "any", "--threads", "2", "-l", "udp"])]
        #expect(rings.stderr.contains("listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes"))
        // Into the namespace's end from outside, and out of it.
        let frames = PktdumpThreadsTests.traffic(veth, count: 2000)
        let outside = try LinkLayerSocket(interface: veth.outside)
        let inside = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        for (i, frame) in frames.enumerated() {
            try (i % 2 == 0 ? outside : inside).send(frame)
            if i % 200 == 199 { pause(.milliseconds(5)) }
        }
        // `udp` keeps them all but the tagged ones going out: the kernel moves a tag into metadata only on receive.
        let expected = frames.indices.filter { !($0 % 9 == 8 && $0 % 2 == 1) }.count
        PktdumpFileTests.waitForRecords(expected) { [theirs] }
        let processes = [tcpdump, rings, sent] + lines
        for process in processes { process.signal(SIGINT) }
        for process in processes { #expect(process.wait(timeout: .seconds(10)) == 0, "\(process.stderr)") }
        let reference = try CaptureFileReader(path: theirs), mine = try CaptureFileReader(path: ours)
        #expect(reference.linkType == mine.linkType && mine.linkType.rawValue == 276)
        let theirRecords = try reference.readAll(), myRecords = try mine.readAll()
        #expect(theirRecords.count == expected)
        // The same SLL2 records (interface index, packet type, the frame), lengths and timestamps, in the same order.
        #expect(myRecords.map(Self.key) == theirRecords.map(Self.key),
                "\(myRecords.count) records vs tcpdump's \(theirRecords.count)")
        // SLL2's packet type: PACKET_OTHERHOST into the namespace (the frames are for the outside end's MAC),
        // PACKET_OUTGOING out of it.
        #expect(Set(theirRecords.map { $0.bytes[10] }) == [3, 4] && Set(myRecords.map { $0.bytes[10] }) == [3, 4])
        #expect(rings.stderr.contains("\(expected) packets captured\n"), "\(rings.stderr)")
        // -Q out: exactly tcpdump's outgoing records.
        let outgoing = try CaptureFileReader(path: outOnly).readAll()
        #expect(outgoing.map(Self.key) == theirRecords.filter { $0.bytes[10] == 4 }.map(Self.key))
        #expect(!outgoing.isEmpty)
        // Printed: tcpdump's lines for LINUX_SLL2 (interface, direction), in the same order.
        let theirLines = lines[0].stdout.split(separator: "\n"), ourLines = lines[1].stdout.split(separator: "\n")
        #expect(theirLines.count == expected && theirLines.contains { $0.contains(" Out IP ") })
        let sameLines = ourLines == theirLines
        #expect(sameLines, "first differing line: \(zip(ourLines, theirLines).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "-")")
    }
}

/// Loopback in a test-made namespace: libpcap leaves out what goes out on `lo` (it comes back in, and would be
/// seen twice), on `lo` itself and on `any`; so must every capture path here (one ring, no ring, rings).
@Suite("pktdump-swift on loopback", .needsRoot)
struct PktdumpLoopbackTests {
    static let binary = PktdumpTests.binary

    @Test func eachPacketOnceAsTcpdump() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let inNamespace = ["ip", "netns", "exec", veth.namespace]
        try VethPair.run(["ip", "-n", veth.namespace, "link", "set", "lo", "up"])
        let setups: [(name: String, options: [String])] = [
            ("ring", ["-i", "lo"]), ("no-ring", ["-i", "lo", "--no-ring"]), ("threads", ["-i", "lo", "--threads", "2"]),
            ("any", ["-i", "any"]), ("any-threads", ["-i", "any", "--threads", "2"]),
        ]
        var paths: [String: String] = [:]
        for setup in setups { for tool in ["tcpdump", "ours"] { paths[tool + setup.name] = PktdumpTests.temporary("lo-\(tool)-\(setup.name).pcap") } }
        let path = { (tool: String, name: String) in paths[tool + name]! }
        defer { for file in paths.values { unlink(file) } }
        var processes: [(name: String, tcpdump: Subprocess, ours: Subprocess)] = []
        for setup in setups {
            let options = Array(setup.options.prefix(2))  // tcpdump: the interface only
            processes.append((setup.name,
                              try PktdumpTests.start(inNamespace + ["tcpdump", "-n", "-U", "-w", path("tcpdump", setup.name)] + options + ["udp"]),
                              try PktdumpTests.start(inNamespace + [Self.binary, "-w", path("ours", setup.name)] + setup.options + ["udp"])))
        }
        let send = "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor i in range(40): s.sendto(bytes([i]) * (20 + i), ('127.0.0.1', 9998))"
        #expect(try Subprocess.run(inNamespace + ["python3", "-c", send]).status == 0)
        PktdumpFileTests.waitForRecords(40 * setups.count) { setups.map { path("tcpdump", $0.name) } }
        for p in processes { p.tcpdump.signal(SIGINT); p.ours.signal(SIGINT) }
        for p in processes {
            #expect(p.tcpdump.wait(timeout: .seconds(10)) == 0 && p.ours.wait(timeout: .seconds(10)) == 0, "\(p.name): \(p.ours.stderr)")
            let theirs = try CaptureFileReader(path: path("tcpdump", p.name)).readAll()
            let mine = try CaptureFileReader(path: path("ours", p.name)).readAll()
            #expect(theirs.count == 40, "\(p.name): tcpdump kept \(theirs.count)")
            #expect(mine.map(\.bytes) == theirs.map(\.bytes), "\(p.name): \(mine.count) records, tcpdump's \(theirs.count)")
            #expect(p.ours.stderr.contains("\n40 packets captured\n"), "\(p.name): \(p.ours.stderr)")
        }
    }
}
