#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import PcapFile
import SocketBase

/// The pcap file target alone (no PacketSocket, no libpcap): records as values, timestamps at both precisions.
@Suite struct PcapWriterTests {
    static func temporaryPath(_ name: String) -> String {
        "/tmp/pcapfile-tests-\(getpid())-\(name)"
    }

    static let records = [
        PcapRecord(timestamp: KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789), bytes: [1, 2, 3]),
        PcapRecord(timestamp: KernelTimestamp(seconds: 1_700_000_001, nanoseconds: 999_999_999), bytes: Array(0..<200),
                   originalLength: 1500),
        PcapRecord(timestamp: KernelTimestamp(seconds: 4_000_000_000, nanoseconds: 1_000), bytes: []),
    ]

    /// A record value written and read back is the same value, its timestamp cut to the file's precision.
    @Test(arguments: [PcapPrecision.microseconds, .nanoseconds])
    func recordsRoundTrip(precision: PcapPrecision) throws {
        let path = Self.temporaryPath("roundtrip-\(precision).pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .canSocketCAN, precision: precision)
        for record in Self.records { try writer.write(record) }
        #expect(writer.recordCount == Self.records.count)
        try writer.close()
        let reader = try PcapReader(path: path)
        #expect(reader.precision == precision && reader.linkType == .canSocketCAN)
        var offset = 24
        for record in Self.records {
            let read = try #require(try reader.next())
            let digits = precision == .microseconds ? 6 : 9
            let expected = precision == .microseconds
                ? KernelTimestamp(seconds: record.timestamp.seconds, microseconds: record.timestamp.fraction(digits: digits))
                : record.timestamp
            #expect(read == PcapRecord(timestamp: expected, bytes: record.bytes, originalLength: record.originalLength,
                                       fileOffset: offset))
            offset += 16 + record.bytes.count
        }
        #expect(try reader.next() == nil)
    }

    /// The record header's fraction field per precision, and back.
    @Test func precisionConversions() {
        let time = KernelTimestamp(seconds: 7, nanoseconds: 654_321_987)
        #expect(PcapPrecision.microseconds.fraction(of: time) == 654_321)
        #expect(PcapPrecision.nanoseconds.fraction(of: time) == 654_321_987)
        #expect(PcapPrecision.nanoseconds.timestamp(seconds: 7, fraction: 654_321_987) == time)
        #expect(PcapPrecision.microseconds.timestamp(seconds: 7, fraction: 654_321) == KernelTimestamp(seconds: 7, nanoseconds: 654_321_000))
        // A fraction of a whole second or more (not libpcap's, but possible in a file) carries into the seconds.
        #expect(PcapPrecision.microseconds.timestamp(seconds: 7, fraction: 1_000_001) == KernelTimestamp(seconds: 8, microseconds: 1))
        #expect(PcapPrecision.microseconds.magic == 0xA1B2_C3D4 && PcapPrecision.nanoseconds.magic == 0xA1B2_3C4D)
    }

    /// The file header bytes, as libpcap writes them.
    @Test func fileHeader() throws {
        let path = Self.temporaryPath("header.pcap")
        defer { unlink(path) }
        try PcapWriter(path: path, linkType: .ethernet, snapLength: 1234, precision: .nanoseconds).close()
        let reader = try PcapReader(path: path)
        #expect(reader.versionMajor == 2 && reader.versionMinor == 4 && reader.snapLength == 1234)
        #expect(reader.linkType == .ethernet && reader.precision == .nanoseconds && !reader.isByteSwapped)
        #expect(try reader.next() == nil)
    }

    /// Open failures are SystemCallErrors naming the call and the path; a bad header is a PcapReadError.
    @Test func openErrorsNameThePath() throws {
        let missing = "/nonexistent-\(getpid())/x.pcap"
        #expect(throws: SystemCallError("open", target: missing, errno: .noSuchFileOrDirectory)) {
            try PcapWriter(path: missing, linkType: .ethernet)
        }
        #expect(throws: SystemCallError("open", target: missing, errno: .noSuchFileOrDirectory)) {
            try PcapReader(path: missing)
        }
        let notPcap = Self.temporaryPath("not.pcap")
        defer { unlink(notPcap) }
        let writer = try PcapWriter(path: notPcap, linkType: .ethernet)
        try writer.close()
        truncate(notPcap, 10)
        #expect(throws: PcapReadError(path: notPcap, offset: 0, reason: .truncatedFileHeader(available: 10))) {
            try PcapReader(path: notPcap)
        }
    }
}
