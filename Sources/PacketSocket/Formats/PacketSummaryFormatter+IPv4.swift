/// IPv4, after tcpdump's `ip_print` at the default verbosity, and the transport demultiplexing both IP versions
/// share (`ip_demux_print`).
extension PacketSummaryFormatter {
    /// The IP header a transport printer needs: the addresses and whether the fixed header's protocol field
    /// names the transport itself (tcpdump prints only the ports after IPv6 extension headers).
    struct IPContext {
        var isIPv6: Bool
        var source4 = IPv4Address.any, destination4 = IPv4Address.any
        var source6 = IPv6Address.unspecified, destination6 = IPv6Address.unspecified
        var fixedHeaderProtocol: IPProtocolNumber
        /// The IP payload length; `fragmented` when this is part of a fragmented datagram.
        var length = 0, fragmented = false

        func putSource(_ line: inout [UInt8]) { if isIPv6 { line.putIPv6(source6) } else { line.putIPv4(source4) } }
        func putDestination(_ line: inout [UInt8]) { if isIPv6 { line.putIPv6(destination6) } else { line.putIPv4(destination4) } }

        /// The final destination of an IPv6 routing header, which the checksums cover instead (tcpdump's
        /// `ip6_finddst`).
        var routedDestination6: IPv6Address?

        /// The pseudo-header the TCP, UDP and ICMPv6 checksums cover.
        var pseudoHeader: IPPseudoHeader {
            isIPv6 ? .ipv6(source: source6, destination: routedDestination6 ?? destination6) : .ipv4(source: source4, destination: destination4)
        }

        func putAddresses(_ line: inout [UInt8]) {
            putSource(&line); line.put(" > "); putDestination(&line)
        }

        func putAddressesAndPorts(_ protocolNumber: IPProtocolNumber, _ sourcePort: UInt16, _ destinationPort: UInt16, _ line: inout [UInt8]) {
            if fixedHeaderProtocol == protocolNumber {
                putSource(&line); line.put("."); line.putDecimal(sourcePort); line.put(" > ")
                putDestination(&line); line.put("."); line.putDecimal(destinationPort); line.put(": ")
            } else {
                line.putDecimal(sourcePort); line.put(" > "); line.putDecimal(destinationPort); line.put(": ")
            }
        }

        /// Whether the addresses come before the transport's words (TCP, UDP and SCTP print them with the ports).
        static func printsAddressesFirst(_ number: IPProtocolNumber) -> Bool {
            number != .tcp && number != .udp && number != .sctp && number.rawValue != 33
        }
    }

    /// `length` is what the link layer says the packet holds.
    mutating func appendIPv4(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard bytes.has(1) else { line.put(" [|ip]"); dumpsWholeFrame(); return }
        let version = bytes.u8(0) >> 4
        guard version == 4 else {
            if version == 6 { line.put("IP6, wrong link-layer encapsulation (invalid)") }
            else { line.put("IP"); line.putDecimal(version); line.put(" (invalid)") }
            return
        }
        if !printsLinkLevelHeader { line.put("IP ") }
        guard let ip = checkedIPv4Header(bytes, length: length, to: &line) else { return }
        let totalLength = Int(ip.totalLength)
        var context = IPContext(isIPv6: false, source4: ip.source, destination4: ip.destination, fixedHeaderProtocol: ip.protocol)
        if verbose {
            guard appendIPv4Fields(ip, bytes.prefix(totalLength), to: &line) else {
                context.putAddresses(&line); line.put(": "); line.put(" [|ip]")
                return
            }
        }
        guard ip.fragmentOffset == 0 else {
            context.putAddresses(&line)
            line.put(": ip-proto-"); line.putDecimal(ip.protocol.rawValue)
            return
        }
        if IPContext.printsAddressesFirst(ip.protocol) { context.putAddresses(&line); line.put(": ") }
        let datagram = bytes.prefix(totalLength)
        guard datagram.has(ip.headerLength) else { line.put(" [|ip]"); return }
        context.length = totalLength - ip.headerLength
        context.fragmented = ip.flags.contains(.moreFragments)
        appendTransport(datagram.dropFirst(ip.headerLength), protocol: ip.protocol, context: context, to: &line)
    }

