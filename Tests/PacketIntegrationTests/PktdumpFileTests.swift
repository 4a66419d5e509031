#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// pktdump-swift's files (issue 13): `-r` of tshark's pcapng, `--pcapng` read by tshark, capinfos and tcpdump,
/// and `-C`/`-G`/`-W` rotation compared with tcpdump capturing the same veth traffic at the same time.
@Suite("pktdump-swift files on veth", .needsRoot)
struct PktdumpFileTests {
    static let binary = PktdumpTests.binary
    static let filter = ["ether", "proto", "0x88b5", "or", "vlan"]

    /// A fresh directory under /tmp, removed by the caller.
    static func directory(_ name: String) throws -> String {
        let path = PktdumpTests.temporary(name)
        try VethPair.run(["mkdir", "-p", path])
        return path
    }

    static func remove(_ path: String) { _ = try? Subprocess.run(["rm", "-rf", path]) }

    /// The files of `directory`, sorted.
    static func files(_ directory: String) throws -> [String] {
        try Subprocess.run(["ls", "-1", directory]).stdout.split(separator: "\n").map(String.init).sorted()
    }

    /// Sends `frames` from `socket`, pausing now and then so that no capture buffer overflows.
    static func send(_ frames: [[UInt8]], on socket: LinkLayerSocket) throws {
        for (i, frame) in frames.enumerated() {
            try socket.send(frame)
            if i % 100 == 99 { pause(.milliseconds(5)) }
        }
    }

    /// Waits until tcpdump's `-U` files in `directory` (or the file `path`) hold `count` records.
    static func waitForRecords(_ count: Int, in paths: () throws -> [String]) rethrows {
        for _ in 0..<300 {
            if try paths().compactMap({ PcapRecords(path: $0)?.records.count }).reduce(0, +) >= count { break }
            pause(.milliseconds(20))
        }
        pause(.milliseconds(200))
    }

