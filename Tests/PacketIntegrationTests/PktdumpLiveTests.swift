#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// pktdump-swift's live capture semantics against tcpdump on the same veth traffic (issue 13): filters compiled
/// for the live socket (the kernel moved the VLAN tag into metadata), `-Q` directions, `-U`, `-l` and
/// `--immediate-mode`.
@Suite("pktdump-swift live capture", .needsRoot)
struct PktdumpLiveTests {
    static let binary = PacketEnvironment.product("pktdump-swift")
    static let vlanFilters = ["vlan", "vlan 100", "vlan and udp", "not vlan", "vlan 100 and host 10.0.0.1"]

    static func temporary(_ name: String) -> String { "/tmp/ctk-pktlive-\(getpid())-\(PacketEnvironment.next())-\(name)" }

    static func udp(_ veth: VethPair, from: IPv4Address, to: IPv4Address, vlan: UInt16?, sequence: UInt8) -> [UInt8] {
        PacketBuilder.ethernetFrame(destination: MACAddress(veth.outsideMAC)!, source: MACAddress(veth.insideMAC)!,
                                    vlanTags: vlan.map { [VLANTag(id: $0, etherType: .ipv4)] } ?? [],
                                    network: .ipv4(IPv4Header(source: from, destination: to, protocol: .udp)),
                                    transport: .udp(UDPHeader(sourcePort: 5000, destinationPort: 6000)), payload: [sequence, 1, 2, 3])
    }

    static func tcp(_ veth: VethPair, from: IPv4Address, to: IPv4Address, vlan: UInt16?, sequence: UInt8) -> [UInt8] {
        PacketBuilder.ethernetFrame(destination: MACAddress(veth.outsideMAC)!, source: MACAddress(veth.insideMAC)!,
                                    vlanTags: vlan.map { [VLANTag(id: $0, etherType: .ipv4)] } ?? [],
                                    network: .ipv4(IPv4Header(source: from, destination: to, protocol: .tcp)),
                                    transport: .tcp(TCPHeader(sourcePort: 4000, destinationPort: 80, sequenceNumber: UInt32(sequence), flags: .ack)),
                                    payload: [sequence])
    }

