/// ARP and RARP, after tcpdump's `arp_print` at the default verbosity.
extension PacketSummaryFormatter {
    /// `length` is what the frame holds after the link-level header.
    mutating func appendARP(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard bytes.has(8) else { line.put(" [|arp]"); dumpsWholeFrame(); return }
        let hardwareType = bytes.u16(0), protocolType = bytes.u16(2)
        let hardwareLength = Int(bytes.u8(4)), protocolLength = Int(bytes.u8(5))
        guard bytes.has(8 + 2 * hardwareLength + 2 * protocolLength) else { line.put(" [|arp]"); dumpsWholeFrame(); return }
        if !printsLinkLevelHeader { line.put("ARP, ") }
        guard protocolType == 0x0800, protocolLength == 4, hardwareLength == 6, hardwareType == 1 || hardwareType == 6 else {
            // tcpdump prints the types and lengths here; only Ethernet/IPv4 ARP is worded exactly.
            line.put("hardware type "); line.putDecimal(hardwareType)
            line.put(" (len "); line.putDecimal(hardwareLength); line.put("), protocol 0x")
            line.putHex(protocolType, digits: 4)
            line.put(" (len "); line.putDecimal(protocolLength); line.put("), length "); line.putDecimal(length)
            return
        }
        guard let arp = bytes.arpPacket() else { line.put(" [|arp]"); return }
        if verbose {
            // -v: the types and lengths tcpdump otherwise prints only for unusual packets.
            line.put(hardwareType == 1 ? "Ethernet" : "TokenRing"); line.put(" (len 6), IPv4 (len 4), ")
        }
        appendOperation(arp, &line)
        line.put(", length "); line.putDecimal(length)
    }

    private func appendOperation(_ arp: ARPPacket, _ line: inout [UInt8]) {
        switch arp.operation {
        case .request:
            line.put("Request who-has "); line.putIPv4(arp.targetProtocolAddress)
            if arp.targetHardwareAddress != .zero {
                line.put(" ("); TextBuffer.appendMAC(arp.targetHardwareAddress, to: &line); line.put(")")
            }
            line.put(" tell "); line.putIPv4(arp.senderProtocolAddress)
        case .reply:
            line.put("Reply "); line.putIPv4(arp.senderProtocolAddress)
            line.put(" is-at "); TextBuffer.appendMAC(arp.senderHardwareAddress, to: &line)
        case .reverseRequest:
            line.put("Reverse Request who-is "); TextBuffer.appendMAC(arp.targetHardwareAddress, to: &line)
            line.put(" tell "); TextBuffer.appendMAC(arp.senderHardwareAddress, to: &line)
        case .reverseReply:
            line.put("Reverse Reply "); TextBuffer.appendMAC(arp.targetHardwareAddress, to: &line)
            line.put(" at "); line.putIPv4(arp.targetProtocolAddress)
        default:
            line.put("Unknown ("); line.putDecimal(arp.operation.rawValue); line.put(")")
        }
    }
}
