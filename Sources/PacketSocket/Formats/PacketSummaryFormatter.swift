/// One line per packet in `tcpdump -n`'s wording (`IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 4`), written
/// into a caller's reused byte buffer: no allocation per packet once the buffer and the TCP conversation table
/// are warm.
///
/// Covers Ethernet II with 802.1Q/802.1ad tags (`-e` adds the link-level prefix), ARP, IPv4 (options,
/// fragments, unknown protocols), IPv6 (hop-by-hop, destination options, routing and fragment headers), UDP,
/// TCP (flags, relative or absolute sequence numbers, options), ICMP, ICMPv6, IGMP, and tcpdump's DNS/mDNS,
/// BOOTP/DHCP, NTP and HTTP lines, chosen by port as tcpdump chooses them. tcpdump's other application
/// printers (SNMP, SIP, SSH banners…) are not reproduced: those packets print as plain UDP/TCP.
///
/// One printer per protocol, as tcpdump's `print-*.c`: `PacketSummaryFormatter+IPv4.swift`, `+IPv6`, `+UDP`,
/// `+TCP`, `+TCPOptions`, `+ICMP`, `+ICMPv6`, `+IGMP`, `+DNS`, `+TCPApplications`, `+ARP`. Each gets its layer
/// as ``CapturedBytes`` (the captured bytes, cut where the enclosing header says the packet ends) and prints
/// from the codec's header (``TCPHeader``, ``UDPHeader``, ``ICMPHeader``…) read as far as it was captured; where
/// a field is missing it prints tcpdump's `[|proto]`.
public struct PacketSummaryFormatter {
    /// Print the link-level header (tcpdump `-e`).
    public var printsLinkLevelHeader: Bool
    /// Print TCP sequence numbers as they are (tcpdump `-S`) instead of relative to the conversation's start.
    public var printsAbsoluteSequenceNumbers: Bool
    /// Fewer words (tcpdump `-q`): `tcp N` for TCP, the plain `UDP, length N` line, bare EtherType names with `-e`.
    public var isQuiet: Bool
    /// How much of each header is printed (tcpdump `-v`).
    public var verbosity: Verbosity
    /// Dump the payload of a frame whose EtherType no printer here decodes, in hex and ASCII on the lines
    /// after the summary, as tcpdump does unless `-q`, `-x` or `-X` is given (its "default print").
    public var printsUnknownPayloads = false

    /// tcpdump's `-v` levels this formatter prints.
    public enum Verbosity: Int, Hashable, Sendable, Comparable {
        /// No `-v`: one line per packet.
        case normal = 0
        /// `-v`: the IP header's fields in parentheses (IPv4 then a newline and four spaces), TCP, ICMP and ICMPv6
        /// checksums, UDP checksums over IPv6, the quoted packet of an ICMP error on a line of its own.
        case verbose = 1

        public static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
    }

    /// The length of the last frame's link-layer header as tcpdump counts it (its `ndo_ll_hdr_len`): where
    /// `-x`, `-X` and `-A` start their dump (``PacketHexDump``). 0 when the printer gave up on a truncated
    /// field, as tcpdump then dumps the whole frame; the captured length when the frame ended inside the
    /// Ethernet header or a VLAN tag.
    public internal(set) var linkLayerHeaderLength = 0

    /// tcpdump's `tcp_seq_hash`: the initial sequence and acknowledgment numbers per conversation.
    var conversations: [TCPConversationKey: TCPConversationStart] = [:]

    public init(printsLinkLevelHeader: Bool = false, printsAbsoluteSequenceNumbers: Bool = false, isQuiet: Bool = false,
                verbosity: Verbosity = .normal) {
        self.printsLinkLevelHeader = printsLinkLevelHeader
        self.printsAbsoluteSequenceNumbers = printsAbsoluteSequenceNumbers
        self.isQuiet = isQuiet
        self.verbosity = verbosity
    }