    /// tcpdump's checks of the IPv4 lengths, worded as it words them; the header when the line goes on.
    private func checkedIPv4Header(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) -> IPv4Header? {
        guard let ip = bytes.ipv4Header() else { line.put(" [|ip]"); return nil }
        guard length >= IPv4Header.minimumLength else { line.put("truncated-ip "); line.putDecimal(length); return nil }
        guard ip.headerLength >= IPv4Header.minimumLength else { line.put("bad-hlen "); line.putDecimal(ip.headerLength); return nil }
        let totalLength = Int(ip.totalLength)
        if length < totalLength {
            line.put("truncated-ip - "); line.putDecimal(totalLength - length); line.put(" bytes missing! ")
        }
        guard totalLength >= ip.headerLength else { line.put("bad-len "); line.putDecimal(totalLength); return nil }
        return ip
    }

    /// tcpdump gave up on a field its `GET_` macros could not read (a `longjmp` out of the printers): `-x`, `-X`
    /// and `-A` then dump the whole frame.
    mutating func dumpsWholeFrame() { linkLayerHeaderLength = 0 }

    // MARK: -v

    /// tcpdump's `-v` fields: `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto UDP (17), length 33)`, then a
    /// newline and four spaces; false when an option was cut (`[truncated-option]`: the line ends after the
    /// addresses).
    private func appendIPv4Fields(_ ip: IPv4Header, _ bytes: CapturedBytes, to line: inout [UInt8]) -> Bool {
        line.put("(tos 0x"); line.putHex(ip.typeOfService)
        switch ip.typeOfService & 3 {
        case 1: line.put(",ECT(1)")
        case 2: line.put(",ECT(0)")
        case 3: line.put(",CE")
        default: break
        }
        if ip.timeToLive >= 1 { line.put(", ttl "); line.putDecimal(ip.timeToLive) }
        line.put(", id "); line.putDecimal(ip.identification)
        line.put(", offset "); line.putDecimal(Int(ip.fragmentOffset) * 8)
        line.put(", flags [")
        // bittok2str over ip_frag_values: `+`, `DF`, `rsvd`, joined by `, `.
        let mark = line.count
        if ip.flags.contains(.moreFragments) { line.put("+") }
        if ip.flags.contains(.dontFragment) { if line.count > mark { line.put(", ") }; line.put("DF") }
        if ip.flags.rawValue & 0x8000 != 0 { if line.count > mark { line.put(", ") }; line.put("rsvd") }
        if line.count == mark { line.put("none") }
        line.put("], proto "); Self.putProtocolName(ip.protocol, &line)
        line.put(" ("); line.putDecimal(ip.protocol.rawValue); line.put("), length "); line.putDecimal(ip.totalLength)
        var complete = true
        if ip.headerLength > IPv4Header.minimumLength {
            line.put(", options (")
            complete = appendIPv4Options(bytes.dropFirst(IPv4Header.minimumLength), count: ip.headerLength - IPv4Header.minimumLength,
                                         to: &line)
            if !complete { line.put(" [truncated-option]") }
            line.put(")")
        }
        if bytes.has(ip.headerLength) {
            let sum = InternetChecksum.of(bytes.bytes(ip.headerLength))
            if sum != 0 {
                line.put(", bad cksum "); line.putHex(ip.checksum)
                line.put(" (->"); line.putHex(Self.checksumShouldBe(ip.checksum, sum)); line.put(")!")
            }
        }
        line.put(")\n    ")
        return complete
    }

