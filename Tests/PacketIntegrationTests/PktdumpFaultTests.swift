#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// pktdump-swift when its outputs fail (issue 14): a reader that goes away, a disk that fills up.
@Suite("pktdump-swift faults", .needsRoot)
struct PktdumpFaultTests {
    static let binary = PacketEnvironment.product("pktdump-swift")
    static let filter = ["ether", "proto", "0x88b5"]

    static func send(_ count: Int, length: Int, on veth: VethPair) throws {
        let socket = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        defer { try? socket.close() }
        for i in 0..<count {
            try socket.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i), length: length))
        }
    }

    /// tcpdump 4.99 says `tcpdump: Unable to write output: Broken pipe` and exits 14 here; pktdump-swift ends as
    /// candump and other filters do, quietly, killed by SIGPIPE (a README difference).
    @Test("stdout closed early (| head -1): pktdump-swift ends quietly, killed by SIGPIPE")
    func readerGoesAway() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let dir = PktdumpTests.temporary("head")
        #expect(mkdir(dir, 0o755) == 0)
        defer { _ = try? Subprocess.run(["rm", "-rf", dir]) }
        let script = "\"$0\" -n -i \(veth.outside) \(Self.filter.joined(separator: " ")) 2>\(dir)/err | head -1 > \(dir)/out; "
            + "echo ${PIPESTATUS[0]} > \(dir)/status"
        let pipeline = try Subprocess(["bash", "-c", script, Self.binary])
        #expect(eventually(timeout: .seconds(30)) { Subprocess.read("\(dir)/err").contains("listening on") })
        try Self.send(200, length: 200, on: veth)
        #expect(pipeline.wait(timeout: .seconds(20)) == 0, "the pipeline ends once head has its line")
        let out = Subprocess.read("\(dir)/out"), err = Subprocess.read("\(dir)/err")
        #expect(out.split(separator: "\n").count == 1 && out.contains("ethertype Unknown (0x88b5)"), "\(out)")
        let status = Subprocess.read("\(dir)/status").split(separator: "\n").first.map(String.init)
        #expect(status == "\(128 + SIGPIPE)", "exit status \(status ?? "none"): \(err)")
        let said = err.split(separator: "\n").filter { !$0.contains("listening on") && !$0.contains("verbose output suppressed") }
        #expect(said.isEmpty, "nothing said but the start lines: \(err)")
    }

    @Test("a disk that fills mid-run under -w: a clear error, exit 1, and the file holds whole records that tcpdump reads")
    func diskFillsUp() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let dir = PktdumpTests.temporary("small")
        #expect(mkdir(dir, 0o755) == 0)
        defer { _ = try? Subprocess.run(["umount", dir]); rmdir(dir) }
        #expect(try Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", dir]).status == 0)
        let path = "\(dir)/capture.pcap"
        let dump = try PktdumpTests.start([Self.binary, "-i", veth.outside, "-w", path] + Self.filter)
        // About 640 KB of records: five times what fits.
        try Self.send(2000, length: 300, on: veth)
        #expect(dump.wait(timeout: .seconds(30)) == 1, "ends on the failed write: \(dump.stderr)")
        #expect(dump.stderr.contains(path) && dump.stderr.contains("No space left on device"), "\(dump.stderr)")
        #expect(!dump.stderr.contains("Fatal error"), "\(dump.stderr)")
        let reader = try PcapReader(path: path)
        let records = try reader.readAll()
        #expect(!records.isEmpty && records.allSatisfy { $0.capturedLength == 300 }, "whole records only")
        let tcpdump = try Subprocess.run(["tcpdump", "-r", path, "-n"])
        #expect(tcpdump.status == 0 && !tcpdump.stderr.contains("truncated"), "\(tcpdump.stderr)")
        #expect(tcpdump.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.count == records.count, "one line per record")
    }

    /// The kernel reports both with one ENETDOWN; libpcap goes on while the interface is only down and ends when
    /// it is gone, looking again each second while it is down. Every mode of pktdump-swift does the same.
    @Test("the interface set down, then deleted mid-run: tcpdump's ending, the file complete",
          arguments: [[], ["--no-ring"], ["--threads", "2"]])
    func interfaceGoesAway(mode: [String]) throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let ours = PktdumpTests.temporary("gone.pcap"), theirs = PktdumpTests.temporary("gone-tcpdump.pcap")
        defer { unlink(ours); unlink(theirs) }
        let swift = try PktdumpTests.start([Self.binary, "-i", veth.outside] + mode + ["-w", ours] + Self.filter)
        let tcpdump = try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-w", theirs] + Self.filter)
        pause(.milliseconds(300))
        try Self.send(20, length: 100, on: veth)
        pause(.milliseconds(300))
        #expect(try Subprocess.run(["ip", "link", "set", "down", veth.outside]).status == 0)
        pause(.milliseconds(1500))
        #expect(kill(swift.pid, 0) == 0 && !swift.stderr.contains("disappeared"), "only down: the capture goes on: \(swift.stderr)")
        #expect(try Subprocess.run(["ip", "link", "del", veth.outside]).status == 0)
        #expect(tcpdump.wait(timeout: .seconds(10)) == 1, "\(tcpdump.stderr)")
        #expect(swift.wait(timeout: .seconds(10)) == 1, "\(swift.stderr)")
        #expect(tcpdump.stderr.contains("The interface disappeared"), "\(tcpdump.stderr)")
        #expect(swift.stderr.contains("pktdump-swift: \(veth.outside): The interface disappeared"), "\(swift.stderr)")
        if mode.isEmpty || mode == ["--no-ring"] {
            #expect(swift.stderr.contains("20 packets captured\n"), "the counts follow, as tcpdump's: \(swift.stderr)")
        }
        let mine = try PcapReader(path: ours).readAll(), reference = try PcapReader(path: theirs).readAll()
        #expect(mine.count == 20 && reference.count == 20)
        #expect(mine.map(\.bytes) == reference.map(\.bytes))
    }
}
