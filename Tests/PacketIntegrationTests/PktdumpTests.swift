#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// pktdump-swift end to end on a veth pair, checked against tcpdump and tshark on the same traffic.
@Suite("pktdump-swift on veth", .needsRoot)
struct PktdumpTests {
    static let binary = PacketEnvironment.product("pktdump-swift")

    static func temporary(_ name: String) -> String { "/tmp/ctk-pktdump-\(getpid())-\(PacketEnvironment.next())-\(name)" }

    /// Starts a capturing tool and waits until it says it is listening (tcpdump and pktdump-swift both print
    /// `listening on` to stderr once bound).
    static func start(_ argv: [String]) throws -> Subprocess {
        let process = try Subprocess(argv)
        for _ in 0..<1000 {
            if process.stderr.contains("listening on") { return process }
            pause(.milliseconds(10))
        }
        process.signal(SIGKILL)
        process.wait()
        throw EnvironmentError(description: "\(argv[0]) did not start listening: \(process.stderr)")
    }

    func sender(_ veth: VethPair) throws -> LinkLayerSocket {
        try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
    }

    /// Frames of the test EtherType in several sizes, every fifth with a VLAN tag.
    func traffic(_ veth: VethPair, count: Int) -> [[UInt8]] {
        (0..<count).map { i in
            let frame = TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i), length: 60 + (i * 37) % 1400)
            return i % 5 == 4 ? TestFrames.tagged(frame, tci: UInt16(100 + i % 7)) : frame
        }
    }

    /// Parses `tcpdump -xx` hex dumps into one byte array per packet.
    static func hexDumpPackets(_ text: String) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("\t0x") {
                guard !packets.isEmpty, let colon = line.firstIndex(of: ":") else { continue }
                let hex = line[line.index(after: colon)...].prefix(41).filter { $0 != " " }
                var index = hex.startIndex
                while index < hex.endIndex, let end = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
                    packets[packets.count - 1].append(UInt8(hex[index..<end], radix: 16)!)
                    index = end
                }
            } else {
                packets.append([])
            }
        }
        return packets
    }

    @Test("-w file read by tcpdump -r and tshark -r", arguments: [false, true])
    func writtenFileReadsBack(noRing: Bool) throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let path = Self.temporary("w.pcap")
        defer { unlink(path) }
        let dump = try Self.start([Self.binary, "-i", veth.outside, "-w", path] + (noRing ? ["--no-ring"] : []) + ["ether", "proto", "0x88b5", "or", "vlan"])
        let frames = traffic(veth, count: 200)
        let send = try sender(veth)
        for frame in frames { try send.send(frame) }
        pause(.milliseconds(300))
        dump.signal(SIGINT)
        #expect(dump.wait() == 0)
        #expect(dump.stderr.contains("200 packets captured\n200 packets received by filter\n0 packets dropped by kernel\n"))
        let file = try #require(PcapRecords(path: path))
        #expect(file.linkType == 1)
        let sameBytes = file.records.map(\.bytes) == frames
        #expect(sameBytes, "the file's records differ from the frames sent")
        let sameLengths = file.records.map(\.originalLength) == frames.map { UInt32($0.count) }
        #expect(sameLengths)

        let tcpdump = try Subprocess.run(["tcpdump", "-r", path, "-n", "-xx"])
        #expect(tcpdump.status == 0)
        let tcpdumpBytes = Self.hexDumpPackets(tcpdump.stdout) == frames
        #expect(tcpdumpBytes, "tcpdump -r -xx shows other bytes than were sent")
        let tshark = try Subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len"])
        #expect(tshark.status == 0)
        let tsharkLengths = tshark.stdout.split(separator: "\n").map(String.init) == frames.map { "\($0.count)\t\($0.count)" }
        #expect(tsharkLengths, "tshark -r reports other lengths or another count")
    }

    @Test func sameBytesAsTcpdumpCapturingAtTheSameTime() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let ours = Self.temporary("ours.pcap"), theirs = Self.temporary("tcpdump.pcap"), plain = Self.temporary("plain.pcap")
        defer { unlink(ours); unlink(theirs); unlink(plain) }
        let filter = ["ether", "proto", "0x88b5", "or", "vlan"]
        let tcpdump = try Self.start(["tcpdump", "-i", veth.outside, "-n", "-U", "-w", theirs] + filter)
        let dump = try Self.start([Self.binary, "-i", veth.outside, "-w", ours] + filter)
        let recv = try Self.start([Self.binary, "-i", veth.outside, "--no-ring", "-w", plain] + filter)
        // And the library's own socket, bound beside them.
        var options = LinkLayerSocket.Options()
        options.filter = try BPFProgram(compiling: filter.joined(separator: " "))
        options.receiveBufferSize = 4 << 20
        let socket = try LinkLayerSocket(interface: veth.outside, options: options)
        try socket.socket.setTimeout(.seconds(3))
        let frames = traffic(veth, count: 300)
        let send = try sender(veth)
        for frame in frames { try send.send(frame) }
        // tcpdump -U writes each packet as it handles it: wait until it has them all (it stops reading at SIGINT).
        for _ in 0..<500 where (PcapRecords(path: theirs)?.records.count ?? 0) < frames.count { pause(.milliseconds(20)) }
        pause(.milliseconds(200))
        for process in [tcpdump, dump, recv] { process.signal(SIGINT) }
        for process in [tcpdump, dump, recv] { #expect(process.wait() == 0) }

        let reference = try #require(PcapRecords(path: theirs))
        #expect(reference.records.count == frames.count)
        for path in [ours, plain] {
            let mine = try #require(PcapRecords(path: path))
            #expect(mine.records.count == reference.records.count, "\(path)")
            let sameBytes = mine.records.map(\.bytes) == reference.records.map(\.bytes)
            #expect(sameBytes, "\(path) has other bytes than tcpdump's file")
            let sameLengths = mine.records.map(\.originalLength) == reference.records.map(\.originalLength)
            #expect(sameLengths)
            // The same kernel timestamps (one skb, one stamp) to the microsecond.
            let sameTimes = mine.records.map { [$0.seconds, $0.fraction] } == reference.records.map { [$0.seconds, $0.fraction] }
            #expect(sameTimes, "\(path) has other timestamps than tcpdump's file")
        }
        var buffer = [UInt8](repeating: 0, count: 65536), scratch = [UInt8](repeating: 0, count: 65536)
        for record in reference.records {
            let wire = try buffer.withUnsafeMutableBytes { raw in
                let packet = try socket.receive(into: raw)
                return scratch.withUnsafeMutableBytes { Array(packet.reinsertingVLANTag(into: $0)) }
            }
            #expect(wire == record.bytes, "the library socket received other bytes than tcpdump")
        }
    }

    @Test func countStopsTheCapture() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let path = Self.temporary("c.pcap")
        defer { unlink(path) }
        let dump = try Self.start([Self.binary, "-i", veth.outside, "-c", "5", "-w", path, "--time-stamp-precision", "nano",
                                   "ether", "proto", "0x88b5"])
        let send = try sender(veth)
        for i in 0..<20 { try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i))) }
        #expect(dump.wait(timeout: .seconds(10)) == 0)
        #expect(dump.stderr.contains("5 packets captured\n"))
        let file = try #require(PcapRecords(path: path))
        #expect(file.records.count == 5)
        #expect(file.records.map { $0.bytes[18] } == [0, 1, 2, 3, 4])
        #expect(file.nanosecond)
        #expect(file.records.allSatisfy { $0.fraction < 1_000_000_000 })
        #expect(file.records.contains { $0.fraction % 1000 != 0 }, "nanosecond stamps all multiples of 1000")
        let tcpdump = try Subprocess.run(["tcpdump", "-r", path, "--time-stamp-precision", "nano", "-n"])
        #expect(tcpdump.status == 0)
        #expect(tcpdump.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.count == 5)
    }

    @Test("SIGINT, SIGTERM and SIGHUP leave a complete file", arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalLeavesCompleteFile(signal: CInt) throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let path = Self.temporary("s.pcap")
        defer { unlink(path) }
        let dump = try Self.start([Self.binary, "-i", veth.outside, "-w", path, "ether", "proto", "0x88b5"])
        let send = try sender(veth)
        // Fewer bytes than the writer's buffer: nothing reaches the file before the signal's flush.
        for i in 0..<150 { try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i), length: 300)) }
        pause(.milliseconds(300))
        dump.signal(signal)
        #expect(dump.wait(timeout: .seconds(10)) == 0)
        let file = try #require(PcapRecords(path: path), "the pcap file is incomplete")
        #expect(file.records.count == 150)
        #expect(dump.stderr.contains("150 packets captured\n"))
    }

    @Test func printsOneLinePerPacketAndReadsBack() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let path = Self.temporary("r.pcap")
        defer { unlink(path) }
        let dump = try Self.start([Self.binary, "-i", veth.outside, "-c", "40", "-w", path, "ether", "proto", "0x88b5", "or", "vlan"])
        let send = try sender(veth)
        for frame in traffic(veth, count: 40) { try send.send(frame) }
        #expect(dump.wait(timeout: .seconds(10)) == 0)

        for (filter, link) in [([String](), "-n"), (["vlan"], "-e"), ([], "-e")] {
            let ours = try Subprocess.run(["env", "TZ=UTC", Self.binary, "-r", path, link] + filter)
            let theirs = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-r", path, "-n", link] + filter)
            #expect(ours.status == 0)
            #expect(theirs.status == 0)
            let ourLines = ours.stdout.split(separator: "\n"), theirLines = theirs.stdout.split(separator: "\n")
            #expect(ourLines.filter { !$0.hasPrefix("\t") }.count == (filter.isEmpty ? 40 : 8))
            #expect(ourLines.count == theirLines.count)
            // Whole lines as tcpdump prints them, its hex dump of the unknown EtherType's payload included:
            // HH:MM:SS.uuuuuu in the same time zone, then the summary.
            let sameLines = ourLines == theirLines
            #expect(sameLines, "first differing line: \(zip(ourLines, theirLines).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "-")")
        }
        let limited = try Subprocess.run([Self.binary, "-r", path, "-c", "3"])
        #expect(limited.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.count == 3)
    }

    @Test func missingInterfaceBadFilterAndPrivilege() throws {
        let missing = try Subprocess.run([Self.binary, "-i", "ctk-nosuch0"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("pktdump-swift: ctk-nosuch0: No such device exists"))

        let veth = try VethPair()
        defer { veth.remove() }
        let bad = try Subprocess.run([Self.binary, "-i", veth.outside, "udp", "port"])
        #expect(bad.status != 0)
        let tcpdump = try Subprocess.run(["tcpdump", "-i", veth.outside, "udp", "port"])
        // libpcap's own text, after the tool's name, as tcpdump prints it.
        let message = tcpdump.stderr.split(separator: "\n").last.map { $0.replacingPrefix("tcpdump: ", with: "") } ?? "?"
        #expect(message.contains("syntax error"))
        #expect(bad.stderr == "pktdump-swift: \(message)\n")

        let unprivileged = try Subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                                               Self.binary, "-i", veth.outside])
        #expect(unprivileged.status != 0)
        #expect(unprivileged.stderr.contains("You don't have permission to capture on that device"))
        #expect(unprivileged.stderr.contains("Operation not permitted"))

        let usage = try Subprocess.run([Self.binary, "-i", veth.outside, "-c", "0"])
        #expect(usage.status != 0)
        #expect(usage.stderr.contains("invalid packet count 0"))
    }
}

private extension Substring {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : String(self)
    }
}