    /// Whether the child has not exited yet (not a zombie in /proc), without reaping it.
    static func running(_ process: Subprocess) -> Bool {
        let stat = Subprocess.read("/proc/\(process.pid)/stat")
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    /// `seconds.uuuuuu` of a record, as tcpdump -tt prints it (a nanosecond file's fraction cut to µs).
    static func epoch(_ record: (seconds: UInt32, fraction: UInt32, originalLength: UInt32, bytes: [UInt8]), nano: Bool = false) -> String {
        let fraction = String(nano ? record.fraction / 1000 : record.fraction)
        return "\(record.seconds)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    @Test func pcapngWithTsharkCapinfosAndTcpdump() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let dir = try Self.directory("ng")
        defer { Self.remove(dir) }
        let tsharkFile = "\(dir)/tshark.pcapng", ours = "\(dir)/ours.pcapng", reference = "\(dir)/tcpdump.pcap"
        let tshark = try Subprocess(["tshark", "-i", veth.outside, "-w", tsharkFile, "-f", Self.filter.joined(separator: " ")])
        #expect(eventually(timeout: .seconds(20)) { tshark.stderr.contains("Capturing on") }, "tshark: \(tshark.stderr)")
        let tcpdump = try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-n", "-U", "-w", reference] + Self.filter)
        let dump = try PktdumpTests.start([Self.binary, "-i", veth.outside, "--pcapng", "-w", ours] + Self.filter)
        pause(.milliseconds(200))
        // Inbound frames from the namespace, outbound ones sent on the outside end itself.
        let inbound = (0..<100).map { i in
            let frame = TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i), length: 60 + (i * 37) % 1400)
            return i % 5 == 4 ? TestFrames.tagged(frame, tci: UInt16(100 + i % 7)) : frame
        }
        let outbound = (0..<20).map { i in
            TestFrames.frame(from: veth.outsideMAC, to: veth.insideMAC, tag: 2, sequence: UInt32(i), length: 80 + i)
        }
        try Self.send(inbound, on: veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) })
        try Self.send(outbound, on: LinkLayerSocket(interface: veth.outside))
        Self.waitForRecords(120) { [reference] }
        for process in [tshark, tcpdump, dump] { process.signal(SIGINT) }
        for process in [tshark, tcpdump, dump] { #expect(process.wait() == 0) }

        let records = try #require(PcapRecords(path: reference)).records
        #expect(records.count == 120, "tcpdump's reference capture")
        let outboundSource = HardwareAddress(veth.outsideMAC)!.bytes

        // -r of tshark's pcapng: the lines and the header line tcpdump -r prints for the same file.
        for link in ["-n", "-e"] {
            let mine = try Subprocess.run(["env", "TZ=UTC", Self.binary, "-r", tsharkFile, link])
            let theirs = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-r", tsharkFile, "-n", link])
            #expect(mine.status == 0 && theirs.status == 0)
            // Whole output: the packet lines and, for the unknown EtherType of the test frames, tcpdump's hex dump.
            let myLines = mine.stdout.split(separator: "\n"), theirLines = theirs.stdout.split(separator: "\n")
            #expect(myLines.filter { !$0.hasPrefix("\t") }.count == 120)
            #expect(myLines == theirLines, "first difference: \(zip(myLines, theirLines).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "count")")
            #expect(mine.stderr.split(separator: "\n").first == theirs.stderr.split(separator: "\n").first { $0.hasPrefix("reading from") })
        }
        // ... and its records, copied to pcap, are tcpdump's: same bytes and microsecond timestamps.
        let copyPath = "\(dir)/copy.pcap"
        #expect(try Subprocess.run([Self.binary, "-r", tsharkFile, "-w", copyPath]).status == 0)
        let copy = try #require(PcapRecords(path: copyPath))
        #expect(copy.records.map(\.bytes) == records.map(\.bytes))
        let copiedTimes = copy.records.map { Self.epoch($0, nano: copy.nanosecond) }
        #expect(copiedTimes == records.map { Self.epoch($0) }, "tshark's timestamps read other than tcpdump's")

        // editcap's pcapng of tcpdump's file: read as tcpdump reads it.
        let converted = "\(dir)/editcap.pcapng"
        #expect(try Subprocess.run(["editcap", "-F", "pcapng", reference, converted]).status == 0)
        let mine = try Subprocess.run(["env", "TZ=UTC", Self.binary, "-r", converted, "-e"])
        let theirs = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-r", converted, "-n", "-e"])
        #expect(mine.stdout.split(separator: "\n") == theirs.stdout.split(separator: "\n"))

        // --pcapng read by tcpdump: the same bytes and timestamps as tcpdump's own capture.
        let dumped = try Subprocess.run(["tcpdump", "-r", ours, "-n", "-tt", "-xx"])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        #expect(PktdumpTests.hexDumpPackets(dumped.stdout) == records.map(\.bytes), "tcpdump -r reads other bytes")
        let stamps = dumped.stdout.split(separator: "\n").filter { !$0.hasPrefix("\t") }.map { String($0.prefix { $0 != " " }) }
        #expect(stamps == records.map { Self.epoch($0) }, "tcpdump -r reads other timestamps")
        // ... by tshark: lengths, timestamps, the interface's name, and the direction of each packet.
        let fields = try Subprocess.run(["tshark", "-r", ours, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len",
                                         "-e", "frame.cap_len", "-e", "frame.interface_name", "-e", "frame.packet_flags_direction"])
        #expect(fields.status == 0, "\(fields.stderr)")
        let expected = records.map { record in
            let direction = Array(record.bytes[6..<12]) == outboundSource ? "0x00000002" : "0x00000001"
            return "\(Self.epoch(record))000\t\(record.bytes.count)\t\(record.bytes.count)\t\(veth.outside)\t\(direction)"
        }
        let lines = fields.stdout.split(separator: "\n").map(String.init)
        #expect(lines == expected, "first difference: \(zip(lines, expected).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "count \(lines.count)")")
        #expect(expected.filter { $0.hasSuffix("\t0x00000002") }.count == 20)
        // -r of that file with --pcapng -w keeps the interface and each packet's flags.
        let again = "\(dir)/again.pcapng"
        #expect(try Subprocess.run([Self.binary, "-r", ours, "--pcapng", "-w", again]).status == 0)
        let againFields = try Subprocess.run(["tshark", "-r", again, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len",
                                              "-e", "frame.cap_len", "-e", "frame.interface_name", "-e", "frame.packet_flags_direction"])
        #expect(againFields.stdout.split(separator: "\n").map(String.init) == expected)
        // ... by capinfos: a pcapng file of 120 packets on one named Ethernet interface.
        let info = try Subprocess.run(["capinfos", ours])
        #expect(info.status == 0)
        for line in ["File type:           Wireshark/... - pcapng", "Number of packets:   120", "Number of interfaces in file: 1",
                     "Name = \(veth.outside)", "Encapsulation = Ethernet (1 - ether)"] {
            #expect(info.stdout.contains(line), "capinfos lacks '\(line)':\n\(info.stdout)")
        }
    }

    @Test func sizeRotationAsTcpdump() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let root = try Self.directory("rotate")
        defer { Self.remove(root) }
        // tcpdump and pktdump-swift with -C 1, and with -C 1 -W 3 (names wrap), and --pcapng -C 1.
        let setups: [(name: String, options: [String])] = [("plain", ["-C", "1"]), ("wrap", ["-C", "1", "-W", "3"])]
        var processes: [Subprocess] = []
        for setup in setups {
            for tool in ["tcpdump", "ours"] {
                let dir = "\(root)/\(tool)-\(setup.name)"
                try VethPair.run(["mkdir", dir])
                let argv = tool == "tcpdump" ? ["tcpdump", "-n", "-U", "-Z", "root"] : [Self.binary]
                processes.append(try PktdumpTests.start(argv + ["-i", veth.outside, "-w", "\(dir)/t"] + setup.options + Self.filter))
            }
        }
        try VethPair.run(["mkdir", "\(root)/ng"])
        processes.append(try PktdumpTests.start([Self.binary, "-i", veth.outside, "--pcapng", "-C", "1", "-w", "\(root)/ng/t.pcapng"] + Self.filter))
        // About 3.7 MB in pcap: four files of -C 1.
        let frames = (0..<2600).map { i in
            TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(i), length: 1400)
        }
        try Self.send(frames, on: veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) })
        let plain = "\(root)/tcpdump-plain"
        try Self.waitForRecords(frames.count) { try Self.files(plain).map { "\(plain)/\($0)" } }
        for process in processes { process.signal(SIGINT) }
        for process in processes { #expect(process.wait() == 0) }
        for process in processes { #expect(process.stderr.contains("2600 packets captured"), "\(process.stderr)") }

        #expect(try Self.files(plain) == ["t", "t1", "t2", "t3"])
        #expect(try Self.files("\(root)/tcpdump-wrap") == ["t0", "t1", "t2"])
        for setup in setups {
            let theirs = "\(root)/tcpdump-\(setup.name)", mine = "\(root)/ours-\(setup.name)"
            let names = try Self.files(theirs)
            #expect(try Self.files(mine) == names, "\(setup.name): other file names than tcpdump's")
            for name in names {
                let reference = try #require(PcapRecords(path: "\(theirs)/\(name)"), "tcpdump's \(name)").records
                let file = try #require(PcapRecords(path: "\(mine)/\(name)"), "\(setup.name) \(name) is incomplete").records
                #expect(file.count == reference.count, "\(setup.name) \(name): \(file.count) records, tcpdump's \(reference.count)")
                #expect(file.map(\.bytes) == reference.map(\.bytes), "\(setup.name) \(name): other packets than tcpdump's")
            }
        }
        // The pcapng files: each complete, each but the last over 1,000,000 bytes only by its last packet.
        let ngNames = try Self.files("\(root)/ng")
        #expect(ngNames.first == "t.pcapng" && ngNames.count >= 4)
        var total = 0
        for (i, name) in ["t.pcapng", "t.pcapng1", "t.pcapng2", "t.pcapng3"].enumerated() where ngNames.contains(name) {
            let path = "\(root)/ng/\(name)"
            let records = try CaptureFileReader(path: path).readAll()
            total += records.count
            let size = PackageFiles.bytes(path)?.count ?? 0
            if i < ngNames.count - 1 {
                let last = 32 + (records.last?.bytes.count ?? 0) + 12 // EPB with its flags option
                #expect(size > 1_000_000 && size - last <= 1_000_000, "\(name): \(size) bytes")
            }
        }
        #expect(ngNames.count == 4 && total == frames.count)
    }

    @Test func timeRotationWithFileLimitAsTcpdump() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let root = try Self.directory("seconds")
        defer { Self.remove(root) }
        try VethPair.run(["mkdir", "\(root)/tcpdump", "\(root)/ours"])
        let options = ["-G", "1", "-W", "2"]
        // The sender first: each tool's first file starts when it does, so the frames must follow at once.
        let send = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        let tcpdump = try PktdumpTests.start(["env", "TZ=UTC", "tcpdump", "-n", "-Z", "root", "-i", veth.outside, "-w", "\(root)/tcpdump/%s.pcap"] + options + Self.filter)
        let ours = try PktdumpTests.start(["env", "TZ=UTC", Self.binary, "-i", veth.outside, "-w", "\(root)/ours/%s.pcap"] + options + Self.filter)
        // A frame every 50 ms until both have written two files and exited (at most 6 s).
        var sent = 0
        while sent < 120 && (Self.running(tcpdump) || Self.running(ours)) {
            try send.send(TestFrames.frame(from: veth.insideMAC, to: veth.outsideMAC, sequence: UInt32(sent)))
            sent += 1
            pause(.milliseconds(50))
        }
        #expect(tcpdump.wait(timeout: .seconds(5)) == 0 && ours.wait(timeout: .seconds(5)) == 0)
        for process in [tcpdump, ours] {
            #expect(process.stderr.contains("Maximum file limit reached: 2\n"), "\(process.stderr)")
        }
        let theirNames = try Self.files("\(root)/tcpdump"), myNames = try Self.files("\(root)/ours")
        #expect(theirNames.count == 2 && myNames.count == 2, "\(theirNames) \(myNames)")
        let theirTimes = theirNames.compactMap { Int64($0.dropLast(5)) }, myTimes = myNames.compactMap { Int64($0.dropLast(5)) }
        #expect(myTimes.count == 2 && myTimes[1] - myTimes[0] >= 1, "names are the strftime %s of each file's start: \(myNames)")
        #expect(zip(theirTimes, myTimes).allSatisfy { abs($0 - $1) <= 1 }, "\(theirNames) vs \(myNames)")
        // Both files complete; the packet that found the limit counted but not written, as tcpdump does. (The
        // first file may be empty, for tcpdump too: -G counts whole seconds from the start, so a first packet just
        // past a second boundary already starts the next file.)
        let written = try myNames.map { try CaptureFileReader(path: "\(root)/ours/\($0)").readAll().count }
        #expect(written.last.map { $0 > 0 } == true, "\(written)")
        #expect(ours.stderr.contains("\(written.reduce(0, +) + 1) packets captured\n"), "\(ours.stderr), files \(written)")
        let theirWritten = theirNames.compactMap { PcapRecords(path: "\(root)/tcpdump/\($0)")?.records.count }
        #expect(tcpdump.stderr.contains("\(theirWritten.reduce(0, +) + 1) packets captured\n"), "\(tcpdump.stderr), files \(theirWritten)")
    }
}