    /// Whether tcpdump's `-v` is in effect.
    var verbose: Bool { verbosity >= .verbose }

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
        linkLayerHeaderLength = frame.count
        guard let ethernet = try? EthernetHeader(parsing: frame) else { line.put(" [|ether]"); return }
        if printsLinkLevelHeader { putAddresses(ethernet, &line) }
        var printedLength = false
        guard let (type, offset) = appendVLANTags(frame, after: ethernet, wireLength: wireLength,
                                                  printedLength: &printedLength, to: &line) else { return }
        linkLayerHeaderLength = offset
        if type.rawValue <= 1500 {
            // An 802.3 length field: LLC follows, which this formatter does not decode.
            if !printsLinkLevelHeader { putAddresses(ethernet, &line) }
            line.put("802.3, length "); line.putDecimal(wireLength); line.put(": LLC")
            return
        }
        if printsLinkLevelHeader {
            putEtherType(type, &line)
            putLengthSeparator(wireLength, printed: &printedLength, &line)
        }
        let known = appendNetwork(CapturedBytes(frame, at: offset), length: wireLength - offset, etherType: type, to: &line)
        if !known && !printsLinkLevelHeader {
            putAddresses(ethernet, &line)
            putEtherType(type, &line)
            line.put(", length "); line.putDecimal(wireLength); line.put(": ")
        }
        if !known && printsUnknownPayloads {
            PacketHexDump.appendHexAndASCII(UnsafeRawBufferPointer(rebasing: frame[min(offset, frame.count)...]), to: &line)
        }
    }

    /// Appends the summary of a packet that starts at the network layer (a SOCK_DGRAM or cooked capture), as
    /// tcpdump prints a LINKTYPE_RAW capture: with ``printsLinkLevelHeader`` IPv4 and IPv6 lines start `ip: `;
    /// other EtherTypes (ARP…), which a raw capture cannot hold, start `ethertype ARP (0x0806), length N: `.
    public mutating func appendNetworkPacket(_ packet: UnsafeRawBufferPointer, etherType: EtherType, originalLength: Int? = nil,
                                             to line: inout [UInt8]) {
        let wireLength = originalLength ?? packet.count
        linkLayerHeaderLength = 0
        if printsLinkLevelHeader {
            if etherType == .ipv4 || etherType == .ipv6 {
                line.put("ip: ")
            } else {
                putEtherType(etherType, &line)
                line.put(", length "); line.putDecimal(wireLength); line.put(": ")
            }
        }
        if !appendNetwork(CapturedBytes(packet, at: 0), length: wireLength, etherType: etherType, to: &line) && !printsLinkLevelHeader {
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

    private func putAddresses(_ ethernet: EthernetHeader, _ line: inout [UInt8]) {
        TextBuffer.appendMAC(ethernet.source, to: &line)
        line.put(" > ")
        TextBuffer.appendMAC(ethernet.destination, to: &line)
        line.put(", ")
    }

    private func putEtherType(_ type: EtherType, _ line: inout [UInt8]) {
        if isQuiet {
            if let name = type.name { line.put(name) } else { line.put("Unknown Ethertype (0x"); line.putHex(type.rawValue, digits: 4); line.put(")") }
            return
        }
        line.put("ethertype ")
        if let name = type.name { line.put(name) } else { line.put("Unknown") }
        line.put(" (0x"); line.putHex(type.rawValue, digits: 4); line.put(")")
    }

    /// `, length N: ` after the first EtherType of a `-e` line, `, ` after the later ones.
    private func putLengthSeparator(_ wireLength: Int, printed: inout Bool, _ line: inout [UInt8]) {
        if printed { line.put(", "); return }
        line.put(", length "); line.putDecimal(wireLength); line.put(": ")
        printed = true
    }

    /// The 802.1Q / 802.1ad tags after the Ethernet header (worded with `-e`, tcpdump's `ether_print` loop):
    /// the EtherType and offset after them, nil when a tag was cut (` [|vlan]` printed).
    private func appendVLANTags(_ frame: UnsafeRawBufferPointer, after ethernet: EthernetHeader, wireLength: Int,
                                printedLength: inout Bool, to line: inout [UInt8]) -> (EtherType, Int)? {
        var type = ethernet.etherType
        var offset = EthernetHeader.length
        while type.isVLANTag {
            guard wireLength - offset >= VLANTag.length, let tag = try? VLANTag(parsing: frame, at: offset, tagProtocol: type) else {
                line.put(" [|vlan]")
                return nil
            }
            if printsLinkLevelHeader {
                putEtherType(type, &line)
                putLengthSeparator(wireLength, printed: &printedLength, &line)
                line.put("vlan "); line.putDecimal(tag.id)
                line.put(", p "); line.putDecimal(tag.priority)
                if tag.dropEligible { line.put(", DEI") }
                line.put(", ")
            }
            type = tag.etherType
            offset += VLANTag.length
        }
        return (type, offset)
    }

    /// Prints the network layer; false when the EtherType is not one this formatter knows (nothing printed).
    mutating func appendNetwork(_ bytes: CapturedBytes, length: Int, etherType: EtherType, to line: inout [UInt8]) -> Bool {
        switch etherType {
        case .ipv4: appendIPv4(bytes, length: length, to: &line)
        case .ipv6: appendIPv6(bytes, length: length, to: &line)
        case .arp: appendARP(bytes, length: length, to: &line)
        default: return false
        }
        return true
    }
}