    /// Untagged and 802.1Q-tagged UDP, TCP and non-IP frames, from and to 10.0.0.1 and others.
    static func vlanTraffic(_ veth: VethPair) -> [[UInt8]] {
        let a = IPv4Address(10, 0, 0, 1), b = IPv4Address(10, 0, 0, 2), c = IPv4Address(10, 0, 0, 3)
        return (0..<3).flatMap { round -> [[UInt8]] in
            let n = UInt8(round)
            return [udp(veth, from: a, to: b, vlan: nil, sequence: n),
                    udp(veth, from: a, to: b, vlan: 100, sequence: n),
                    udp(veth, from: c, to: b, vlan: 100, sequence: n),
                    udp(veth, from: a, to: b, vlan: 200, sequence: n),
                    tcp(veth, from: b, to: a, vlan: 100, sequence: n),
                    TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(round)),
                    TestFrames.tagged(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(round)), tci: 300)]
        }
    }

    @Test func liveProgramsAreTcpdumpsAndFilesKeepOfflineOnes() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let file = Self.temporary("offline.pcap")
        defer { unlink(file) }
        try PcapWriter(path: file, linkType: .ethernet).close()
        for filter in Self.vlanFilters {
            let live = try BPFProgram(compiling: filter, forCapturingOn: veth.outside)
            let tcpdump = try Subprocess.run(["tcpdump", "-i", veth.outside, "-ddd", filter])
            #expect(tcpdump.status == 0, "\(tcpdump.stderr)")
            #expect(live.decimalListing == tcpdump.stdout, "live program for '\(filter)'")
            let offline = try BPFProgram(compiling: filter)
            let fromFile = try Subprocess.run(["tcpdump", "-r", file, "-ddd", filter])
            #expect(offline.decimalListing == fromFile.stdout, "offline program for '\(filter)'")
        }
        // The live program reads the tag from the socket's metadata (SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT), the
        // offline one from the frame (offset 12); the kernel takes the live one.
        let live = try BPFProgram(compiling: "vlan", forCapturingOn: veth.outside)
        #expect(live.instructions.first == BPFInstruction(code: 0x30, k: 0xFFFF_F030))
        #expect(try BPFProgram(compiling: "vlan").instructions.first == .loadHalfWord(at: 12))
        #expect(live.isValid)
        let socket = try LinkLayerSocket(interface: veth.outside)
        try socket.attach(live)
        try socket.close()

        #expect(throws: BPFCompileError.self) { try BPFProgram(compiling: "vlan", forCapturingOn: "ctk-nosuch0") }
        do {
            _ = try BPFProgram(compiling: "vlan", forCapturingOn: "ctk-nosuch0")
        } catch {
            #expect(error.message.hasPrefix("ctk-nosuch0: No such device exists"), "\(error.message)")
        }
    }

    @Test func vlanFiltersCaptureWhatTcpdumpCaptures() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var runs: [(filter: String, tcpdump: String, ours: [String], processes: [Subprocess])] = []
        defer { for run in runs { unlink(run.tcpdump); run.ours.forEach { unlink($0) } } }
        for filter in Self.vlanFilters {
            let words = filter.split(separator: " ").map(String.init)
            let theirs = Self.temporary("tcpdump.pcap"), ring = Self.temporary("ring.pcap"), plain = Self.temporary("plain.pcap")
            let processes = [try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-n", "-U", "-w", theirs] + words),
                             try PktdumpTests.start([Self.binary, "-i", veth.outside, "-w", ring] + words),
                             try PktdumpTests.start([Self.binary, "-i", veth.outside, "--no-ring", "-w", plain] + words)]
            runs.append((filter, theirs, [ring, plain], processes))
        }
        let frames = Self.vlanTraffic(veth)
        let send = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        for frame in frames { try send.send(frame) }
        // What each filter should keep, by the frames' design (7 kinds, 3 rounds); tcpdump is checked against it.
        let expected = ["vlan": [1, 2, 3, 4, 6], "vlan 100": [1, 2, 4], "vlan and udp": [1, 2, 3], "not vlan": [0, 5],
                        "vlan 100 and host 10.0.0.1": [1, 4]]
        let total = runs.reduce(0) { $0 + expected[$1.filter]!.count * 3 }
        for _ in 0..<250 where runs.reduce(0, { $0 + (PcapRecords(path: $1.tcpdump)?.records.count ?? 0) }) < total {
            pause(.milliseconds(20))
        }
        pause(.milliseconds(200))
        for run in runs { run.processes.forEach { $0.signal(SIGINT) } }
        for run in runs { for process in run.processes { #expect(process.wait() == 0, "\(process.stderr)") } }

        for run in runs {
            let kinds = expected[run.filter]!
            let wanted = frames.enumerated().filter { kinds.contains($0.offset % 7) }.map(\.element)
            let reference = try #require(PcapRecords(path: run.tcpdump))
            let tcpdumpKeeps = reference.records.map(\.bytes) == wanted
            #expect(tcpdumpKeeps, "tcpdump '\(run.filter)' kept \(reference.records.count) frames, not the \(wanted.count) expected")
            for path in run.ours {
                let mine = try #require(PcapRecords(path: path), "\(path)")
                // The same frames as tcpdump's file, tags back in place, same lengths and stamps.
                let sameBytes = mine.records.map(\.bytes) == reference.records.map(\.bytes)
                #expect(sameBytes, "'\(run.filter)' \(path): \(mine.records.count) records vs tcpdump's \(reference.records.count)")
                let sameLengths = mine.records.map(\.originalLength) == reference.records.map(\.originalLength)
                #expect(sameLengths, "'\(run.filter)' \(path)")
                let sameTimes = mine.records.map { [$0.seconds, $0.fraction] } == reference.records.map { [$0.seconds, $0.fraction] }
                #expect(sameTimes, "'\(run.filter)' \(path)")
            }
        }
        // tcpdump -r reads the tags in our file: `vlan 100` on the file keeps what the live `vlan 100` kept.
        let vlan100 = try #require(runs.first { $0.filter == "vlan 100" })
        let reread = try Subprocess.run(["tcpdump", "-r", vlan100.ours[0], "-n", "-e", "vlan", "100"])
        #expect(reread.stdout.split(separator: "\n").filter { $0.contains("vlan 100") }.count == 9, "\(reread.stdout)")
    }

    @Test func directionKeepsWhatTcpdumpKeeps() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        var runs: [(direction: String, tcpdump: String, ours: String, processes: [Subprocess])] = []
        defer { for run in runs { unlink(run.tcpdump); unlink(run.ours) } }
        let filter = ["ether", "proto", "0x88b5"]
        for direction in ["in", "out", "inout"] {
            let theirs = Self.temporary("q-tcpdump.pcap"), ours = Self.temporary("q-ours.pcap")
            runs.append((direction, theirs, ours,
                         [try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-n", "-U", "-Q", direction, "-w", theirs] + filter),
                          try PktdumpTests.start([Self.binary, "-i", veth.outside, "-Q", direction, "-w", ours] + filter)]))
        }
        let inside = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        let outside = try LinkLayerSocket(interface: veth.outside)
        for i in 0..<10 {
            // Even sequence numbers come in to the captured end, odd ones go out of it.
            try inside.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(2 * i)))
            try outside.send(TestFrames.frame(from: veth.outsideMAC, to: veth.insideMAC, sequence: UInt32(2 * i + 1)))
        }
        let total = 10 + 10 + 20
        for _ in 0..<250 where runs.reduce(0, { $0 + (PcapRecords(path: $1.tcpdump)?.records.count ?? 0) }) < total {
            pause(.milliseconds(20))
        }
        pause(.milliseconds(200))
        for run in runs { run.processes.forEach { $0.signal(SIGINT) } }
        for run in runs { for process in run.processes { #expect(process.wait() == 0, "\(process.stderr)") } }
        for run in runs {
            let reference = try #require(PcapRecords(path: run.tcpdump)), mine = try #require(PcapRecords(path: run.ours))
            let sequences = reference.records.map { Int($0.bytes[18]) }
            switch run.direction {
            case "in": #expect(sequences == Array(stride(from: 0, to: 20, by: 2)))
            case "out": #expect(sequences == Array(stride(from: 1, to: 20, by: 2)))
            default: #expect(sequences.sorted() == Array(0..<20))
            }
            let same = mine.records.map(\.bytes) == reference.records.map(\.bytes)
            #expect(same, "-Q \(run.direction): \(mine.records.count) records vs tcpdump's \(reference.records.count)")
        }
    }

    @Test func packetAndLineBufferingWriteWhileRunning() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let buffered = Self.temporary("u.pcap"), plain = Self.temporary("plain.pcap")
        defer { unlink(buffered); unlink(plain) }
        let filter = ["ether", "proto", "0x88b5"]
        let perPacket = try PktdumpTests.start([Self.binary, "-i", veth.outside, "-U", "-w", buffered] + filter)
        let whole = try PktdumpTests.start([Self.binary, "-i", veth.outside, "-w", plain] + filter)
        let lines = try PktdumpTests.start([Self.binary, "-i", veth.outside, "-l"] + filter)
        let send = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        for i in 0..<3 { try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i))) }
        // Packet lines only: the test frames' unknown EtherType is followed by tcpdump's hex dump (tab-led lines).
        func packetLines(_ p: Subprocess) -> Int { p.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.count }
        for _ in 0..<250 where (PcapRecords(path: buffered)?.records.count ?? 0) < 3 || packetLines(lines) < 3 {
            pause(.milliseconds(20))
        }
        // While all three still run: -U has put every record in its file, -l every line on stdout; without -U the
        // records are still in the writer's buffer.
        #expect(PcapRecords(path: buffered)?.records.count == 3)
        #expect(packetLines(lines) == 3)
        #expect((PcapRecords(path: plain)?.records.count ?? 0) == 0)
        for process in [perPacket, whole, lines] { #expect(kill(process.pid, 0) == 0, "exited early: \(process.stderr)") }
        for process in [perPacket, whole, lines] { process.signal(SIGINT) }
        for process in [perPacket, whole, lines] { #expect(process.wait() == 0) }
        #expect(PcapRecords(path: plain)?.records.count == 3)
    }

    /// `-l` writes each packet's text as it is printed, as tcpdump's line-buffered stdout does: under a burst that
    /// reaches the tool in a few ring blocks, the write(2) calls it makes (`syscw` in /proc/PID/io) are at least
    /// one per packet with `-l` (tcpdump's too), and far fewer without it (pktdump-swift writes when its buffer
    /// fills or the socket goes idle). The earlier test cannot tell these apart: idle comes between its packets.
    @Test func lineBufferingWritesEachPacket() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let filter = ["ether", "proto", "0x88b5"]
        let processes = [try PktdumpTests.start([Self.binary, "-i", veth.outside, "-l"] + filter),
                         try PktdumpTests.start([Self.binary, "-i", veth.outside] + filter),
                         try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-n", "-l"] + filter)]
        func writes(_ process: Subprocess) -> Int {
            let io = Subprocess.read("/proc/\(process.pid)/io")
            return io.split(separator: "\n").first { $0.hasPrefix("syscw:") }.flatMap { Int($0.dropFirst(6).trimmingPrefix(" ")) } ?? -1
        }
        pause(.milliseconds(300))
        let before = processes.map(writes)
        let send = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        let burst = 200
        let frames = (0..<burst).map { TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32($0)) }
        for frame in frames { try send.send(frame) }
        func packetLines(_ p: Subprocess) -> Int { p.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.count }
        for _ in 0..<250 where processes.contains(where: { packetLines($0) < burst }) { pause(.milliseconds(20)) }
        let made = zip(processes.map(writes), before).map { $0 - $1 }
        for process in processes { #expect(packetLines(process) == burst, "\(process.stderr)") }
        #expect(made[0] >= burst, "pktdump-swift -l: \(made[0]) writes for \(burst) packets")
        #expect(made[2] >= burst, "tcpdump -l: \(made[2]) writes for \(burst) packets")
        #expect(made[1] < burst / 4, "pktdump-swift without -l: \(made[1]) writes for \(burst) packets")
        for process in processes { process.signal(SIGINT) }
        for process in processes { #expect(process.wait() == 0) }
    }

    @Test func immediateModeHasNoRing() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        // libpcap drops TPACKET_V3 (whose blocks wait to fill or time out) in immediate mode; so does
        // pktdump-swift: no ring is mapped, and packets still arrive.
        let immediate = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--immediate-mode", "-l", "ether", "proto", "0x88b5"])
        let ring = try PktdumpTests.start([Self.binary, "-i", veth.outside, "ether", "proto", "0x88b5"])
        let send = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC))
        for _ in 0..<250 where immediate.stdout.isEmpty { pause(.milliseconds(20)) }
        let immediateMaps = Subprocess.read("/proc/\(immediate.pid)/maps"), ringMaps = Subprocess.read("/proc/\(ring.pid)/maps")
        #expect(ringMaps.contains("socket:["), "the default capture maps its TPACKET_V3 ring")
        #expect(!immediateMaps.contains("socket:["), "--immediate-mode maps a ring")
        #expect(immediate.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.count == 1)
        for process in [immediate, ring] { process.signal(SIGINT) }
        for process in [immediate, ring] { #expect(process.wait() == 0) }
    }
}

