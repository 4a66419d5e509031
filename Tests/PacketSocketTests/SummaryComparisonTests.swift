#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import PacketSocket
import SocketBase

/// PacketSummaryFormatter against tcpdump itself: the same frames written to a pcap, `tcpdump -n -t -r` (and
/// `-e`, `-S`) run on it, compared line by line.
@Suite(.enabled(if: toolExists("tcpdump"), "needs tcpdump"))
struct SummaryComparisonTests {
    static let a = MACAddress("aa:bb:cc:dd:ee:ff")!, b = MACAddress("11:22:33:44:55:66")!
    static let ip1 = IPv4Address("10.0.0.1")!, ip2 = IPv4Address("10.0.0.2")!
    static let s6 = IPv6Address("fe80::1")!, d6 = IPv6Address("fe80::2")!

    /// A frame to compare, with the length it had on the wire when it was cut by a snap length.
    struct Case {
        var name: String
        var frame: [UInt8]
        var originalLength: Int? = nil
    }

    static func ipv4(_ transport: PacketBuilder.Transport?, payload: [UInt8] = [], from: IPv4Address = ip1, to: IPv4Address = ip2,
                     protocol number: IPProtocolNumber = .udp, flags: IPv4Header.Flags = .dontFragment, offset: UInt16 = 0,
                     vlanTags: [VLANTag] = []) -> [UInt8] {
        PacketBuilder.ethernetFrame(destination: b, source: a, vlanTags: vlanTags,
                                    network: .ipv4(IPv4Header(source: from, destination: to, protocol: number, identification: 9,
                                                              flags: flags, fragmentOffset: offset)),
                                    transport: transport, payload: payload)
    }

    static func ipv6(_ transport: PacketBuilder.Transport?, payload: [UInt8] = [], from: IPv6Address = s6, to: IPv6Address = d6,
                     next: IPProtocolNumber = .udp) -> [UInt8] {
        PacketBuilder.ethernetFrame(destination: b, source: a, network: .ipv6(IPv6Header(source: from, destination: to, nextHeader: next)),
                                    transport: transport, payload: payload)
    }

    /// IPv6 with `extensions` (already chained to `first`) before a UDP datagram.
    static func ipv6WithExtensions(first: IPProtocolNumber, extensions: [UInt8]) -> [UInt8] {
        let udp = PacketBuilder.segment(.udp(UDPHeader(sourcePort: 5000, destinationPort: 6000)), payload: [1, 2, 3, 4],
                                        pseudoHeader: .ipv6(source: s6, destination: d6))
        var ip = IPv6Header(source: s6, destination: d6, nextHeader: first)
        var frame: [UInt8] = []
        EthernetHeader(destination: b, source: a, etherType: .ipv6).append(to: &frame)
        ip.append(to: &frame, payloadLength: extensions.count + udp.count)
        return frame + extensions + udp
    }