    /// tcpdump's `ip_optprint` for the options tcpdump names without fields of their own (EOL, NOP, RA) and
    /// the others by name; false when an option was not wholly captured.
    private func appendIPv4Options(_ options: CapturedBytes, count: Int, to line: inout [UInt8]) -> Bool {
        var position = 0
        while position < count {
            if position > 0 { line.put(",") }
            guard options.has(position + 1) else { return false }
            let code = options.u8(position)
            switch code {
            case 0: line.put("EOL")
            case 1: line.put("NOP")
            case 7: line.put("RR")
            case 68: line.put("timestamp")
            case 130: line.put("security")
            case 131: line.put("LSRR")
            case 137: line.put("SSRR")
            case 148: line.put("RA")
            case 82: line.put("traceroute")
            default: line.put("unknown "); line.putDecimal(code)
            }
            var size = 1
            if code > 1 {
                guard options.has(position + 2) else { return false }
                size = Int(options.u8(position + 1))
                guard size >= 2 else { line.put(" [bad length "); line.putDecimal(size); line.put("]"); return true }
            }
            guard size <= count - position else { line.put(" [bad length "); line.putDecimal(size); line.put("]"); return true }
            guard options.has(position + size) else { return false }
            if code == 0 { return true }
            if code == 148 {
                if size < 4 { line.put(" [bad length "); line.putDecimal(size); line.put("]") }
                else if options.u16(position + 2) != 0 { line.put(" value "); line.putDecimal(options.u16(position + 2)) }
            }
            position += size
        }
        return true
    }

    /// tcpdump's `ipproto_values` names, `unknown` for the others.
    static func putProtocolName(_ number: IPProtocolNumber, _ line: inout [UInt8]) {
        let name: StaticString
        switch number.rawValue {
        case 0: name = "Options"
        case 1: name = "ICMP"
        case 2: name = "IGMP"
        case 4: name = "IPIP"
        case 6: name = "TCP"
        case 8: name = "EGP"
        case 9: name = "IGRP"
        case 17: name = "UDP"
        case 33: name = "DCCP"
        case 41: name = "IPv6"
        case 43: name = "Routing"
        case 44: name = "Fragment"
        case 46: name = "RSVP"
        case 47: name = "GRE"
        case 50: name = "ESP"
        case 51: name = "AH"
        case 55: name = "Mobile IP"
        case 58: name = "ICMPv6"
        case 62: name = "Mobile IP (old)"
        case 88: name = "EIGRP"
        case 89: name = "OSPF"
        case 103: name = "PIM"
        case 108: name = "Compressed IP"
        case 112: name = "VRRP"
        case 113: name = "PGM"
        case 132: name = "SCTP"
        case 135: name = "Mobility"
        case 143: name = "Ethernet"
        default: name = "unknown"
        }
        line.put(name)
    }

    /// tcpdump's `in_cksum_shouldbe`: the checksum field a packet should have had, from the field and the sum
    /// computed over the packet with it.
    static func checksumShouldBe(_ found: UInt16, _ computed: UInt16) -> UInt16 {
        var value = UInt32(found) + UInt32(computed)
        value = (value & 0xFFFF) + (value >> 16)
        value = (value & 0xFFFF) + (value >> 16)
        return UInt16(truncatingIfNeeded: value)
    }

    // MARK: Transport demultiplexing

    /// tcpdump's `ip_demux_print`: `bytes` is the transport layer, cut where the IP datagram ends.
    mutating func appendTransport(_ bytes: CapturedBytes, protocol number: IPProtocolNumber, context: IPContext,
                                  to line: inout [UInt8]) {
        switch number {
        case .tcp:
            appendTCP(bytes, context: context, to: &line)
        case .udp:
            appendUDP(bytes, context: context, to: &line)
        case .icmp where !context.isIPv6:
            appendICMP(bytes, length: context.length, fragmented: context.fragmented, to: &line)
        case .igmp where !context.isIPv6:
            appendIGMP(bytes, length: context.length, to: &line)
        case .icmpv6 where context.isIPv6:
            appendICMPv6(bytes, context: context, to: &line)
        case .noNextHeader where context.isIPv6:
            line.put("no next header")
        default:
            line.put(" ip-proto-"); line.putDecimal(number.rawValue); line.put(" "); line.putDecimal(context.length)
        }
    }
}
