#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import SocketBase
import ToolkitTestSupport

/// candump-swift on CAN XL traffic, end to end: the toolkit's sockets send the frames of
/// Tests/CANSocketTests/Fixtures/candump-master-xl/frames (XL with VCIDs, SEC/RRS, 1 to 2048 bytes, mixed with
/// classic and FD) on vcanxl and through a vxcan pair, and candump-swift's screen, `-x`, `-L`, `-l` and `--pcap`
/// output must be what can-utils master's candump printed for the same frames (the fixture; timestamps, which
/// differ from run to run, are compared as a column). The pcap is compared with tcpdump's capture of the same
/// frames and read back by tshark.
///
/// Runs on Linux 6.12 and 6.1 (scripts/test): both kernels have CAN XL. 6.12 delivers a VCID only to sockets that
/// ask for it (`CAN_RAW_XL_VCID_OPTS`, which candump-swift sets as master candump does) and sends one only with
/// pass-through; 6.1 has no VCID option and passes the prio word's VCID bits through unchanged. Either way
/// candump-swift prints the same lines, which this test checks on each.
extension CANBus {
@Suite("candump-swift on CAN XL traffic (VM; Linux 6.1 and 6.12)", .needsCAN, .serialized)
struct CandumpXLTests {
    static let fixtures = CANEnvironment.packageRoot + "/Tests/CANSocketTests/Fixtures/candump-master-xl/"

