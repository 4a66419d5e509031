#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import SocketBase
import Testing
import ToolkitTestSupport

/// pktdump-swift's output options (`-q`, `-v`, `-x`/`-xx`/`-X`/`-XX`/`-A`, `-t` to `-ttttt`) against tcpdump 4.99.3:
/// the same pcap read by both with each flag set, stdout and stderr compared byte for byte, in a time zone with
/// daylight saving time; and one live capture on a veth pair printed by pktdump-swift while tcpdump writes the
/// same traffic to a file, which tcpdump then prints with the same flags.
@Suite("pktdump-swift output options")
struct PktdumpOutputTests {
    static let binary = PacketEnvironment.product("pktdump-swift")
    static let zone = "TZ=America/New_York"

    static let a = MACAddress("02:c7:00:00:aa:01")!, b = MACAddress("02:c7:00:00:aa:02")!

    /// A small mix: UDP with text, TCP with options, ICMP echo and an ICMP error, IPv6 UDP and neighbor
    /// solicitation, ARP, a VLAN tag, an unknown EtherType, a frame cut by the snap length.
    static var frames: [(bytes: [UInt8], originalLength: Int?)] {
        let ip1 = IPv4Address("192.0.2.1")!, ip2 = IPv4Address("192.0.2.2")!
        let s6 = IPv6Address("2001:db8::1")!, d6 = IPv6Address("2001:db8::2")!
        func v4(_ transport: PacketBuilder.Transport, _ payload: [UInt8], protocol number: IPProtocolNumber, tags: [VLANTag] = []) -> [UInt8] {
            PacketBuilder.ethernetFrame(destination: b, source: a, vlanTags: tags,
                                        network: .ipv4(IPv4Header(source: ip1, destination: ip2, protocol: number, identification: 77)),
                                        transport: transport, payload: payload)
        }
        let udp = v4(.udp(UDPHeader(sourcePort: 40000, destinationPort: 9999)), Array("GET / HTTP/1.0\r\nHost: a\r\n\r\n\u{1}\u{FF}".utf8), protocol: .udp)
        let tcp = v4(.tcp(TCPHeader(sourcePort: 40001, destinationPort: 7000, sequenceNumber: 5, flags: .syn, window: 64240),
                          options: [.maximumSegmentSize(1460), .noOperation, .windowScale(7)]), [], protocol: .tcp)
        let echo = v4(.icmpv4(ICMPv4Header(type: .echoRequest, restOfHeader: 0x0007_0001)), [UInt8](0..<56), protocol: .icmp)
        let unreachable = v4(.icmpv4(ICMPv4Header(type: .destinationUnreachable, code: 3)), Array(udp[14..<(14 + 28)]), protocol: .icmp)
        let udp6 = PacketBuilder.ethernetFrame(destination: b, source: a, network: .ipv6(IPv6Header(source: s6, destination: d6, nextHeader: .udp, flowLabel: 0xBEEF)),
                                               transport: .udp(UDPHeader(sourcePort: 5353, destinationPort: 6000)), payload: Array("v6 text".utf8))
        let solicitation = PacketBuilder.ethernetFrame(destination: b, source: a,
                                                       network: .ipv6(IPv6Header(source: s6, destination: IPv6Address("ff02::1:ff00:2")!, nextHeader: .icmpv6, hopLimit: 255)),
                                                       transport: .icmpv6(ICMPv6Header(type: .neighborSolicitation)),
                                                       payload: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [2, 1, 1] + a.octets)
        let arp = PacketBuilder.ethernetFrame(destination: MACAddress("ff:ff:ff:ff:ff:ff")!, source: a,
                                              network: .arp(ARPPacket(operation: .request, senderHardwareAddress: a, senderProtocolAddress: ip1,
                                                                      targetHardwareAddress: .zero, targetProtocolAddress: ip2)))
        let tagged = v4(.udp(UDPHeader(sourcePort: 40002, destinationPort: 40003)), [1, 2, 3], protocol: .udp,
                        tags: [VLANTag(priority: 3, dropEligible: false, id: 42, etherType: .ipv4)])
        let unknown = TestFrames.frame(from: "02:c7:00:00:aa:01", to: "02:c7:00:00:aa:02", sequence: 9, length: 75)
        let big = v4(.udp(UDPHeader(sourcePort: 40004, destinationPort: 40005)), [UInt8](repeating: 0x41, count: 300), protocol: .udp)
        return [(udp, nil), (tcp, nil), (echo, nil), (unreachable, nil), (udp6, nil), (solicitation, nil), (arp, nil), (tagged, nil),
                (unknown, nil), (Array(big[0..<80]), big.count)]
    }

