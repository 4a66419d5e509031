#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import PacketSocket

@Suite struct AddressAndChecksumTests {
    @Test func macAddressText() {
        let mac = MACAddress("AA:bb:0c:dd:ee:0F")
        #expect(mac?.description == "aa:bb:0c:dd:ee:0f")
        #expect(MACAddress("aa-bb-cc-dd-ee-ff") == MACAddress(0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF))
        for bad in ["", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb:cc:dd:ee:fg", "aaa:bb:cc:dd:ee:ff", "aa::cc:dd:ee:ff"] {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
        #expect(MACAddress.broadcast.isMulticast && !(MACAddress("02:00:00:00:00:01")!.isMulticast))
    }

    @Test func ipv4Text() {
        #expect(IPv4Address("192.168.1.254")?.rawValue == 0xC0A8_01FE)
        #expect(IPv4Address(10, 0, 0, 1).description == "10.0.0.1")
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.x", "1..2.3", " 1.2.3.4"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    /// IPv6 text both ways against glibc's inet_pton/inet_ntop, on fixed and random addresses with zero runs.
    @Test func ipv6TextMatchesGlibc() {
        var generator = SeededGenerator(seed: 6)
        var samples = ["::", "::1", "fe80::1", "2001:db8::2:1", "2001:db8:0:1:1:1:1:1", "2001:0:0:1::1", "::ffff:10.0.0.1",
                       "::10.0.0.1", "1::", "1:0:0:2:0:0:0:3", "ff02::1:ff00:2", "64:ff9b::192.0.2.33", "::ffff:0:1.2.3.4"]
        for _ in 0..<2000 {
            // Groups that are often zero make runs of every length and position.
            let groups = (0..<8).map { _ in generator.next() % 3 == 0 ? "\(String(generator.next() % 0x10000, radix: 16))" : "0" }
            samples.append(groups.joined(separator: ":"))
        }
        for text in samples {
            var raw = in6_addr()
            #expect(inet_pton(AF_INET6, text, &raw) == 1, "\(text)")
            let bytes = withUnsafeBytes(of: raw) { Array($0) }
            var expected = [CChar](repeating: 0, count: 64)
            inet_ntop(AF_INET6, &raw, &expected, 64)
            let glibc = String(decoding: expected.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard let parsed = IPv6Address(text) else { Issue.record("did not parse \(text)"); continue }
            var ours: [UInt8] = []
            parsed.append(to: &ours)
            #expect(ours == bytes, "\(text)")
            #expect(parsed.description == glibc, "\(text)")
        }
        for bad in ["", ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7", "::1.2.3"] {
            #expect(IPv6Address(bad) == nil, "\(bad)")
        }
    }

    /// RFC 1071 section 3's example, and the incremental sum against a naive 32-bit reference on random data.
    @Test func internetChecksum() {
        let example: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
        // RFC 1071: the one's complement sum is 0xDDF2, so the checksum is its complement 0x220D.
        #expect(example.withBuffer { InternetChecksum.of($0) } == 0x220D)
        var generator = SeededGenerator(seed: 1071)
        for length in 0..<300 {
            let data = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var reference: UInt32 = 0
            var index = 0
            while index < data.count {
                let high = UInt32(data[index]) << 8
                let low = index + 1 < data.count ? UInt32(data[index + 1]) : 0
                reference += high | low
                reference = (reference & 0xFFFF) + (reference >> 16)
                index += 2
            }
            let expected = ~UInt16(reference & 0xFFFF)
            // Fed whole and in odd-sized pieces.
            #expect(data.withBuffer { InternetChecksum.of($0) } == expected)
            var pieces = InternetChecksum()
            var start = 0
            while start < data.count {
                let end = min(data.count, start + Int(generator.next() % 7) + 1)
                pieces.add(Array(data[start..<end]))
                start = end
            }
            #expect(pieces.value == expected)
        }
    }

    @Test func typedConstantsNameWhatTCPDumpPrints() {
        #expect(EtherType.ipv4.description == "IPv4 (0x0800)")
        #expect(EtherType(0x1234).description == "Unknown (0x1234)")
        #expect(IPProtocolNumber.udp.description == "UDP (17)")
    }
}