    /// The traffic: (interface to send on, frame), in order.
    static func traffic() throws -> [(interface: String, frame: CANAnyFrame)] {
        try Subprocess.read(fixtures + "frames").split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), try CANFrameText.parseAny(fields[1]))
        }
    }

    /// What master's candump printed in the run `name` (see the fixture's `sets`).
    static func expected(_ name: String) -> String { Subprocess.read(fixtures + name + ".out") }

    /// The `(seconds.micros)` columns replaced by `(T)`: the runs' times differ, the lines around them must not.
    static func withoutTimes(_ text: String) -> String { text.replacing(/\(\d{10}\.\d{6}\)/, with: "(T)") }

    /// vcanxl (vcan, MTU 2060) and the vxcanA/vxcanB pair (MTU 2060), gone afterwards.
    final class Interfaces {
        let vcan: ScratchVCAN
        init() throws {
            vcan = try ScratchVCAN("vcanxl", mtu: 2060)
            _ = try? Subprocess.run(["ip", "link", "del", "vxcanA"])
            #expect(try Subprocess.run(["ip", "link", "add", "vxcanA", "type", "vxcan", "peer", "name", "vxcanB"]).status == 0)
            for name in ["vxcanA", "vxcanB"] {
                let mtu = try Subprocess.run(["ip", "link", "set", name, "mtu", "2060"])
                #expect(mtu.status == 0, "vxcan MTU 2060 on Linux \(KernelFeatures.kernel): \(mtu.stderr)")
                #expect(try Subprocess.run(["ip", "link", "set", "up", name]).status == 0)
            }
        }
        deinit { _ = try? Subprocess.run(["ip", "link", "del", "vxcanA"]) }
    }

    /// Sends the traffic from toolkit sockets with CAN XL on (and VCID pass-through where the kernel has it), each
    /// frame only after `delivered(k)` says the dumpers have written out the k frames before it. Across two
    /// interfaces nothing else fixes the order a dumper sees: under TCG a frame queued on one CPU's backlog has
    /// reached the sockets 75 ms after a later frame on the other interface, and the two vCPUs' receive
    /// timestamps have disagreed with the order of delivery. Master candump printed the fixture in the order sent.
    static func send(_ traffic: [(interface: String, frame: CANAnyFrame)], delivered: (Int) -> Bool = { _ in true }) throws {
        var senders: [String: CANRawSocket] = [:]
        for name in ["vcanxl", "vxcanA"] {
            let sender = try CANRawSocket(interface: name)
            try sender.setXLFrames(true)
            if KernelFeatures.hasVCID { try sender.setXLVCIDOptions(CANXLVCIDOptions(passTransmitVCID: true)) }
            senders[name] = sender
        }
        for (k, (interface, frame)) in traffic.enumerated() {
            #expect(eventually(timeout: .seconds(30)) { delivered(k) }, "the dumpers did not write out frame \(k)")
            try senders[interface]!.send(frame)
        }
    }

    /// The number of lines in a text.
    static func lineCount(_ text: String) -> Int { text.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }

    @Test("screen, -x, colours, -L, -l, --json: master candump's lines for the same frames")
    func textOutputs() throws {
        KernelFeatures.checkBootedKernel()
        #expect(KernelFeatures.hasXL, "CAN XL is in both kernels tested here (6.1 and 6.12)")
        let interfaces = try Interfaces()
        defer { withExtendedLifetime(interfaces) {} }
        let traffic = try Self.traffic()
        let count = String(traffic.count)
        let bin = CANEnvironment.product("candump-swift")
        let runs: [(name: String, tool: Subprocess)] = try [
            ("plain", []), ("x", ["-ta", "-x"]), ("c3", ["-ta", "-c", "-c", "-c", "-x"]), ("L", ["-L"]), ("Lx", ["-L", "-x"]),
        ].map { name, options in (name, try Subprocess([bin, "-n", count] + options + ["vcanxl", "vxcanB"])) }
        let logDir = "/tmp/cantoolkit-xl-l-\(getpid())"
        mkdir(logDir, 0o755)
        defer { _ = try? Subprocess.run(["rm", "-rf", logDir]) }
        let logger = try Subprocess([bin, "-l", "-x", "-n", count, "vcanxl", "vxcanB"], directory: logDir)
        let json = try Subprocess([bin, "--json", "-n", count, "vcanxl", "vxcanB"])
        for tool in runs.map(\.tool) + [logger, json] { #expect(tool.waitForSocket(), "candump-swift did not start") }
        pause(.milliseconds(300))
        let logFile = { (try? Subprocess.run(["ls", logDir]).stdout.split(separator: "\n").first).flatMap { $0 }.map { "\(logDir)/\($0)" } }
        try Self.send(traffic) { k in
            runs.allSatisfy { Self.lineCount($0.tool.stdout) >= k } && Self.lineCount(json.stdout) >= k
                && (k == 0 || logFile().map { Self.lineCount(Subprocess.read($0)) >= k } == true)
        }
        for (name, tool) in runs {
            #expect(tool.wait() == 0, "candump-swift \(name): \(tool.stderr)")
            let expected = Self.withoutTimes(Self.expected(name)), actual = Self.withoutTimes(tool.stdout)
            #expect(actual.split(separator: "\n").count == traffic.count, "\(name): \(tool.stderr)")
            let lines = tool.stdout.split(separator: "\n").map { $0.prefix(48) }.joined(separator: "\n")
            #expect(actual == expected, "run \(name):\n\(firstDifference(Array(expected.utf8), Array(actual.utf8)))\n\(lines)")
        }
        // -l: the same lines as -L -x, in a candump-DATE_TIME.log file.
        #expect(logger.wait() == 0, "candump-swift -l: \(logger.stderr)")
        let files = try Subprocess.run(["ls", logDir]).stdout.split(separator: "\n")
        #expect(files.count == 1)
        let logged = Subprocess.read("\(logDir)/\(files.first ?? "")")
        #expect(Self.withoutTimes(logged) == Self.withoutTimes(Self.expected("Lx")))
        // --json: one object per frame; the XL ones carry their own fields.
        #expect(json.wait() == 0)
        let path = "/tmp/cantoolkit-xl-json-\(getpid()).txt"
        try writeFile(path, json.stdout)
        defer { unlink(path) }
        let check = """
        import json, sys
        rows = [json.loads(line) for line in open(sys.argv[1])]
        assert len(rows) == \(traffic.count), len(rows)
        xl = [r for r in rows if r.get("xl")]
        assert len(xl) == 12, xl
        r = xl[2]
        assert (r["priority"], r["vcid"], r["flags"], r["sec"], r["rrs"], r["sdt"], r["af"], r["len"], r["data"], r["direction"]) == \
            ("598", "39", "82", False, True, "4A", "3239B34A", 2, "3CAB", "tx"), r
        assert max(r["len"] for r in xl) == 2048 and len(max(xl, key=lambda r: r["len"])["data"]) == 4096
        assert [r["direction"] for r in rows if r["interface"] == "vxcanB"] == ["rx"] * 5
        """
        let result = try Subprocess.run(["python3", "-c", check, path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("--pcap: tcpdump's records for the same XL frames (prio big-endian, len and AF little-endian); what tshark 4.0 shows")
    func pcap() throws {
        let interfaces = try Interfaces()
        defer { withExtendedLifetime(interfaces) {} }
        let traffic = try Self.traffic()
        let onVCAN = traffic.filter { $0.interface == "vcanxl" }
        let ours = "/tmp/cantoolkit-xl-ours-\(getpid()).pcap", theirs = "/tmp/cantoolkit-xl-tcpdump-\(getpid()).pcap"
        defer { unlink(ours); unlink(theirs) }
        let tcpdump = try Subprocess(["tcpdump", "-i", "vcanxl", "-w", theirs, "-c", String(onVCAN.count), "-U"])
        let swift = try Subprocess([CANEnvironment.product("candump-swift"), "-s", "2", "-n", String(onVCAN.count),
                                    "--pcap", ours, "vcanxl"])
        #expect(swift.waitForSocket() && tcpdump.waitForSocket())
        pause(.milliseconds(1000))  // tcpdump activates its capture after opening the socket
        try Self.send(traffic)
        #expect(swift.wait() == 0, "candump-swift: \(swift.stderr)")
        #expect(tcpdump.wait() == 0, "tcpdump: \(tcpdump.stderr)")
        let mine = pcapRecords(ours), tcpdumps = pcapRecords(theirs)
        #expect(mine.linkType == 227 && tcpdumps.linkType == 227)
        #expect(mine.records.count == onVCAN.count && tcpdumps.records.count == onVCAN.count)
        for ((record, theirs), sent) in zip(zip(mine.records, tcpdumps.records), onVCAN) {
            guard case .xl(let frame) = sent.frame else {
                // Classic and FD as the classic pcap test has them: libpcap zeroes an FD frame's flags byte.
                var masked = record
                if record.count == 72 { masked[5] = theirs[5] }
                #expect(masked == theirs, "record \(record.hexDump) vs tcpdump's \(theirs.hexDump)")
                continue
            }
            // libpcap 1.10.3 (Debian 12) clears bit 0x04 of byte 5, the SDT: it treats that byte as a CAN FD flags
            // byte and drops CANFD_FDF. candump-swift keeps the kernel's SDT (checked below).
            var masked = record
            masked[5] &= ~0x04
            #expect(theirs[5] & 0x04 == 0)
            #expect(masked == theirs, "XL record \(Array(record.prefix(16)).hexDump)… vs tcpdump's \(Array(theirs.prefix(16)).hexDump)…")
            // The header field by field, in the byte orders of tcpdump's LINKTYPE_CAN_SOCKETCAN page.
            #expect(record.count == 12 + frame.data.count)
            #expect(Array(record[0..<4]) == [0, frame.vcid, UInt8(frame.priority >> 8), UInt8(frame.priority & 0xFF)])
            #expect(record[4] == frame.flags.rawValue && record[5] == frame.serviceDataUnitType)
            #expect(Array(record[6..<8]) == [UInt8(frame.data.count & 0xFF), UInt8(frame.data.count >> 8)])
            let af = frame.acceptanceField
            #expect(Array(record[8..<12]) == [UInt8(af & 0xFF), UInt8(af >> 8 & 0xFF), UInt8(af >> 16 & 0xFF), UInt8(af >> 24)])
            #expect(Array(record[12...]) == frame.data)
        }
        // tshark 4.0 (Debian 12) has no CAN XL dissector (`tshark -G protocols` lists can and canfd only; CAN XL
        // came with Wireshark 4.2): it reads each XL record as a classic CAN frame with a standard id. What it
        // shows: can.id is the priority (the low 11 bits of the big-endian prio word; the VCID above them is shown
        // nowhere), can.len the XL flags byte, can.reserved the SDT and the little-endian length, and data.data
        // the little-endian AF and then the payload, cut short (or empty) as its classic-frame length rules go.
        let protocols = try Subprocess.run(["tshark", "-G", "protocols"], timeout: CandumpComparisonTests.tsharkTimeout)
        #expect(!protocols.stdout.contains("\tcanxl\n"), "this tshark has a CAN XL dissector: compare its fields instead")
        let decoded = try Subprocess.run(["tshark", "-r", ours, "-T", "fields", "-E", "separator=|", "-e", "frame.protocols",
                                          "-e", "can.id", "-e", "can.len", "-e", "can.reserved", "-e", "data.data"],
                                         timeout: CandumpComparisonTests.tsharkTimeout)
        #expect(decoded.status == 0, "tshark: \(decoded.stderr)")
        let rows = decoded.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == onVCAN.count)
        var withData = 0
        for (row, sent) in zip(rows, onVCAN) {
            guard case .xl(let frame) = sent.frame, row.count == 5 else { continue }
            #expect(row[0].hasPrefix("can") && !row[0].contains("canxl") && row[1] == String(frame.priority) && row[2] == String(frame.flags.rawValue),
                    "tshark row \(row.map { $0.prefix(40) })")
            let length = frame.data.count
            #expect(row[3] == [frame.serviceDataUnitType, UInt8(length & 0xFF), UInt8(length >> 8)].hexDump.lowercased())
            let af = frame.acceptanceField
            let bytes = [UInt8(af & 0xFF), UInt8(af >> 8 & 0xFF), UInt8(af >> 16 & 0xFF), UInt8(af >> 24)] + frame.data
            #expect(bytes.hexDump.lowercased().hasPrefix(row[4]), "tshark data \(row[4].prefix(40))")
            if !row[4].isEmpty { withData += 1 }
        }
        #expect(withData >= 4, "tshark showed data for \(withData) XL records")
    }
}
}