    static var cases: [Case] {
        var list = ReferenceFrames.all.map { Case(name: $0.name, frame: bytes(hex: $0.hex)) }
        let tcp = { (from: IPv4Address, to: IPv4Address, sp: UInt16, dp: UInt16, seq: UInt32, ack: UInt32, flags: TCPHeader.Flags,
                     options: [TCPOption], payload: [UInt8]) -> [UInt8] in
            ipv4(.tcp(TCPHeader(sourcePort: sp, destinationPort: dp, sequenceNumber: seq, acknowledgmentNumber: ack, flags: flags, window: 501),
                      options: options), payload: payload, from: from, to: to)
        }
        // A conversation: relative sequence numbers after the handshake, SACK blocks relative too.
        list.append(Case(name: "conv-syn", frame: tcp(ip1, ip2, 41000, 7000, 0x1000_0000, 0, .syn, [.maximumSegmentSize(1460), .windowScale(9)], [])))
        list.append(Case(name: "conv-synack", frame: tcp(ip2, ip1, 7000, 41000, 0xF000_0000, 0x1000_0001, [.syn, .ack], [.maximumSegmentSize(1400)], [])))
        list.append(Case(name: "conv-ack", frame: tcp(ip1, ip2, 41000, 7000, 0x1000_0001, 0xF000_0001, .ack, [], [])))
        list.append(Case(name: "conv-data", frame: tcp(ip1, ip2, 41000, 7000, 0x1000_0001, 0xF000_0001, [.psh, .ack], [], Array("GET\r\n".utf8))))
        list.append(Case(name: "conv-sack", frame: tcp(ip2, ip1, 7000, 41000, 0xF000_0001, 0x1000_0001, .ack,
                                                       [.noOperation, .noOperation, .sack(TCPSACKBlocks([TCPSACKBlock(left: 0x1000_0100, right: 0x1000_0200),
                                                                                                         TCPSACKBlock(left: 0x1000_0300, right: 0x1000_0400)]))], [])))
        list.append(Case(name: "conv-fin", frame: tcp(ip1, ip2, 41000, 7000, 0x1000_0006, 0xF000_0001, [.fin, .ack], [], [])))
        list.append(Case(name: "tcp-urg-ece-cwr", frame: tcp(ip1, ip2, 41001, 7001, 5, 0, [.urg, .ece, .cwr, .syn], [.endOfOptionList], [])))
        list.append(Case(name: "tcp-no-flags", frame: tcp(ip1, ip2, 41002, 7002, 5, 0, [], [], [9])))
        list.append(Case(name: "tcp-unknown-option", frame: tcp(ip1, ip2, 41003, 7003, 5, 0, .syn, [.unknown(kind: 99, data: [0xDE, 0xAD])], [])))
        list.append(Case(name: "udp-empty", frame: ipv4(.udp(UDPHeader(sourcePort: 40000, destinationPort: 40001)))))
        list.append(Case(name: "udp-vlan-dei", frame: ipv4(.udp(UDPHeader(sourcePort: 4000, destinationPort: 4001)), payload: [1],
                                                          vlanTags: [VLANTag(priority: 7, dropEligible: true, id: 4094, etherType: .ipv4)])))
        list.append(Case(name: "unknown-protocol", frame: ipv4(nil, payload: [1, 2, 3, 4, 5], protocol: IPProtocolNumber(99))))
        list.append(Case(name: "icmp-host-unreachable", frame: ipv4(.icmpv4(ICMPv4Header(type: .destinationUnreachable, code: 1)),
                                                                   payload: Array(bytes(hex: ReferenceFrames.udp4)[14...]), protocol: .icmp)))
        list.append(Case(name: "icmp-need-frag", frame: ipv4(.icmpv4(ICMPv4Header(type: .destinationUnreachable, code: 4, restOfHeader: 1400)),
                                                            payload: Array(bytes(hex: ReferenceFrames.udp4)[14...]), protocol: .icmp)))
        list.append(Case(name: "icmp-redirect", frame: ipv4(.icmpv4(ICMPv4Header(type: .redirect, code: 1, restOfHeader: 0x0A00_00FE)),
                                                           payload: Array(bytes(hex: ReferenceFrames.udp4)[14...]), protocol: .icmp)))
        list.append(Case(name: "icmp-source-quench", frame: ipv4(.icmpv4(ICMPv4Header(type: .sourceQuench)), payload: Array(bytes(hex: ReferenceFrames.udp4)[14...]), protocol: .icmp)))
        list.append(Case(name: "icmp6-port-unreachable", frame: ipv6(.icmpv6(ICMPv6Header(type: .destinationUnreachable, code: 4)),
                                                                    payload: Array(bytes(hex: ReferenceFrames.udp6)[14...]), next: .icmpv6)))
        list.append(Case(name: "icmp6-too-big", frame: ipv6(.icmpv6(ICMPv6Header(type: .packetTooBig, restOfHeader: 1280)),
                                                           payload: Array(bytes(hex: ReferenceFrames.udp6)[14...]), next: .icmpv6)))
        list.append(Case(name: "icmp6-time-exceeded", frame: ipv6(.icmpv6(ICMPv6Header(type: .timeExceeded)),
                                                                 payload: Array(bytes(hex: ReferenceFrames.udp6)[14...]), next: .icmpv6)))
        list.append(Case(name: "icmp6-router-solicitation", frame: ipv6(.icmpv6(ICMPv6Header(type: .routerSolicitation)), next: .icmpv6)))
        list.append(Case(name: "ipv6-tcp", frame: ipv6(.tcp(TCPHeader(sourcePort: 1234, destinationPort: 5678, sequenceNumber: 77, flags: .syn), options: [.maximumSegmentSize(1220)]), next: .tcp)))
        list.append(Case(name: "ipv6-hbh-dstopt-udp", frame: ipv6WithExtensions(first: .hopByHopOptions,
                                                                               extensions: [60, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0])))
        var fragment: [UInt8] = []
        IPv6FragmentHeader(offset: 0, moreFragments: true, identification: 5).append(to: &fragment, nextHeader: .udp)
        list.append(Case(name: "ipv6-first-fragment", frame: ipv6WithExtensions(first: .fragment, extensions: fragment)))
        var later: [UInt8] = []
        IPv6FragmentHeader(offset: 8, moreFragments: false, identification: 5).append(to: &later, nextHeader: .udp)
        list.append(Case(name: "ipv6-later-fragment", frame: ipv6WithExtensions(first: .fragment, extensions: later)))
        // ARP padded to the Ethernet minimum, and one with a target hardware address.
        list.append(Case(name: "arp-padded", frame: bytes(hex: ReferenceFrames.arpRequest) + [UInt8](repeating: 0, count: 18)))
        list.append(Case(name: "arp-known-target", frame: PacketBuilder.ethernetFrame(
            destination: b, source: a, network: .arp(ARPPacket(operation: .request, senderHardwareAddress: a, senderProtocolAddress: ip1,
                                                               targetHardwareAddress: b, targetProtocolAddress: ip2)))))
        // Cut by a snap length: the record keeps the original length.
        let big = ipv4(.udp(UDPHeader(sourcePort: 4002, destinationPort: 4003)), payload: [UInt8](repeating: 7, count: 200))
        list.append(Case(name: "snapped-udp", frame: Array(big[0..<60]), originalLength: big.count))
        // Cut inside the TCP options, the TCP header, the ICMP header, the IPv6 header and the ARP body.
        let syn = bytes(hex: ReferenceFrames.tcpSyn)
        list.append(Case(name: "snapped-tcp-options", frame: Array(syn[0..<60]), originalLength: syn.count))
        list.append(Case(name: "snapped-tcp-header", frame: Array(syn[0..<44]), originalLength: syn.count))
        let echo = bytes(hex: ReferenceFrames.icmpEchoRequest)
        list.append(Case(name: "snapped-icmp", frame: Array(echo[0..<38]), originalLength: echo.count))
        let udp6 = bytes(hex: ReferenceFrames.udp6)
        list.append(Case(name: "snapped-ipv6", frame: Array(udp6[0..<40]), originalLength: udp6.count))
        let arp = bytes(hex: ReferenceFrames.arpRequest)
        list.append(Case(name: "snapped-arp", frame: Array(arp[0..<30]), originalLength: arp.count))
        // IPv4 header options (router alert) before UDP.
        list.append(Case(name: "ipv4-options", frame: PacketBuilder.ethernetFrame(
            destination: b, source: a, network: .ipv4(IPv4Header(source: ip1, destination: ip2, protocol: .udp), options: [0x94, 4, 0, 0]),
            transport: .udp(UDPHeader(sourcePort: 4004, destinationPort: 4005)), payload: [1, 2])))
        // A UDP length larger than the IP payload.
        var lying = ipv4(.udp(UDPHeader(sourcePort: 4006, destinationPort: 4007)), payload: [1, 2, 3, 4])
        lying[38] = 0; lying[39] = 40
        list.append(Case(name: "udp-bad-length", frame: lying))
        // A TCP option whose length runs past the header.
        var badOption = bytes(hex: ReferenceFrames.tcpSyn)
        badOption[55] = 60
        list.append(Case(name: "tcp-bad-option", frame: badOption))
        list.append(Case(name: "icmp-timestamp", frame: ipv4(.icmpv4(ICMPv4Header(type: .timestampRequest, restOfHeader: 0x0001_0002)),
                                                            payload: [UInt8](repeating: 0, count: 12), protocol: .icmp)))
        list.append(Case(name: "icmp-mask-reply", frame: ipv4(.icmpv4(ICMPv4Header(type: ICMPv4Header.MessageType(rawValue: 18))),
                                                             payload: [255, 255, 255, 0], protocol: .icmp)))
        list.append(Case(name: "icmp-parameter-problem", frame: ipv4(.icmpv4(ICMPv4Header(type: .parameterProblem, restOfHeader: 0x0500_0000)),
                                                                    payload: Array(bytes(hex: ReferenceFrames.udp4)[14...]), protocol: .icmp)))
        list.append(Case(name: "ipv6-routing-type0", frame: ipv6WithExtensions(first: .routing, extensions: [17, 2, 0, 1, 0, 0, 0, 0]
                                                                                 + [UInt8](repeating: 0x20, count: 15) + [1])))
        list.append(Case(name: "mld-report", frame: ipv6(.icmpv6(ICMPv6Header(type: ICMPv6Header.MessageType(rawValue: 131), restOfHeader: 0x0064_0000)),
                                                        payload: Array(IPv6Address("ff02::fb")!.bytesForTest), to: IPv6Address("ff02::fb")!, next: .icmpv6)))
        // What a veth sends when it comes up: an MLDv2 report behind a hop-by-hop header (router alert), a
        // duplicate address detection solicitation from ::, and an MLDv2 query.
        let mldReport: [UInt8] = [143, 0, 0, 0, 0, 0, 0, 2]
            + [4, 0, 0, 0] + IPv6Address("ff02::1:ff00:1")!.bytesForTest + [4, 0, 0, 0] + IPv6Address("ff02::fb")!.bytesForTest
        var mldFrame: [UInt8] = []
        EthernetHeader(destination: MACAddress("33:33:00:00:00:16")!, source: a, etherType: .ipv6).append(to: &mldFrame)
        let reportSource = IPv6Address("fe80::a8bb:ccff:fedd:eeff")!, reportDestination = IPv6Address("ff02::16")!
        var report = mldReport
        let reportSum = IPPseudoHeader.ipv6(source: reportSource, destination: reportDestination).checksum(protocol: .icmpv6, segment: report.withBuffer { $0 })
        report[2] = UInt8(reportSum >> 8); report[3] = UInt8(reportSum & 0xFF)
        var mldHeader = IPv6Header(source: reportSource, destination: reportDestination, nextHeader: .hopByHopOptions, hopLimit: 1)
        mldHeader.append(to: &mldFrame, payloadLength: 8 + report.count)
        mldFrame += [58, 0, 5, 2, 0, 0, 1, 0] + report
        list.append(Case(name: "mldv2-report", frame: mldFrame))
        list.append(Case(name: "dad-solicitation", frame: ipv6(.icmpv6(ICMPv6Header(type: .neighborSolicitation)), payload: reportSource.bytesForTest,
                                                              from: .unspecified, to: IPv6Address("ff02::1:ffdd:eeff")!, next: .icmpv6)))
        list.append(Case(name: "mldv2-query", frame: ipv6(.icmpv6(ICMPv6Header(type: ICMPv6Header.MessageType(rawValue: 130), restOfHeader: 0x2710_0000)),
                                                         payload: IPv6Address("ff02::fb")!.bytesForTest + [2, 125, 0, 1] + IPv6Address("fe80::5")!.bytesForTest,
                                                         to: IPv6Address("ff02::1")!, next: .icmpv6)))
        list.append(Case(name: "mld-general-query-v2", frame: ipv6(.icmpv6(ICMPv6Header(type: ICMPv6Header.MessageType(rawValue: 130), restOfHeader: 0x2710_0000)),
                                                                  payload: [UInt8](repeating: 0, count: 16) + [2, 125, 0, 0],
                                                                  to: IPv6Address("ff02::1")!, next: .icmpv6)))
        list.append(Case(name: "icmp6-redirect", frame: ipv6(.icmpv6(ICMPv6Header(type: .redirect)),
                                                            payload: Array(IPv6Address("fe80::9")!.bytesForTest) + Array(IPv6Address("2001:db8::7")!.bytesForTest),
                                                            next: .icmpv6)))
        // IGMP with the router alert option: v2 report and leave, v1/v2 and v3 queries, v3 report.
        func igmp(_ message: [UInt8], to group: IPv4Address) -> [UInt8] {
            var body = message
            body[2] = 0; body[3] = 0
            let sum = body.withBuffer { InternetChecksum.of($0) }
            body[2] = UInt8(sum >> 8); body[3] = UInt8(sum & 0xFF)
            return PacketBuilder.ethernetFrame(destination: b, source: a, network: .ipv4(
                IPv4Header(source: ip1, destination: group, protocol: .igmp, timeToLive: 1), options: [0x94, 4, 0, 0]), payload: body)
        }
        let group = IPv4Address("239.1.2.3")!
        list.append(Case(name: "igmp-v2-report", frame: igmp([0x16, 0, 0, 0, 239, 1, 2, 3], to: group)))
        list.append(Case(name: "igmp-leave", frame: igmp([0x17, 0, 0, 0, 239, 1, 2, 3], to: IPv4Address("224.0.0.2")!)))
        list.append(Case(name: "igmp-v2-query", frame: igmp([0x11, 50, 0, 0, 0, 0, 0, 0], to: IPv4Address("224.0.0.1")!)))
        list.append(Case(name: "igmp-v1-query", frame: igmp([0x11, 0, 0, 0, 239, 1, 2, 3], to: IPv4Address("224.0.0.1")!)))
        list.append(Case(name: "igmp-v3-query", frame: igmp([0x11, 100, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0], to: IPv4Address("224.0.0.1")!)))
        list.append(Case(name: "igmp-v3-query-group", frame: igmp([0x11, 0x8A, 0, 0, 239, 1, 2, 3, 2, 125, 0, 1, 10, 0, 0, 9], to: group)))
        list.append(Case(name: "igmp-v3-query-slow", frame: igmp([0x11, 0xFF, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0], to: IPv4Address("224.0.0.1")!)))
        list.append(Case(name: "igmp-v3-report", frame: igmp([0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 239, 1, 2, 3], to: IPv4Address("224.0.0.22")!)))
        list.append(Case(name: "icmp-timestamp-reply", frame: ipv4(.icmpv4(ICMPv4Header(type: .timestampReply, restOfHeader: 0x0001_0002)),
                                                                  payload: [0, 0x9A, 0x7E, 0xC8, 0x05, 0x26, 0x5C, 0x01, 0, 0, 0, 7], protocol: .icmp)))
        list += dnsCases()
        // HTTP request and response lines, a continuation, a line without its end; DNS over TCP.
        func segment(_ text: [UInt8], from: UInt16 = 40080, to: UInt16 = 80) -> [UInt8] {
            ipv4(.tcp(TCPHeader(sourcePort: from, destinationPort: to, sequenceNumber: 1, acknowledgmentNumber: 1, flags: [.psh, .ack]),
                      options: []), payload: text, protocol: .tcp)
        }
        list.append(Case(name: "http-get", frame: segment(Array("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".utf8))))
        list.append(Case(name: "http-response", frame: segment(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8), from: 80, to: 40080)))
        list.append(Case(name: "http-continuation", frame: segment([0x1F, 0x8B, 8, 0, 1, 2, 3], from: 80, to: 40080)))
        list.append(Case(name: "http-lowercase-no-eol", frame: segment(Array("post /x".utf8), from: 40081, to: 8080)))
        list.append(Case(name: "http-text-not-request", frame: segment(Array("hello world\n".utf8), from: 40082)))
        list.append(Case(name: "http-lf-only", frame: segment(Array("OPTIONS * HTTP/1.0\nX: y\n".utf8), from: 40083)))
        list.append(Case(name: "ssh-banner", frame: segment(Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8), from: 22, to: 40022)))
        list.append(Case(name: "ssh-banner-lf", frame: segment(Array("SSH-2.0-Go\n".utf8), from: 40023, to: 22)))
        list.append(Case(name: "ssh-no-eol", frame: segment(Array("SSH-2.0-partial".utf8), from: 22, to: 40024)))
        list.append(Case(name: "ssh-encrypted", frame: segment([0, 0, 0, 0x1C, 6, 0x14, 0xAB, 0xCD], from: 22, to: 40022)))
        list.append(Case(name: "ssh-beats-http", frame: segment(Array("SSH-1.99-x\r\n".utf8), from: 22, to: 80)))
        let query = dnsMessage(id: 77, flags: 0x0100, questions: [question("tcp.example", type: 1)])
        list.append(Case(name: "dns-over-tcp", frame: segment([0, UInt8(query.count)] + query, from: 40053, to: 53)))
        list.append(Case(name: "dns-over-tcp-bad-prefix", frame: segment([0, 3] + query, from: 40054, to: 53)))
        // NTP and DHCP (BOOTP), and a port tcpdump checks before NTP.
        func ntp(_ status: UInt8, from: UInt16 = 123, to: UInt16 = 123) -> [UInt8] {
            ipv4(.udp(UDPHeader(sourcePort: from, destinationPort: to)), payload: [status] + [UInt8](repeating: 0, count: 47))
        }
        list.append(Case(name: "ntp-client", frame: ntp(0x23, from: 41234)))
        list.append(Case(name: "ntp-server", frame: ntp(0x24, to: 41234)))
        list.append(Case(name: "ntp-symmetric", frame: ntp(0xD9)))
        list.append(Case(name: "ntp-vs-snmp", frame: ntp(0x23, from: 161)))
        var dhcp = [UInt8](repeating: 0, count: 300)
        dhcp[0] = 1; dhcp[1] = 1; dhcp[2] = 6
        dhcp.replaceSubrange(28..<34, with: a.octets)
        list.append(Case(name: "dhcp-discover", frame: ipv4(.udp(UDPHeader(sourcePort: 68, destinationPort: 67)), payload: dhcp,
                                                           from: .any, to: .broadcast)))
        dhcp[0] = 2
        list.append(Case(name: "dhcp-offer", frame: ipv4(.udp(UDPHeader(sourcePort: 67, destinationPort: 68)), payload: dhcp)))
        let discover = ipv4(.udp(UDPHeader(sourcePort: 68, destinationPort: 67)), payload: { var d = dhcp; d[0] = 1; return d }())
        list.append(Case(name: "dhcp-snapped", frame: Array(discover[0..<(42 + 20)]), originalLength: discover.count))
        // Frames that end inside the link layer or right after it.
        let header = Array(bytes(hex: ReferenceFrames.vlanUDP)[0..<12])
        list.append(Case(name: "short-ether", frame: Array(header[0..<10])))
        list.append(Case(name: "short-vlan", frame: header + [0x81, 0x00, 0x00]))
        list.append(Case(name: "bare-ipv4", frame: header + [0x08, 0x00]))
        list.append(Case(name: "bare-arp", frame: header + [0x08, 0x06]))
        list.append(Case(name: "short-ipv4", frame: header + [0x08, 0x00, 0x45, 0x00, 0x00]))
        list.append(Case(name: "short-ipv6", frame: header + [0x86, 0xDD, 0x60, 0x00]))
        list.append(Case(name: "unknown-ethertype", frame: PacketBuilder.ethernetFrame(destination: b, source: a, network: .raw(EtherType(0x88B5), [1, 2, 3]))))
        return list
    }

    // MARK: DNS

    /// A name in DNS wire format (uncompressed).
    static func dnsName(_ name: String) -> [UInt8] {
        name.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    /// A resource record: owner name bytes, type, class, TTL and data.
    static func record(_ owner: [UInt8], type: UInt16, class dnsClass: UInt16 = 1, ttl: UInt32 = 300, data: [UInt8]) -> [UInt8] {
        owner + [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(dnsClass >> 8), UInt8(dnsClass & 0xFF),
                 UInt8(ttl >> 24), UInt8(ttl >> 16 & 0xFF), UInt8(ttl >> 8 & 0xFF), UInt8(ttl & 0xFF),
                 UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
    }

    /// A DNS message: header (id, flags, counts) and the sections' bytes.
    static func dnsMessage(id: UInt16, flags: UInt16, questions: [[UInt8]], answers: [[UInt8]] = [], authority: [[UInt8]] = [],
                           additional: [[UInt8]] = []) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF)]
        for count in [questions.count, answers.count, authority.count, additional.count] { bytes += [0, UInt8(count)] }
        return bytes + (questions + answers + authority + additional).flatMap { $0 }
    }

    static func question(_ name: String, type: UInt16, class dnsClass: UInt16 = 1) -> [UInt8] {
        dnsName(name) + [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(dnsClass >> 8), UInt8(dnsClass & 0xFF)]
    }

    static func dnsCases() -> [Case] {
        let pointer: [UInt8] = [0xC0, 12] // the question's name
        let opt = record([0], type: 41, class: 1232, ttl: 0, data: [])
        func udp(_ message: [UInt8], from: UInt16 = 40053, to: UInt16 = 53, v6: Bool = false) -> [UInt8] {
            let header = UDPHeader(sourcePort: from, destinationPort: to)
            return v6 ? ipv6(.udp(header), payload: message) : ipv4(.udp(header), payload: message)
        }
        var list: [Case] = []
        list.append(Case(name: "dns-query-edns", frame: udp(dnsMessage(id: 0x1234, flags: 0x0100, questions: [question("example.com", type: 1)],
                                                                        additional: [opt]))))
        list.append(Case(name: "dns-answer-a", frame: udp(dnsMessage(
            id: 0x1234, flags: 0x8180, questions: [question("example.com", type: 1)],
            answers: [record(pointer, type: 1, data: [93, 184, 215, 14])], additional: [opt]), from: 53, to: 40053)))
        list.append(Case(name: "dns-cname-chain", frame: udp(dnsMessage(
            id: 7, flags: 0x8580, questions: [question("www.example.org", type: 1)],
            answers: [record(pointer, type: 5, data: dnsName("edge.cdn.example.net")),
                      record(dnsName("edge.cdn.example.net"), type: 1, data: [192, 0, 2, 1]),
                      record(dnsName("edge.cdn.example.net"), type: 1, data: [192, 0, 2, 2])]), from: 53, to: 40053)))
        list.append(Case(name: "dns-nxdomain", frame: udp(dnsMessage(
            id: 99, flags: 0x8183, questions: [question("nope.example", type: 28)],
            authority: [record(dnsName("example"), type: 6, data: dnsName("ns.example") + dnsName("admin.example") + [UInt8](repeating: 0, count: 20))]),
            from: 53, to: 40053)))
        list.append(Case(name: "dns-misc-answers", frame: udp(dnsMessage(
            id: 4, flags: 0x81A0, questions: [question("example.com", type: 255)],
            answers: [record(pointer, type: 28, data: Array(IPv6Address("2001:db8::53")!.bytesForTest)),
                      record(pointer, type: 15, data: [0, 10] + dnsName("mail.example.com")),
                      record(pointer, type: 16, data: [5] + Array("v=sp\u{1}".utf8) + [3] + Array("é".utf8) + [0]),
                      record(pointer, type: 33, data: [0, 1, 0, 5, 0x13, 0xC4] + dnsName("sip.example.com")),
                      record(pointer, type: 12, data: dnsName("host.example.com")),
                      record(pointer, type: 99, data: [1, 2, 3]),
                      record(pointer, type: 6, class: 3, data: [0])]), from: 53, to: 40053)))
        list.append(Case(name: "dns-query-flags", frame: udp(dnsMessage(id: 65535, flags: 0x0130 | 0x0040,
                                                                         questions: [question("a.b", type: 65), question("c", type: 16, class: 3)]))))
        list.append(Case(name: "dns-notify", frame: udp(dnsMessage(id: 1, flags: 0x2000, questions: [question("zone.example", type: 6)]))))
        list.append(Case(name: "dns-bad-pointer", frame: udp(dnsMessage(id: 2, flags: 0x8180, questions: [question("x.example", type: 1)],
                                                                        answers: [record(pointer, type: 5, data: [0xC0, 0x60])]), from: 53, to: 40053)))
        list.append(Case(name: "dns-short", frame: udp([1, 2, 3, 4])))
        list.append(Case(name: "dns-ipv6", frame: udp(dnsMessage(id: 3, flags: 0x0100, questions: [question("ipv6.example", type: 28)]), v6: true)))
        list.append(Case(name: "mdns-query", frame: udp(dnsMessage(id: 0, flags: 0, questions: [question("_ipp._tcp.local", type: 12, class: 0x8001)]),
                                                         from: 5353, to: 5353)))
        list.append(Case(name: "mdns-response", frame: udp(dnsMessage(
            id: 0, flags: 0x8400, questions: [], answers: [record(dnsName("printer.local"), type: 1, class: 0x8001, data: [10, 0, 0, 7])]),
            from: 5353, to: 5353)))
        let answer = udp(dnsMessage(id: 0x1234, flags: 0x8180, questions: [question("example.com", type: 1)],
                                    answers: [record(pointer, type: 1, data: [1, 2, 3, 4]), record(pointer, type: 1, data: [5, 6, 7, 8])]),
                         from: 53, to: 40053)
        list.append(Case(name: "dns-snapped-answer", frame: Array(answer[0..<(answer.count - 6)]), originalLength: answer.count))
        list.append(Case(name: "dns-snapped-question", frame: Array(answer[0..<(14 + 20 + 8 + 12 + 5)]), originalLength: answer.count))
        return list
    }

    /// Writes the cases to a pcap, runs tcpdump with `flags` on it, and compares each line with the formatter.
    func compare(flags: [String], linkLevel: Bool, absolute: Bool, skip: Set<String> = []) throws -> (matched: Int, total: Int) {
        let cases = Self.cases
        let path = temporaryPath("summary\(flags.joined()).pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .ethernet)
        for (index, item) in cases.enumerated() {
            try item.frame.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: Int64(index), nanoseconds: 0), bytes: $0, originalLength: item.originalLength) }
        }
        try writer.close()
        let result = try run(["tcpdump", "-n", "-t", "-r", path] + flags)
        #expect(result.status == 0)
        // Unknown EtherTypes make tcpdump add hex-dump lines (tab-indented): keep the first line of each packet.
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\t") && !$0.isEmpty }
        #expect(lines.count == cases.count)
        var formatter = PacketSummaryFormatter(printsLinkLevelHeader: linkLevel, printsAbsoluteSequenceNumbers: absolute)
        var matched = 0
        for (item, expected) in zip(cases, lines) {
            let ours = formatter.summary(ofEthernetFrame: item.frame, originalLength: item.originalLength)
            if skip.contains(item.name) { continue }
            #expect(ours == String(expected), "\(item.name)")
            if ours == String(expected) { matched += 1 }
        }
        return (matched, cases.count)
    }

    @Test func defaultWording() throws {
        let (matched, total) = try compare(flags: [], linkLevel: false, absolute: false, skip: Self.knownDifferences)
        #expect(matched == total - Self.knownDifferences.count)
    }

    @Test func linkLevelHeader() throws {
        let (matched, total) = try compare(flags: ["-e"], linkLevel: true, absolute: false, skip: Self.knownDifferences)
        #expect(matched == total - Self.knownDifferences.count)
    }

    @Test func absoluteSequenceNumbers() throws {
        let (matched, total) = try compare(flags: ["-S"], linkLevel: false, absolute: true, skip: Self.knownDifferences)
        #expect(matched == total - Self.knownDifferences.count)
    }

    /// The cooked variant: IP packets without a link layer in a LINKTYPE_RAW pcap, which tcpdump prints like
    /// Ethernet frames without `-e`, and with `-e` after `ip: `.
    @Test func networkLayerPackets() throws {
        let packets = Self.cases.compactMap { item -> (EtherType, [UInt8])? in
            guard item.frame.count > 14 else { return nil }
            let type = EtherType(UInt16(item.frame[12]) << 8 | UInt16(item.frame[13]))
            guard (type == .ipv4 || type == .ipv6) && item.originalLength == nil && !Self.knownDifferences.contains(item.name) else { return nil }
            return (type, Array(item.frame[14...]))
        }
        #expect(packets.count > 30)
        let path = temporaryPath("raw.pcap")
        defer { unlink(path) }
        let writer = try PcapWriter(path: path, linkType: .raw)
        for (index, packet) in packets.enumerated() {
            try packet.1.withBuffer { try writer.write(timestamp: KernelTimestamp(seconds: Int64(index), nanoseconds: 0), bytes: $0) }
        }
        try writer.close()
        for linkLevel in [false, true] {
            let result = try run(["tcpdump", "-n", "-t", "-r", path] + (linkLevel ? ["-e"] : []))
            let lines = result.output.split(separator: "\n")
            #expect(result.status == 0 && lines.count == packets.count)
            var formatter = PacketSummaryFormatter(printsLinkLevelHeader: linkLevel)
            for (packet, expected) in zip(packets, lines) {
                #expect(formatter.summary(ofNetworkPacket: packet.1, etherType: packet.0) == String(expected))
            }
        }
    }

    /// `ntp-vs-snmp`: port 161 goes to tcpdump's SNMP printer, which is not reproduced; the formatter must print
    /// the generic UDP line for it rather than NTP (checked in ``udpPortPrecedence()``).
    static let knownDifferences: Set<String> = ["ntp-vs-snmp"]

    @Test func udpPortPrecedence() {
        var formatter = PacketSummaryFormatter()
        let frame = Self.cases.first { $0.name == "ntp-vs-snmp" }!.frame
        #expect(formatter.summary(ofEthernetFrame: frame).hasSuffix(": UDP, length 48"))
        #expect(PacketSummaryFormatter.udpApplication(123, 68) == .bootp)
        #expect(PacketSummaryFormatter.udpApplication(5353, 53) == .dns)
        #expect(PacketSummaryFormatter.udpApplication(123, 40000) == .ntp)
    }
}

extension IPv6Address {
    /// The sixteen octets.
    var bytesForTest: [UInt8] {
        var result: [UInt8] = []
        append(to: &result)
        return result
    }
}