/// `-i any` and `-D` inside a test-made namespace, where "any" sees only the namespace's own interfaces.
@Suite("pktdump-swift any and -D", .needsRoot)
struct PktdumpAnyTests {
    static let binary = PacketEnvironment.product("pktdump-swift")

    @Test func anyWritesTheSLL2RecordsTcpdumpWrites() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let inNamespace = ["ip", "netns", "exec", veth.namespace]
        let theirs = PktdumpLiveTests.temporary("any-tcpdump.pcap"), ours = PktdumpLiveTests.temporary("any-ours.pcap")
        let theirsUDP = PktdumpLiveTests.temporary("any-tcpdump-udp.pcap"), oursUDP = PktdumpLiveTests.temporary("any-ours-udp.pcap")
        defer { for path in [theirs, ours, theirsUDP, oursUDP] { unlink(path) } }
        let processes = [
            try PktdumpTests.start(inNamespace + ["tcpdump", "-i", "any", "-n", "-U", "-w", theirs]),
            try PktdumpTests.start(inNamespace + [Self.binary, "-i", "any", "-w", ours]),
            try PktdumpTests.start(inNamespace + ["tcpdump", "-i", "any", "-n", "-U", "-w", theirsUDP, "udp"]),
            try PktdumpTests.start(inNamespace + [Self.binary, "-i", "any", "-w", oursUDP, "udp"]),
        ]
        let lines = [try PktdumpTests.start(inNamespace + ["env", "TZ=UTC", "tcpdump", "-i", "any", "-n", "-l", "udp"]),
                     try PktdumpTests.start(inNamespace + ["env", "TZ=UTC", Self.binary, "-i", "any", "-l", "udp"])]
        #expect(processes[1].stderr.contains("listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes"))
        // Into the namespace's end from outside (for another MAC: packet type P), and out of it; untagged, tagged, non-IP.
        let frames = PktdumpLiveTests.vlanTraffic(veth)
        let outside = try LinkLayerSocket(interface: veth.outside)
        let inside = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        for (i, frame) in frames.enumerated() { try (i % 2 == 0 ? outside : inside).send(frame) }
        for _ in 0..<250 where (PcapRecords(path: theirs)?.records.count ?? 0) < frames.count { pause(.milliseconds(20)) }
        pause(.milliseconds(300))
        for process in processes + lines { process.signal(SIGINT) }
        for process in processes + lines { #expect(process.wait() == 0, "\(process.stderr)") }
        // `udp` keeps the UDP frames (kinds 0…3 of 7) except tagged ones going out: the kernel strips a tag into
        // metadata only on receive, so those still have EtherType 0x8100 in front of the IP header.
        let udpFrames = frames.indices.filter { $0 % 7 <= 3 && ($0 % 2 == 0 || $0 % 7 == 0) }.count

        for (reference, mine) in [(theirs, ours), (theirsUDP, oursUDP)] {
            let tcpdump = try #require(PcapRecords(path: reference)), pktdump = try #require(PcapRecords(path: mine))
            #expect(tcpdump.linkType == 276 && pktdump.linkType == 276)
            #expect(tcpdump.records.count == (reference == theirs ? frames.count : udpFrames), "\(reference)")
            let sameBytes = pktdump.records.map(\.bytes) == tcpdump.records.map(\.bytes)
            #expect(sameBytes, "\(mine): \(pktdump.records.count) records vs tcpdump's \(tcpdump.records.count); first differing: \(zip(pktdump.records, tcpdump.records).first { $0.bytes != $1.bytes }.map { "\($0.bytes.prefix(24)) vs \($1.bytes.prefix(24))" } ?? "-")")
            let sameLengths = pktdump.records.map(\.originalLength) == tcpdump.records.map(\.originalLength)
            #expect(sameLengths)
            let sameTimes = pktdump.records.map { [$0.seconds, $0.fraction] } == tcpdump.records.map { [$0.seconds, $0.fraction] }
            #expect(sameTimes)
        }
        // Read back in the namespace (the interface names are looked up by index): the same lines as tcpdump -r.
        let readTheirs = try Subprocess.run(inNamespace + ["env", "TZ=UTC", "tcpdump", "-n", "-r", oursUDP])
        let readOurs = try Subprocess.run(inNamespace + ["env", "TZ=UTC", Self.binary, "-r", oursUDP])
        #expect(readOurs.status == 0 && readTheirs.status == 0)
        #expect(readTheirs.stdout.split(separator: "\n").count == udpFrames)
        #expect(readOurs.stdout == readTheirs.stdout, "\(readOurs.stdout)\nvs\n\(readTheirs.stdout)")
        // Every frame of the capture, with and without -e (tcpdump's hex dumps of unknown EtherTypes left out).
        for link in [[], ["-e"]] {
            let tcpdump = try Subprocess.run(inNamespace + ["env", "TZ=UTC", "tcpdump", "-n", "-r", ours] + link)
            let pktdump = try Subprocess.run(inNamespace + ["env", "TZ=UTC", Self.binary, "-r", ours] + link)
            let theirs = tcpdump.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }, mine = pktdump.stdout.split(separator: "\n")
            #expect(theirs.count == frames.count)
            let same = mine == theirs
            #expect(same, "\(link): first differing line: \(zip(mine, theirs).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "-")")
        }
        let theirLines = lines[0].stdout.split(separator: "\n"), ourLines = lines[1].stdout.split(separator: "\n")
        #expect(theirLines.count == udpFrames)
        #expect(theirLines.contains { $0.contains(" Out IP ") } && theirLines.contains { $0.contains(" P   IP ") })
        let sameLines = ourLines == theirLines
        #expect(sameLines, "first differing line: \(zip(ourLines, theirLines).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "-")")
    }

    @Test func listsInterfacesAsTcpdump() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        for prefix in [["ip", "netns", "exec", veth.namespace], []] {
            let tcpdump = try Subprocess.run(prefix + ["tcpdump", "-D"]), ours = try Subprocess.run(prefix + [Self.binary, "-D"])
            #expect(tcpdump.status == 0 && ours.status == 0)
            if prefix.isEmpty {
                // The host's own list changes while other suites make and remove their veth pairs (ck…): compare
                // it without them and without the numbers they shift. The namespace's list is compared whole.
                func stable(_ text: String) -> [Substring] {
                    text.split(separator: "\n").map { $0.drop { $0 != "." }.dropFirst() }.filter { !$0.hasPrefix("ck") }
                }
                #expect(stable(ours.stdout) == stable(tcpdump.stdout))
            } else {
                #expect(ours.stdout == tcpdump.stdout)
            }
            #expect(ours.stdout.contains(".\(prefix.isEmpty ? veth.outside : veth.inside) [Up, Running, Connected]\n"), "\(ours.stdout)")
        }
    }
}
