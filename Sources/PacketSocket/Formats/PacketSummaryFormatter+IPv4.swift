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
        guard bytes.has(1) else { line.put(" [|ip]"); return }
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
            appendICMP(bytes, length: context.length, to: &line)
        case .igmp where !context.isIPv6:
            appendIGMP(bytes, length: context.length, to: &line)
        case .icmpv6 where context.isIPv6:
            appendICMPv6(bytes, length: context.length, to: &line)
        case .noNextHeader where context.isIPv6:
            line.put("no next header")
        default:
            line.put(" ip-proto-"); line.putDecimal(number.rawValue); line.put(" "); line.putDecimal(context.length)
        }
    }
}
