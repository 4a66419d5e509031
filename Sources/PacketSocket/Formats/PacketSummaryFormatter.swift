/// One line per packet in `tcpdump -n`'s wording (`IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 4`), written
/// into a caller's reused byte buffer: no allocation per packet once the buffer and the TCP conversation table
/// are warm.
///
/// Covers Ethernet II with 802.1Q/802.1ad tags (`-e` adds the link-level prefix), ARP, IPv4 (options,
/// fragments, unknown protocols), IPv6 (hop-by-hop, destination options, routing and fragment headers), UDP,
/// TCP (flags, relative or absolute sequence numbers, options), ICMP, ICMPv6, IGMP, and tcpdump's DNS/mDNS,
/// BOOTP/DHCP, NTP and HTTP lines, chosen by port as tcpdump chooses them. tcpdump's other application
/// printers (SNMP, SIP, SSH banners…) are not reproduced: those packets print as plain UDP/TCP.
public struct PacketSummaryFormatter {
    /// Print the link-level header (tcpdump `-e`).
    public var printsLinkLevelHeader: Bool
    /// Print TCP sequence numbers as they are (tcpdump `-S`) instead of relative to the conversation's start.
    public var printsAbsoluteSequenceNumbers: Bool

    /// tcpdump's `tcp_seq_hash`: the initial sequence and acknowledgment numbers per conversation.
    var conversations: [TCPConversationKey: TCPConversationStart] = [:]

    public init(printsLinkLevelHeader: Bool = false, printsAbsoluteSequenceNumbers: Bool = false) {
        self.printsLinkLevelHeader = printsLinkLevelHeader
        self.printsAbsoluteSequenceNumbers = printsAbsoluteSequenceNumbers
    }

    /// Forgets the TCP conversations seen so far (sequence numbers are relative to each conversation's first
    /// packet with ACK set, as in tcpdump).
    public mutating func reset() { conversations.removeAll(keepingCapacity: true) }

    /// Appends the summary of an Ethernet II frame (without a newline).
    /// - Parameters:
    ///   - frame: The captured bytes.
    ///   - originalLength: The frame's length on the wire (defaults to the captured length).
    ///   - line: The buffer to append to.
    public mutating func appendEthernetFrame(_ frame: UnsafeRawBufferPointer, originalLength: Int? = nil, to line: inout [UInt8]) {
        let wireLength = originalLength ?? frame.count
        guard frame.count >= EthernetHeader.length else {
            line.put(" [|ether]")
            return
        }
        let destination = MACAddress(frame, at: 0), source = MACAddress(frame, at: 6)
        if printsLinkLevelHeader { putAddresses(source, destination, &line) }
        var type = EtherType(frame.u16(12))
        var offset = EthernetHeader.length
        var printedLength = false
        while type.isVLANTag {
            guard frame.count - offset >= VLANTag.length, wireLength - offset >= VLANTag.length else {
                line.put(" [|vlan]")
                return
            }
            if printsLinkLevelHeader {
                putEtherType(type, &line)
                if !printedLength {
                    line.put(", length "); line.putDecimal(wireLength); line.put(": ")
                    printedLength = true
                } else {
                    line.put(", ")
                }
                let tci = frame.u16(offset)
                line.put("vlan "); line.putDecimal(tci & 0xFFF)
                line.put(", p "); line.putDecimal(tci >> 13)
                if tci & 0x1000 != 0 { line.put(", DEI") }
                line.put(", ")
            }
            type = EtherType(frame.u16(offset + 2))
            offset += VLANTag.length
        }
        if type.rawValue <= 1500 {
            // An 802.3 length field: LLC follows, which this formatter does not decode.
            if !printsLinkLevelHeader { putAddresses(source, destination, &line) }
            line.put("802.3, length "); line.putDecimal(wireLength); line.put(": LLC")
            return
        }
        if printsLinkLevelHeader {
            putEtherType(type, &line)
            if !printedLength {
                line.put(", length "); line.putDecimal(wireLength); line.put(": ")
            } else {
                line.put(", ")
            }
        }
        let known = appendNetwork(frame, at: offset, length: wireLength - offset, etherType: type, to: &line)
        if !known && !printsLinkLevelHeader {
            putAddresses(source, destination, &line)
            putEtherType(type, &line)
            line.put(", length "); line.putDecimal(wireLength); line.put(": ")
        }
    }

    /// Appends the summary of a packet that starts at the network layer (a SOCK_DGRAM or cooked capture), as
    /// tcpdump prints a LINKTYPE_RAW capture: with ``printsLinkLevelHeader`` IPv4 and IPv6 lines start `ip: `;
    /// other EtherTypes (ARP…), which a raw capture cannot hold, start `ethertype ARP (0x0806), length N: `.
    public mutating func appendNetworkPacket(_ packet: UnsafeRawBufferPointer, etherType: EtherType, originalLength: Int? = nil,
                                             to line: inout [UInt8]) {
        let wireLength = originalLength ?? packet.count
        if printsLinkLevelHeader {
            if etherType == .ipv4 || etherType == .ipv6 {
                line.put("ip: ")
            } else {
                putEtherType(etherType, &line)
                line.put(", length "); line.putDecimal(wireLength); line.put(": ")
            }
        }
        if !appendNetwork(packet, at: 0, length: wireLength, etherType: etherType, to: &line) && !printsLinkLevelHeader {
            putEtherType(etherType, &line)
            line.put(", length "); line.putDecimal(wireLength)
        }
    }

