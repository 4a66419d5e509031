#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import Testing

/// libpcap-compiled programs, checked against tcpdump's own compilation of the same expression.
@Suite struct BPFProgramTests {
    /// An empty Ethernet pcap file with the default snap length: tcpdump compiles for its link type with `-r`,
    /// so no interface (and no privilege) is needed.
    static let emptyCapture: String = {
        let path = "/tmp/cantoolkit-bpf-\(getpid()).pcap"
        let writer = try! PcapWriter(path: path, linkType: .ethernet)
        try! writer.close()
        return path
    }()

    /// Runs tcpdump and returns its stdout, or nil when tcpdump is not installed.
    static func tcpdump(_ arguments: [String]) -> (status: CInt, output: String)? {
        guard access("/usr/bin/tcpdump", X_OK) == 0 || access("/usr/sbin/tcpdump", X_OK) == 0 else { return nil }
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        guard let pipe = popen("tcpdump \(quoted) 2>&1", "r") else { return nil }
        var output = ""
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, CInt(line.count), pipe) != nil {
            output += String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let status = pclose(pipe)
        return ((status >> 8) & 0xff, output)
    }

    @Test("udp port 53 compiles to the instructions tcpdump -ddd prints", arguments: [
        "udp port 53", "ether proto 0x88b5", "vlan 5 and ip", "icmp or arp", "tcp[tcpflags] & tcp-syn != 0",
    ])
    func matchesTcpdump(expression: String) throws {
        let program = try BPFProgram(compiling: expression)
        #expect(program.instructions.count > 2)
        let reference = try #require(Self.tcpdump(["-r", Self.emptyCapture, "-ddd", expression]), "tcpdump is not installed")
        #expect(reference.status == 0)
        let lines = reference.output.split(separator: "\n").filter { !$0.hasPrefix("reading from file") }
        #expect(lines.joined(separator: "\n") + "\n" == program.decimalListing)
    }

    @Test func cListingMatchesTcpdumpDD() throws {
        let program = try BPFProgram(compiling: "udp port 53")
        let reference = try #require(Self.tcpdump(["-r", Self.emptyCapture, "-dd", "udp port 53"]))
        let lines = reference.output.split(separator: "\n").filter { !$0.hasPrefix("reading from file") }
        #expect(lines.joined(separator: "\n") + "\n" == program.cListing)
    }

    @Test func unoptimisedDiffers() throws {
        let optimised = try BPFProgram(compiling: "udp port 53")
        let plain = try BPFProgram(compiling: "udp port 53", optimize: false)
        #expect(plain.instructions.count > optimised.instructions.count)
    }

    @Test func snapLengthIsTheAcceptValue() throws {
        let program = try BPFProgram(compiling: "arp", snapLength: 96)
        #expect(program.instructions.contains(.accept(96)))
        #expect(program.instructions.last == .reject)
    }

    @Test func badExpressionGivesLibpcapsMessage() throws {
        let error = try #require(throws: BPFCompileError.self) { try BPFProgram(compiling: "udp port 53 and") }
        #expect(error.expression == "udp port 53 and")
        #expect(error.message.contains("syntax error"))
        // tcpdump prints the same libpcap text after "tcpdump: ".
        if let reference = Self.tcpdump(["-r", Self.emptyCapture, "-d", "udp port 53 and"]) {
            #expect(reference.status != 0)
            #expect(reference.output.contains("tcpdump: \(error.message)\n"))
        }
        let unknown = try #require(throws: BPFCompileError.self) { try BPFProgram(compiling: "port 99999999") }
        #expect(!unknown.message.isEmpty)
    }

    @Test func handWrittenEtherTypeFilter() {
        let program = BPFProgram.etherType(0x88B5)
        #expect(program.decimalListing == "4\n40 0 0 12\n21 0 1 34997\n6 0 0 262144\n6 0 0 0\n")
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
