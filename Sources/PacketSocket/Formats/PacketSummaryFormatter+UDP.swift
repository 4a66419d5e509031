/// UDP and the UDP application printers reproduced here, after tcpdump's `udp_print`, `bootp_print` and
/// `ntp_print` at the default verbosity (DNS is in `PacketSummaryFormatter+DNS.swift`).
extension PacketSummaryFormatter {
    /// `bytes` is the UDP header, cut where the IP datagram ends; `context.length` the IP payload length.
    mutating func appendUDP(_ bytes: CapturedBytes, context: IPContext, to line: inout [UInt8]) {
        guard bytes.has(4) else {
            if context.fixedHeaderProtocol == .udp { context.putAddresses(&line); line.put(": ") }
            line.put(" [|udp]")
            return
        }
        let sourcePort = bytes.u16(0), destinationPort = bytes.u16(2)
        guard let udpLength = checkedUDPLength(bytes, context, sourcePort, destinationPort, &line) else { return }
        let payloadLength = min(context.length - UDPHeader.length, udpLength)
        context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
        guard let udp = bytes.udpHeader() else { line.put(" [|udp]"); return }
        let payload = bytes.dropFirst(UDPHeader.length)
        // tcpdump checks IPv4 UDP checksums only from -vv on.
        if verbose && context.isIPv6 && !context.fragmented && bytes.has(UDPHeader.length + payloadLength) {
            let sum = context.pseudoHeader.checksum(protocol: .udp, segment: bytes.bytes(UDPHeader.length + payloadLength))
            if sum != 0 {
                line.put("[bad udp cksum 0x"); line.putHex(udp.checksum, digits: 4)
                line.put(" -> 0x"); line.putHex(Self.checksumShouldBe(udp.checksum, sum), digits: 4); line.put("!] ")
            } else {
                line.put("[udp sum ok] ")
            }
        }
        switch isQuiet ? .generic : Self.udpApplication(udp.sourcePort, udp.destinationPort) {
        case .dns: appendDNS(payload, length: payloadLength, multicast: false, to: &line)
        case .multicastDNS: appendDNS(payload, length: payloadLength, multicast: true, to: &line)
        case .bootp: appendBOOTP(payload, length: payloadLength, to: &line)
        case .ntp: appendNTP(payload, length: payloadLength, to: &line)
        case .generic:
            if udpLength > payloadLength && !context.fragmented {
                line.put("UDP, bad length "); line.putDecimal(udpLength); line.put(" > "); line.putDecimal(payloadLength)
            } else {
                line.put("UDP, length "); line.putDecimal(udpLength)
            }
        }
    }

    /// tcpdump's checks of the UDP lengths (they need only 6 bytes of the header): the payload length the
    /// header announces, nil when the line ends here.
    private func checkedUDPLength(_ bytes: CapturedBytes, _ context: IPContext, _ sourcePort: UInt16, _ destinationPort: UInt16,
                                  _ line: inout [UInt8]) -> Int? {
        guard context.length >= UDPHeader.length else {
            context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
            line.put("truncated-udp "); line.putDecimal(context.length)
            return nil
        }
        guard bytes.has(6) else {
            context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
            line.put(" [|udp]")
            return nil
        }
        var udpLength = Int(bytes.u16(4))
        if udpLength == 0 && context.length > 65535 { udpLength = context.length }
        guard udpLength >= UDPHeader.length else {
            context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
            line.put("truncated-udplength "); line.putDecimal(udpLength)
            return nil
        }
        return udpLength - UDPHeader.length
    }

    /// The UDP application printers reproduced here, picked as tcpdump's `udp_print` does: the first port in
    /// its list that either side uses wins (ports of printers not reproduced here print the generic line).
    enum UDPApplication { case dns, multicastDNS, bootp, ntp, generic }

    static func udpApplication(_ a: UInt16, _ b: UInt16) -> UDPApplication {
        if a == 53 || b == 53 { return .dns }
        if a == 5353 || b == 5353 { return .multicastDNS }
        if a == 525 || b == 525 || a == 69 || b == 69 { return .generic }       // timed, TFTP
        if a == 67 || b == 67 || a == 68 || b == 68 { return .bootp }
        // RIP, AODV, ISAKMP (500, 4500, 7500, 8500), SNMP: checked before NTP by tcpdump.
        if hasEarlierPrinter(a) || hasEarlierPrinter(b) { return .generic }
        if a == 123 || b == 123 { return .ntp }
        return .generic
    }

    private static func hasEarlierPrinter(_ port: UInt16) -> Bool {
        switch port {
        case 520, 654, 500, 4500, 7500, 8500, 161, 162: return true
        default: return false
        }
    }

    /// tcpdump's `bootp_print` without -v.
    private mutating func appendBOOTP(_ bootp: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard bootp.has(1) else { line.put(" [|bootp]"); dumpsWholeFrame(); return }
        let operation = bootp.u8(0)
        line.put("BOOTP/DHCP, ")
        switch operation {
        case 1: line.put("Request")
        case 2: line.put("Reply")
        default: line.put("unknown (0x"); line.putHex(operation, digits: 2); line.put(")")
        }
        guard bootp.has(3) else { line.put(" [|bootp]"); dumpsWholeFrame(); return }
        if bootp.u8(1) == 1 && bootp.u8(2) == 6 && operation == 1 {
            guard bootp.has(34) else { line.put(" [|bootp]"); dumpsWholeFrame(); return }
            line.put(" from "); TextBuffer.appendMAC(bootp.mac(28), to: &line)
        }
        line.put(", length "); line.putDecimal(length)
    }

    /// tcpdump's names of the NTP association modes, indexed by mode.
    private static let ntpModes: [StaticString] = [
        "unspecified", "symmetric active", "symmetric passive", "Client", "Server", "Broadcast", "Control Message", "Reserved",
    ]

    /// tcpdump's `ntp_print` without -v: the version and mode.
    private func appendNTP(_ ntp: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard ntp.has(1) else { line.put(" [|ntp]"); return }
        let status = ntp.u8(0)
        line.put("NTPv"); line.putDecimal((status >> 3) & 7); line.put(", ")
        line.put(Self.ntpModes[Int(status & 7)])
        line.put(", length "); line.putDecimal(length)
    }
}