    /// The summary of an Ethernet II frame as a string (allocates; for tests and occasional use).
    public mutating func summary(ofEthernetFrame frame: [UInt8], originalLength: Int? = nil) -> String {
        var line: [UInt8] = []
        frame.withUnsafeBytes { appendEthernetFrame($0, originalLength: originalLength, to: &line) }
        return String(decoding: line, as: UTF8.self)
    }

    /// The summary of a network-layer packet as a string (allocates; for tests and occasional use).
    public mutating func summary(ofNetworkPacket packet: [UInt8], etherType: EtherType, originalLength: Int? = nil) -> String {
        var line: [UInt8] = []
        packet.withUnsafeBytes { appendNetworkPacket($0, etherType: etherType, originalLength: originalLength, to: &line) }
        return String(decoding: line, as: UTF8.self)
    }

    // MARK: Link layer

    private func putAddresses(_ source: MACAddress, _ destination: MACAddress, _ line: inout [UInt8]) {
        TextBuffer.appendMAC(source, to: &line)
        line.put(" > ")
        TextBuffer.appendMAC(destination, to: &line)
        line.put(", ")
    }

    private func putEtherType(_ type: EtherType, _ line: inout [UInt8]) {
        line.put("ethertype ")
        if let name = type.name { line.put(name) } else { line.put("Unknown") }
        line.put(" (0x"); TextBuffer.appendHex(type.rawValue, width: 4, to: &line); line.put(")")
    }

    /// Prints the network layer; false when the EtherType is not one this formatter knows (nothing printed).
    private mutating func appendNetwork(_ buffer: UnsafeRawBufferPointer, at offset: Int, length: Int, etherType: EtherType,
                                       to line: inout [UInt8]) -> Bool {
        switch etherType {
        case .ipv4: appendIPv4(buffer, at: offset, length: length, to: &line)
        case .ipv6: appendIPv6(buffer, at: offset, length: length, to: &line)
        case .arp: appendARP(buffer, at: offset, length: length, to: &line)
        default: return false
        }
        return true
    }

    // MARK: ARP

    private func appendARP(_ buffer: UnsafeRawBufferPointer, at offset: Int, length: Int, to line: inout [UInt8]) {
        guard buffer.count - offset >= 8 else { line.put(" [|arp]"); return }
        let hardwareType = buffer.u16(offset), protocolType = buffer.u16(offset + 2)
        let hardwareLength = Int(buffer.u8(offset + 4)), protocolLength = Int(buffer.u8(offset + 5))
        let operation = buffer.u16(offset + 6)
        guard buffer.count - offset >= 8 + 2 * hardwareLength + 2 * protocolLength else { line.put(" [|arp]"); return }
        if !printsLinkLevelHeader { line.put("ARP, ") }
        guard protocolType == 0x0800, protocolLength == 4, hardwareLength == 6, hardwareType == 1 || hardwareType == 6 else {
            // tcpdump prints the types and lengths here; only Ethernet/IPv4 ARP is worded exactly.
            line.put("hardware type "); line.putDecimal(hardwareType)
            line.put(" (len "); line.putDecimal(hardwareLength); line.put("), protocol 0x")
            TextBuffer.appendHex(protocolType, width: 4, to: &line)
            line.put(" (len "); line.putDecimal(protocolLength); line.put("), length "); line.putDecimal(length)
            return
        }
        let arp = try? ARPPacket(parsing: buffer, at: offset)
        guard let arp else { line.put(" [|arp]"); return }
        switch operation {
        case 1:
            line.put("Request who-has "); line.putIPv4(arp.targetProtocolAddress)
            if arp.targetHardwareAddress != .zero {
                line.put(" ("); TextBuffer.appendMAC(arp.targetHardwareAddress, to: &line); line.put(")")
            }
            line.put(" tell "); line.putIPv4(arp.senderProtocolAddress)
        case 2:
            line.put("Reply "); line.putIPv4(arp.senderProtocolAddress)
            line.put(" is-at "); TextBuffer.appendMAC(arp.senderHardwareAddress, to: &line)
        case 3:
            line.put("Reverse Request who-is "); TextBuffer.appendMAC(arp.targetHardwareAddress, to: &line)
            line.put(" tell "); TextBuffer.appendMAC(arp.senderHardwareAddress, to: &line)
        case 4:
            line.put("Reverse Reply "); TextBuffer.appendMAC(arp.targetHardwareAddress, to: &line)
            line.put(" at "); line.putIPv4(arp.targetProtocolAddress)
        default:
            line.put("Unknown ("); line.putDecimal(operation); line.put(")")
        }
        line.put(", length "); line.putDecimal(length)
    }
}
