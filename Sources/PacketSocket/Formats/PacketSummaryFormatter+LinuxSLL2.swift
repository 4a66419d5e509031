extension PacketSummaryFormatter {
    /// tcpdump's `sll_pkttype_values` by `PACKET_*` number (`%-3s ` padded), `?   ` for the rest.
    private static let packetTypeWords: [StaticString] = ["In  ", "B   ", "M   ", "P   ", "Out ", "?   "]

    /// Appends the summary of a LINKTYPE_LINUX_SLL2 record (a `-i any` capture) as tcpdump's `sll2_if_print`
    /// prints it: the interface name (`%-5s `), the direction (`In`, `B`, `M`, `P`, `Out`, `%-3s `), with
    /// ``printsLinkLevelHeader`` `ifindex N`, the address and `ethertype IPv4 (0x0800), length N: `, then the
    /// network layer; an 802.1Q tag still in the packet (sent packets keep theirs) is worded and stepped over.
    /// For an EtherType without a printer the link-level words are printed, without tcpdump's hex dump.
    /// - Parameters:
    ///   - record: The record from its 20-byte header on.
    ///   - originalLength: The record's length on the wire, header included.
    ///   - interfaceName: The name of the interface whose index the header carries (`?` when unknown).
    public mutating func appendLinuxSLL2Record(_ record: UnsafeRawBufferPointer, originalLength: Int? = nil,
                                               interfaceName: String, to line: inout [UInt8]) {
        let header = CapturedPacket.linuxSLL2HeaderLength
        let wireLength = originalLength ?? record.count
        line.append(contentsOf: interfaceName.utf8)
        for _ in 0..<(max(0, 5 - interfaceName.utf8.count) + 1) { line.append(UInt8(ascii: " ")) }
        guard record.count >= header else { line.put("[|sll2]"); return }
        line.put(Self.packetTypeWords[Int(min(record[10], 5))])
        let headerType = EtherType(UInt16(record[0]) << 8 | UInt16(record[1]))
        var etherType = headerType
        if printsLinkLevelHeader { appendLinuxSLL2Words(record, etherType: headerType, wireLength: wireLength, to: &line) }
        var offset = header
        if etherType == .vlan, record.count >= offset + 4 {
            let tci = UInt16(record[offset]) << 8 | UInt16(record[offset + 1])
            if printsLinkLevelHeader {
                line.put("vlan "); line.putDecimal(Int(tci & 0x0FFF)); line.put(", p "); line.putDecimal(Int(tci >> 13))
                if tci & 0x1000 != 0 { line.put(", DEI") }
                line.put(", ")
            }
            etherType = EtherType(UInt16(record[offset + 2]) << 8 | UInt16(record[offset + 3]))
            line.put("ethertype ")
            if let name = etherType.name { line.put(name) } else { line.put("Unknown") }
            line.put(", ")
            offset += 4
        }
        let payload = UnsafeRawBufferPointer(rebasing: record[offset...])
        if !appendNetwork(CapturedBytes(payload, at: 0), length: max(0, wireLength - offset), etherType: etherType, to: &line),
           !printsLinkLevelHeader {
            // tcpdump words the header here, with the length less a tag it stepped over.
            appendLinuxSLL2Words(record, etherType: headerType, wireLength: wireLength - (offset - header), to: &line)
        }
    }

    /// tcpdump's `sll2_print`: `ifindex N 02:00:00:00:00:01 ethertype IPv4 (0x0800), length N: `.
    private func appendLinuxSLL2Words(_ record: UnsafeRawBufferPointer, etherType: EtherType, wireLength: Int,
                                      to line: inout [UInt8]) {
        let index = UInt32(record[4]) << 24 | UInt32(record[5]) << 16 | UInt32(record[6]) << 8 | UInt32(record[7])
        line.put("ifindex "); line.putDecimal(Int(index)); line.put(" ")
        if record[11] == 6 {
            TextBuffer.appendMAC(MACAddress(record[12], record[13], record[14], record[15], record[16], record[17]), to: &line)
            line.put(" ")
        }
        if etherType.rawValue <= 1500 {
            switch etherType.rawValue {
            case 1: line.put("802.3")
            case 4: line.put("802.2")
            default: line.put("ethertype Unknown (0x"); line.putHex(etherType.rawValue, digits: 4); line.put(")")
            }
        } else {
            line.put("ethertype ")
            if let name = etherType.name { line.put(name) } else { line.put("Unknown") }
            line.put(" (0x"); line.putHex(etherType.rawValue, digits: 4); line.put(")")
        }
        line.put(", length "); line.putDecimal(wireLength); line.put(": ")
    }
}