/// `-C`, `-G`, `-W` values tcpdump refuses, refused with its words and exit 1 (checked before any capture: no root).
@Suite("pktdump-swift rotation options")
struct PktdumpRotationOptionTests {
    @Test(arguments: [["-C", "0"], ["-C", "0.5"], ["-C", "-3"], ["-C", "12abc"], ["-C", "9223372036855"],
                      ["-C", "99999999999999999999"], ["-G", "-1"], ["-W", "0"], ["-W", "x"], ["-W", "-2"]])
    func sameRefusalAsTcpdump(_ option: [String]) throws {
        let tcpdump = try Subprocess.run(["tcpdump", "-i", "lo", "-w", "/dev/null"] + option)
        let ours = try Subprocess.run([PacketEnvironment.product("pktdump-swift"), "-i", "lo", "-w", "/dev/null"] + option)
        let message = tcpdump.stderr.split(separator: "\n").first.map { String($0.dropFirst("tcpdump: ".count)) } ?? "?"
        #expect(tcpdump.status == 1 && (message.contains("invalid") || message.contains("too large")), "tcpdump \(option): \(tcpdump.stderr)")
        #expect(ours.status == 1, "pktdump-swift \(option) exited \(ours.status): \(ours.stderr)")
        #expect(ours.stderr == "pktdump-swift: \(message)\n")
    }

    @Test func acceptedValuesAsTcpdump() throws {
        // atoi's readings tcpdump takes: -G abc is 0 (no rotation), -W 3x is 3; the run then fails only on the file.
        let ours = try Subprocess.run([PacketEnvironment.product("pktdump-swift"), "-r", "/nonexistent.pcap", "-w", "/dev/null",
                                       "-G", "abc", "-W", "3x", "-C", " 5"])
        #expect(ours.status == 1 && !ours.stderr.contains("invalid"), "\(ours.stderr)")
        #expect(ours.stderr.contains("/nonexistent.pcap"), "\(ours.stderr)")
    }
}
