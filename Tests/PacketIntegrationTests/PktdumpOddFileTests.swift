#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport

/// `-r` on files tcpdump treats specially (issue 13): a link type libpcap does not know, and records whose lengths
/// are impossible (no captured bytes, no length, fewer bytes on the wire than captured). Both tools read the same
/// file; no root needed.
@Suite("pktdump-swift -r odd files")
struct PktdumpOddFileTests {
    static let binary = PacketEnvironment.product("pktdump-swift")

    /// A microsecond little-endian pcap file of `linkType` with records of (captured bytes, original length).
    static func file(linkType: UInt32, records: [(bytes: [UInt8], originalLength: UInt32)]) throws -> String {
        func le(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        var data = le(0xA1B2_C3D4) + [2, 0, 4, 0] + le(0) + le(0) + le(262_144) + le(linkType)
        for (i, record) in records.enumerated() {
            data += le(UInt32(i + 1)) + le(0) + le(UInt32(record.bytes.count)) + le(record.originalLength) + record.bytes
        }
        let path = "/tmp/ctk-pktodd-\(getpid())-\(PacketEnvironment.next()).pcap"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw EnvironmentError(description: "open \(path): errno \(errno)") }
        defer { close(fd) }
        guard data.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == data.count else {
            throw EnvironmentError(description: "write \(path): errno \(errno)")
        }
        return path
    }

    /// Runs both on `path` with `arguments`; the same exit status, stdout and stderr (after the tool's name).
    static func compare(_ path: String, _ arguments: [String] = []) throws -> (status: CInt, stdout: String) {
        let tcpdump = try Subprocess.run(["env", "TZ=UTC", "tcpdump", "-n", "-r", path] + arguments)
        let ours = try Subprocess.run(["env", "TZ=UTC", binary, "-n", "-r", path] + arguments)
        #expect(ours.status == tcpdump.status, "\(ours.stderr)")
        #expect(ours.stdout == tcpdump.stdout)
        #expect(ours.stderr.replacingOccurrences("pktdump-swift: ", "tcpdump: ") == tcpdump.stderr)
        return (tcpdump.status, tcpdump.stdout)
    }

    @Test func unknownLinkTypeEndsTheRunAsTcpdump() throws {
        let path = try Self.file(linkType: 9999, records: [(Array(repeating: 0xAB, count: 60), 60)])
        defer { unlink(path) }
        for arguments in [[], ["udp"]] {
            let tcpdump = try Self.compare(path, arguments)
            #expect(tcpdump.status == 1)
        }
    }

    @Test func impossibleRecordLengthsPrintTcpdumpsInvalidHeaderLine() throws {
        let frame: [UInt8] = Array(repeating: 0xFF, count: 12) + [0x88, 0xB5] + Array(repeating: 7, count: 46)
        let path = try Self.file(linkType: 1, records: [([], 60), ([], 0), (frame, 0), (frame, 30)])
        defer { unlink(path) }
        let tcpdump = try Self.compare(path)
        #expect(tcpdump.status == 0)
        #expect(tcpdump.stdout == "[Invalid header: caplen==0]\n[Invalid header: caplen==0, len==0]\n[Invalid header: len==0]\n"
                + "[Invalid header: len(30) < caplen(60)]\n", "\(tcpdump.stdout)")
    }
}

private extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
