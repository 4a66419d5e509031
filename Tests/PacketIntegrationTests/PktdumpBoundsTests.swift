import Testing
import ToolkitTestSupport

/// Numeric options past their bounds (issue 14): pktdump-swift refuses them with tcpdump's own words and a
/// non-zero exit, where it used to trap (`-s 99999999999` aborted converting the snap length to 32 bits; a huge
/// `-B` overflowed multiplying KiB into bytes). tcpdump checks these before opening anything, so no root is needed.
/// Issue 13: the same exit status as tcpdump (1), the same text after the tool's name, and values the argument
/// parser used to take for options (`-c -1`) or refuse in its own words (`-s abc`) read as tcpdump reads them.
@Suite("pktdump-swift numeric bounds")
struct PktdumpBoundsTests {
    @Test(arguments: [["-s", "99999999999"], ["-s", "262145"], ["-s", "-1"], ["-s", "abc"], ["-s", "1x"], ["-s", ""],
                      ["-c", "0"], ["-c", "-1"], ["-c", "abc"], ["-B", "0"], ["-B", "-5"], ["-B", "abc"],
                      ["-B", "99999999999"], ["-Q", "sideways"]])
    func sameRefusalAsTcpdump(_ option: [String]) throws {
        let tcpdump = try Subprocess.run(["tcpdump", "-i", "lo"] + option)
        let ours = try Subprocess.run([PacketEnvironment.product("pktdump-swift"), "-i", "lo"] + option)
        let message = tcpdump.stderr.split(separator: "\n").first.map { String($0.dropFirst("tcpdump: ".count)) } ?? "?"
        #expect(tcpdump.status == 1 && (message.hasPrefix("invalid") || message.hasPrefix("unknown")), "tcpdump \(option): \(tcpdump.stderr)")
        #expect(ours.status == tcpdump.status, "pktdump-swift \(option) exited \(ours.status) (128 + n is a signal): \(ours.stderr)")
        #expect(ours.stderr == "pktdump-swift: \(message)\n", "pktdump-swift \(option): \(ours.stderr)")
    }

    /// Other usage errors: tcpdump prints getopt's complaint with its usage and exits 1; pktdump-swift names the
    /// problem in the argument parser's words, shows its usage, and exits 1 too (it was the parser's 64).
    @Test(arguments: [["--bogus"], ["-Z"], ["-c"], ["-D", "--nonsense"]])
    func usageErrorsExitAsTcpdump(_ arguments: [String]) throws {
        let tcpdump = try Subprocess.run(["tcpdump", "-i", "lo"] + arguments)
        let ours = try Subprocess.run([PacketEnvironment.product("pktdump-swift"), "-i", "lo"] + arguments)
        #expect(tcpdump.status == 1 && tcpdump.stderr.contains("Usage: tcpdump"), "tcpdump \(arguments): \(tcpdump.stderr)")
        #expect(ours.status == tcpdump.status, "pktdump-swift \(arguments) exited \(ours.status): \(ours.stderr)")
        #expect(ours.stderr.hasPrefix("pktdump-swift: Error: ") && ours.stderr.contains("Usage: pktdump-swift"), "\(ours.stderr)")
        #expect(ours.stdout.isEmpty)
    }

    @Test func bufferSizeThatOverflowedBytes() throws {
        // tcpdump takes this -B (its atoi wraps it) and starts capturing: no reference message, but no trap here.
        let ours = try Subprocess.run([PacketEnvironment.product("pktdump-swift"), "-i", "lo", "-B", "9007199254740993"])
        #expect(ours.status == 1, "\(ours.stderr)")
        #expect(ours.stderr == "pktdump-swift: invalid packet buffer size 9007199254740993\n", "\(ours.stderr)")
    }

    @Test func largestValuesAreAccepted() throws {
        // At the bounds the options pass validation: the run then fails only for want of a readable file.
        let ours = try Subprocess.run([PacketEnvironment.product("pktdump-swift"), "-s", "262144", "-B", "2147483647",
                                       "-c", "9223372036854775807", "-r", "/nonexistent.pcap"])
        #expect(ours.status == 1, "\(ours.stderr)")
        #expect(!ours.stderr.contains("invalid"), "\(ours.stderr)")
    }
}
