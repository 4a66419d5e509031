#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import PacketSocket
import SocketBase

/// Every prefix of valid frames and thousands of seeded mutations decode or fail with a typed error, and the
/// formatter prints something for each: never a trap or an out-of-bounds read.
@Suite struct RobustnessTests {
    /// Decodes and formats `frame` every way there is; returns the error, if any.
    @discardableResult
    func exercise(_ frame: [UInt8], formatter: inout PacketSummaryFormatter) -> PacketDecodingError? {
        frame.withBuffer { raw in
            let packet = DecodedPacket(decodingEthernetFrame: raw)
            if let error = packet.error {
                #expect(error.offset >= 0 && error.offset <= raw.count, "\(error)")
                #expect(!error.description.isEmpty)
            }
            #expect(packet.payloadRange.upperBound <= raw.count)
            if case let .tcp(tcp)? = packet.transport {
                var reader = tcp.optionReader(in: raw)
                while (try? reader.next()) != nil {}
            }
            if case let .ipv6(ip)? = packet.network { _ = ip.extensionHeaders(in: raw) }
            if case let .icmpv6(icmp)? = packet.transport { _ = icmp.targetAddress(in: raw, at: packet.transportOffset) }
            let networkStart = min(raw.count, 14)
            _ = DecodedPacket(decodingNetworkPacket: UnsafeRawBufferPointer(rebasing: raw[networkStart...]), etherType: .ipv4)
            _ = DecodedPacket(decodingNetworkPacket: UnsafeRawBufferPointer(rebasing: raw[networkStart...]), etherType: .ipv6)
            var line: [UInt8] = []
            formatter.printsLinkLevelHeader = false
            formatter.appendEthernetFrame(raw, to: &line)
            formatter.printsLinkLevelHeader = true
            formatter.appendEthernetFrame(raw, originalLength: raw.count + 7, to: &line)
            formatter.appendNetworkPacket(UnsafeRawBufferPointer(rebasing: raw[networkStart...]), etherType: .ipv6, to: &line)
            #expect(!line.isEmpty)
            return packet.error
        }
    }

    /// Every frame of the tcpdump comparison (reference frames, DNS, HTTP, IGMP, options…) cut at every length.
    @Test func everyPrefixOfEveryComparisonFrame() {
        var formatter = PacketSummaryFormatter()
        var errors = 0
        for frame in SummaryComparisonTests.cases.map(\.frame) {
            for length in 0...frame.count where exercise(Array(frame[0..<length]), formatter: &formatter) != nil {
                errors += 1
            }
        }
        // Short prefixes must fail (the test would pass vacuously if nothing were checked).
        #expect(errors > 100)
    }

    @Test func seededMutations() {
        var generator = SeededGenerator(seed: 0x5EED)
        var formatter = PacketSummaryFormatter()
        let frames = SummaryComparisonTests.cases.map(\.frame) + [ipv6WithExtensions()]
        var decoded = 0, failed = 0
        for round in 0..<12000 {
            var frame = frames[round % frames.count]
            let mutations = 1 + Int(generator.next() % 6)
            for _ in 0..<mutations {
                let index = Int(generator.next() % UInt64(frame.count))
                switch generator.next() % 4 {
                case 0: frame[index] = UInt8(truncatingIfNeeded: generator.next())
                case 1: frame[index] ^= 1 << UInt8(generator.next() % 8)
                case 2: frame.removeSubrange(index...)
                default: frame.insert(contentsOf: (0..<Int(generator.next() % 9)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: index)
                }
                if frame.isEmpty { frame = [0] }
            }
            if exercise(frame, formatter: &formatter) == nil { decoded += 1 } else { failed += 1 }
        }
        // Both outcomes occur: mutations hit checked fields and harmless ones.
        #expect(decoded > 100 && failed > 100, "decoded \(decoded), failed \(failed)")
    }

    @Test func mutatedPcapFilesFailCleanly() throws {
        let path = temporaryPath("mutate.pcap")
        let writer = try PcapWriter(path: path, linkType: .ethernet)
        for (_, hex) in ReferenceFrames.all { try bytes(hex: hex).withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: 1, nanoseconds: 0), bytes: $0) } }
        try writer.close()
        let file = readBytes(path)
        unlink(path)
        var generator = SeededGenerator(seed: 77)
        var errors = 0
        for round in 0..<2000 {
            var data = file
            if round % 2 == 0 { data.removeSubrange(Int(generator.next() % UInt64(data.count))...) }
            for _ in 0..<Int(generator.next() % 4) {
                data[Int(generator.next() % UInt64(max(1, data.count)))] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let reader = try PcapReader(bytes: data)
                while try reader.next() != nil {}
            } catch let error as PcapReadError {
                #expect(error.offset >= 0 && error.offset <= data.count)
                errors += 1
            }
        }
        #expect(errors > 500)
    }

    func ipv6WithExtensions() -> [UInt8] {
        let s = IPv6Address("fe80::1")!, d = IPv6Address("fe80::2")!
        let udp = PacketBuilder.segment(.udp(UDPHeader(sourcePort: 1, destinationPort: 2)), payload: [1, 2, 3], pseudoHeader: .ipv6(source: s, destination: d))
        var extensions: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0, 44, 0, 1, 4, 0, 0, 0, 0]
        IPv6FragmentHeader(offset: 0, moreFragments: true, identification: 1).append(to: &extensions, nextHeader: .udp)
        var ip = IPv6Header(source: s, destination: d, nextHeader: .hopByHopOptions)
        var frame: [UInt8] = []
        EthernetHeader(destination: .broadcast, source: .zero, etherType: .ipv6).append(to: &frame)
        ip.append(to: &frame, payloadLength: extensions.count + udp.count)
        return frame + extensions + udp
    }
}
