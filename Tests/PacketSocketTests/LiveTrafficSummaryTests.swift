#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport
@testable import PacketSocket

/// Real kernel traffic on a veth pair whose far end is in a network namespace the test creates (and deletes):
/// tcpdump captures it while the links come up (IPv6 DAD, MLDv2, router solicitations) and while the test
/// sends UDP and TCP to closed ports (ARP, ICMP port unreachable, SYN with the kernel's options, RST); the
/// formatter's lines for the captured file equal `tcpdump -n -t -r` and `-e`. Needs root, `ip` and tcpdump.
@Suite(.enabled(if: getuid() == 0 && toolExists("ip") && toolExists("tcpdump"), "needs root, ip and tcpdump"))
struct LiveTrafficSummaryTests {
    @Test func vethTrafficMatchesTcpdump() throws {
        let id = Int(getpid()) % 100_000
        let namespace = "pktsum\(id)", near = "pksa\(id)", far = "pksb\(id)"
        let subnet = "172.31.\(id % 250)"
        let path = temporaryPath("veth.pcap")
        defer {
            _ = try? run(["ip", "link", "del", near])
            _ = try? run(["ip", "netns", "del", namespace])
            unlink(path)
        }
        for command in [["ip", "netns", "add", namespace],
                        ["ip", "link", "add", near, "type", "veth", "peer", "name", far],
                        ["ip", "link", "set", far, "netns", namespace],
                        ["ip", "addr", "add", "\(subnet).1/24", "dev", near],
                        ["ip", "netns", "exec", namespace, "ip", "addr", "add", "\(subnet).2/24", "dev", far],
                        // libpcap needs the interface up; without its peer it has no carrier yet.
                        ["ip", "link", "set", near, "up"]] {
            let result = try run(command)
            try #require(result.status == 0, "\(command.joined(separator: " ")) failed")
        }
        let tcpdump = try Subprocess(["tcpdump", "-i", near, "-U", "-n", "-w", path])
        // tcpdump writes the file header once it is capturing.
        var ready = false
        for _ in 0..<500 where !ready {
            var info = stat()
            ready = stat(path, &info) == 0 && info.st_size >= 24
            if !ready { usleep(10_000) }
        }
        #expect(ready, "tcpdump did not start")
        _ = try run(["ip", "netns", "exec", namespace, "ip", "link", "set", far, "up"])
        usleep(300_000)
        // UDP and TCP to closed ports on the far end.
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("\(subnet).2")
        for attempt in 0..<3 {
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            address.sin_port = UInt16(33_333).bigEndian
            var payload: [UInt8] = Array("probe \(attempt)".utf8)
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(udp, &payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(udp)
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            address.sin_port = UInt16(33_334).bigEndian
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(tcp, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            usleep(300_000)
            close(tcp)
        }
        usleep(1_500_000)
        tcpdump.signal(SIGINT)
        #expect(tcpdump.wait(timeout: .seconds(10)) == 0, "tcpdump: \(tcpdump.stderr)")

        let reader = try PcapReader(path: path)
        let records = try reader.readAll()
        for (flags, linkLevel) in [([String](), false), (["-e"], true)] {
            let result = try run(["tcpdump", "-n", "-t", "-r", path] + flags)
            let lines = result.output.split(separator: "\n").filter { !$0.hasPrefix("\t") }.map(String.init)
            #expect(lines.count == records.count)
            var formatter = PacketSummaryFormatter(printsLinkLevelHeader: linkLevel)
            for (record, expected) in zip(records, lines) {
                #expect(formatter.summary(ofEthernetFrame: record.bytes, originalLength: record.originalLength) == expected)
            }
            if !linkLevel {
                // The traffic the test made is there, so the comparison covered it.
                #expect(lines.contains { $0.hasPrefix("ARP, Request who-has \(subnet).2 tell \(subnet).1") })
                #expect(lines.contains { $0.contains(": Flags [S], seq ") && $0.contains("options [mss 1460,sackOK,TS val") })
                #expect(lines.contains { $0.contains(": Flags [R.], seq 0, ack ") })
                #expect(lines.contains { $0.contains(": ICMP \(subnet).2 udp port 33333 unreachable, length ") })
            }
        }
    }
}
