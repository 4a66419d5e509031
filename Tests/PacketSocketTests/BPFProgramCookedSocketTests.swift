import PacketSocket
import Testing

/// `BPFProgram.movedToCookedSocket` (libpcap's `fix_program`) and the SLL2 record and its summary, kernel-free.
/// The end-to-end checks against tcpdump are in PacketIntegrationTests (`pktdump-swift any and -D`).
@Suite struct BPFProgramCookedSocketTests {
    @Test func sll2HeaderLoadsBecomeAncillaryLoadsAndTheRestMovesBack() throws {
        let program = try BPFProgram(compiling: "udp", linkType: .linuxSLL2)
        let moved = try #require(program.movedToCookedSocket(linkType: .linuxSLL2))
        #expect(moved.instructions.count == program.instructions.count)
        // ldh [0] (sll2_protocol) -> SKF_AD_OFF + SKF_AD_PROTOCOL; ldb [29] (IPv4 protocol) -> [9].
        #expect(program.instructions[0] == BPFInstruction(code: 0x28, k: 0))
        #expect(moved.instructions[0] == BPFInstruction(code: 0x28, k: 0xFFFF_F000))
        let protocolLoads = zip(program.instructions, moved.instructions).filter { $0.0.code == 0x30 && $0.0.k == 29 }
        #expect(!protocolLoads.isEmpty && protocolLoads.allSatisfy { $0.1.k == 9 })
        // Returns and jumps are untouched.
        #expect(zip(program.instructions, moved.instructions).allSatisfy { $0.0.code == $0.1.code && $0.0.jt == $0.1.jt })
        // The packet type (sll2_pkttype, byte 10) and interface index (4) have loads; the address length (11) has none.
        let pkttype = try #require(BPFProgram(compiling: "link[10] == 4", linkType: .linuxSLL2).movedToCookedSocket(linkType: .linuxSLL2))
        #expect(pkttype.instructions.contains { $0.k == 0xFFFF_F004 })
        #expect(try BPFProgram(compiling: "link[11] == 6", linkType: .linuxSLL2).movedToCookedSocket(linkType: .linuxSLL2) == nil)
    }

    @Test func sll1OffsetsFollowItsOwnHeader() throws {
        let program = try BPFProgram(compiling: "udp", linkType: .linuxSLL)
        let moved = try #require(program.movedToCookedSocket(linkType: .linuxSLL))
        // ldh [14] (sll_protocol) -> SKF_AD_PROTOCOL; ldb [25] -> [9].
        #expect(program.instructions[0] == BPFInstruction(code: 0x28, k: 14))
        #expect(moved.instructions[0] == BPFInstruction(code: 0x28, k: 0xFFFF_F000))
        #expect(moved.instructions.contains { $0.code == 0x30 && $0.k == 9 })
    }

    @Test func sll2LineWordsTheHeaderAsTcpdump() throws {
        // An SLL2 record: ARP-less IPv4/UDP payload behind protocol 0x0800, ifindex 3, Ethernet, outgoing, 6-byte address.
        let payload: [UInt8] = [0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                                0x13, 0x88, 0x17, 0x70, 0, 12, 0, 0, 1, 2, 3, 4]
        let header: [UInt8] = [0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0]
        let record = header + payload
        var plain = PacketSummaryFormatter(), linked = PacketSummaryFormatter(printsLinkLevelHeader: true)
        var line: [UInt8] = [], linkedLine: [UInt8] = []
        record.withUnsafeBytes {
            plain.appendLinuxSLL2Record($0, interfaceName: "eth0", to: &line)
            linked.appendLinuxSLL2Record($0, interfaceName: "eth0", to: &linkedLine)
        }
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("eth0  Out IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 4"))
        #expect(String(decoding: linkedLine, as: UTF8.self)
            .hasPrefix("eth0  Out ifindex 3 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 52: 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 4"))
    }

    @Test func deviceFlagsInTcpdumpsWords() {
        #expect(CaptureDevice(name: "veth0", description: nil, flags: 0x16).tcpdumpDescription == "veth0 [Up, Running, Connected]")
        #expect(CaptureDevice(name: "lo", description: nil, flags: 0x37).tcpdumpDescription == "lo [Up, Running, Loopback]")
        #expect(CaptureDevice(name: "nflog", description: "Linux netfilter log (NFLOG) interface", flags: 0x30).tcpdumpDescription
            == "nflog (Linux netfilter log (NFLOG) interface) [none]")
        #expect(CaptureDevice(name: "wlan0", description: nil, flags: 0x2A).tcpdumpDescription == "wlan0 [Up, Wireless, Not associated]")
        #expect(CaptureDevice(name: "x", description: nil, flags: 0).tcpdumpDescription == "x")
        #expect(CaptureDevice.tcpdumpListing([.init(name: "a", description: nil, flags: 0), .init(name: "b", description: nil, flags: 0)]) == "1.a\n2.b\n")
    }
}