    /// Seconds and microseconds: sub-second steps, a step back (a negative `-ttt` delta), the end of daylight
    /// saving time in New York (2023-11-05 06:00 UTC), more than a day between two packets.
    static let times: [(Int64, Int)] = [(1_699_163_999, 999_990), (1_699_164_000, 000_120), (1_699_164_001, 500_000), (1_699_164_001, 300_000),
                                        (1_699_167_599, 1), (1_699_167_600, 2), (1_699_171_200, 999_999), (1_699_300_000, 0),
                                        (1_699_300_000, 10), (1_699_300_061, 654_321)]

    static func writePcap() throws -> String {
        let path = "/tmp/ctk-pktdump-output-\(getpid())-\(PacketEnvironment.next()).pcap"
        let writer = try PcapWriter(path: path, linkType: .ethernet, snapLength: 80)
        for (frame, time) in zip(frames, times) {
            try frame.bytes.withUnsafeBytes {
                try writer.write(timestamp: KernelTimestamp(seconds: time.0, microseconds: time.1), bytes: $0, originalLength: frame.originalLength)
            }
        }
        try writer.close()
        return path
    }

    static let flagSets: [[String]] = [
        [], ["-q"], ["-v"], ["-e"], ["-q", "-e"], ["-v", "-e"], ["-x"], ["-xx"], ["-X"], ["-XX"], ["-A"],
        ["-t"], ["-tt"], ["-ttt"], ["-tttt"], ["-ttttt"], ["-v", "-X", "-tttt"], ["-q", "-xx", "-ttt"], ["-A", "-e", "-ttttt"],
    ]

    @Test func readFileMatchesTcpdump() throws {
        let path = try Self.writePcap()
        defer { unlink(path) }
        for flags in Self.flagSets {
            let ours = try Subprocess.run(["env", Self.zone, Self.binary, "-r", path] + flags)
            let theirs = try Subprocess.run(["env", Self.zone, "tcpdump", "-n", "-r", path] + flags)
            #expect(ours.status == 0 && theirs.status == 0, "\(flags)")
            #expect(ours.stdout.split(separator: "\n").count >= Self.frames.count, "\(flags)")
            let same = ours.stdout == theirs.stdout
            #expect(same, "\(flags): first differing line: \(Self.firstDifference(ours.stdout, theirs.stdout))")
            #expect(ours.stderr == theirs.stderr, "\(flags)")
        }
    }

    static func firstDifference(_ ours: String, _ theirs: String) -> String {
        let a = ours.split(separator: "\n", omittingEmptySubsequences: false), b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (x, y)) in zip(a, b).enumerated() where x != y { return "line \(index + 1): \(x.debugDescription) vs \(y.debugDescription)" }
        return a.count == b.count ? "-" : "\(a.count) lines vs \(b.count)"
    }

    @Test func refusesLevelsItDoesNotPrint() throws {
        for (flags, message) in [(["-vv"], "-vv and more are not supported"), (["-qq"], "-qq is not supported"),
                                 (["-tttttt"], "only -t, -tt, -ttt, -tttt and -ttttt are supported")] {
            let result = try Subprocess.run([Self.binary, "-r", "/nonexistent.pcap"] + flags)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(flags): \(result.stderr)")
        }
    }

    /// The live path: pktdump-swift prints what it captures with `-v -XX -tt` while tcpdump writes the same
    /// traffic; tcpdump's own print of its file is the same text.
    @Test(.needsRoot) func liveCaptureMatchesTcpdumpOfTheSameTraffic() throws {
        let veth = try VethPair()
        defer { veth.remove() }
        let path = "/tmp/ctk-pktdump-output-live-\(getpid())-\(PacketEnvironment.next()).pcap"
        defer { unlink(path) }
        let flags = ["-v", "-XX", "-tt"]
        let filter = ["ether", "src", veth.insideMAC]
        let ours = try PktdumpTests.start([Self.binary, "-i", veth.outside, "-c", "\(Self.frames.count)"] + flags + filter)
        let tcpdump = try PktdumpTests.start(["tcpdump", "-i", veth.outside, "-w", path, "-c", "\(Self.frames.count)"] + filter)
        let send = try veth.insideNamespace { try LinkLayerSocket(interface: veth.inside) }
        for frame in Self.frames {
            var bytes = frame.bytes
            bytes.replaceSubrange(6..<12, with: HardwareAddress(veth.insideMAC)!.bytes)
            try send.send(bytes)
        }
        #expect(ours.wait(timeout: .seconds(10)) == 0)
        #expect(tcpdump.wait(timeout: .seconds(10)) == 0)
        let theirs = try Subprocess.run(["tcpdump", "-n", "-r", path] + flags)
        #expect(theirs.status == 0)
        #expect(ours.stdout.hasPrefix("1"))
        let same = ours.stdout == theirs.stdout
        #expect(same, "first differing line: \(Self.firstDifference(ours.stdout, theirs.stdout))")
    }
}
