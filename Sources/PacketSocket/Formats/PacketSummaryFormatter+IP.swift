/// The network and transport layers of the summary, following tcpdump's `ip_print`, `ip6_print`, `udp_print`,
/// `tcp_print`, `icmp_print` and `icmp6_print` for the default verbosity.
extension PacketSummaryFormatter {
    /// The IP header a transport printer needs: the addresses and whether the fixed header's protocol field
    /// names the transport itself (tcpdump prints only the ports after IPv6 extension headers).
    struct IPContext {
        var isIPv6: Bool
        var source4 = IPv4Address.any, destination4 = IPv4Address.any
        var source6 = IPv6Address.unspecified, destination6 = IPv6Address.unspecified
        var fixedHeaderProtocol: IPProtocolNumber

        func putAddresses(_ line: inout [UInt8]) {
            if isIPv6 { line.putIPv6(source6); line.put(" > "); line.putIPv6(destination6) }
            else { line.putIPv4(source4); line.put(" > "); line.putIPv4(destination4) }
        }

        func putAddressesAndPorts(_ protocolNumber: IPProtocolNumber, _ sourcePort: UInt16, _ destinationPort: UInt16, _ line: inout [UInt8]) {
            if fixedHeaderProtocol == protocolNumber {
                if isIPv6 { line.putIPv6(source6) } else { line.putIPv4(source4) }
                line.put("."); line.putDecimal(sourcePort); line.put(" > ")
                if isIPv6 { line.putIPv6(destination6) } else { line.putIPv4(destination4) }
                line.put("."); line.putDecimal(destinationPort); line.put(": ")
            } else {
                line.putDecimal(sourcePort); line.put(" > "); line.putDecimal(destinationPort); line.put(": ")
            }
        }
    }

    // MARK: IPv4

    mutating func appendIPv4(_ buffer: UnsafeRawBufferPointer, at offset: Int, length: Int, to line: inout [UInt8]) {
        guard buffer.count > offset else { line.put(" [|ip]"); return }
        let version = buffer.u8(offset) >> 4
        guard version == 4 else {
            if version == 6 { line.put("IP6, wrong link-layer encapsulation (invalid)") }
            else { line.put("IP"); line.putDecimal(version); line.put(" (invalid)") }
            return
        }
        if !printsLinkLevelHeader { line.put("IP ") }
        guard buffer.count - offset >= 20 else { line.put(" [|ip]"); return }
        guard length >= 20 else { line.put("truncated-ip "); line.putDecimal(length); return }
        let headerLength = Int(buffer.u8(offset) & 0x0F) * 4
        guard headerLength >= 20 else { line.put("bad-hlen "); line.putDecimal(headerLength); return }
        let totalLength = Int(buffer.u16(offset + 2))
        if length < totalLength {
            line.put("truncated-ip - "); line.putDecimal(totalLength - length); line.put(" bytes missing! ")
        }
        guard totalLength >= headerLength else { line.put("bad-len "); line.putDecimal(totalLength); return }
        let end = min(buffer.count, offset + totalLength)
        let fragmentField = buffer.u16(offset + 6)
        let protocolNumber = IPProtocolNumber(buffer.u8(offset + 9))
        let context = IPContext(isIPv6: false, source4: IPv4Address(buffer, at: offset + 12),
                                destination4: IPv4Address(buffer, at: offset + 16), fixedHeaderProtocol: protocolNumber)
        if fragmentField & 0x1FFF == 0 {
            if protocolNumber != .tcp && protocolNumber != .udp && protocolNumber != .sctp && protocolNumber.rawValue != 33 {
                context.putAddresses(&line); line.put(": ")
            }
            guard end >= offset + headerLength else { line.put(" [|ip]"); return }
            appendTransport(buffer, at: offset + headerLength, end: end, length: totalLength - headerLength,
                            protocol: protocolNumber, fragmented: fragmentField & 0x2000 != 0, context: context, to: &line)
        } else {
            context.putAddresses(&line)
            line.put(": ip-proto-"); line.putDecimal(protocolNumber.rawValue)
        }
    }

    // MARK: IPv6

    mutating func appendIPv6(_ buffer: UnsafeRawBufferPointer, at offset: Int, length: Int, to line: inout [UInt8]) {
        guard buffer.count - offset >= IPv6Header.length else { line.put(" [|ip6]"); return }
        guard length >= IPv6Header.length else { line.put("truncated-ip6 "); line.putDecimal(length); return }
        if !printsLinkLevelHeader { line.put("IP6 ") }
        let version = buffer.u8(offset) >> 4
        guard version == 6 else { line.put("version error: "); line.putDecimal(version); line.put(" != 6"); return }
        let payloadLength = Int(buffer.u16(offset + 4))
        var remaining: Int
        if payloadLength != 0 {
            remaining = payloadLength + IPv6Header.length
            if length < remaining {
                line.put("truncated-ip6 - "); line.putDecimal(remaining - length); line.put(" bytes missing!")
            }
        } else {
            remaining = length + IPv6Header.length
        }
        let end = min(buffer.count, offset + remaining)
        var next = IPProtocolNumber(buffer.u8(offset + 6))
        let context = IPContext(isIPv6: true, source6: IPv6Address(buffer, at: offset + 8),
                                destination6: IPv6Address(buffer, at: offset + 24), fixedHeaderProtocol: next)
        var position = offset
        var advance = IPv6Header.length
        var fragmented = false
        var foundHopByHop = false
        while position < end && advance > 0 {
            guard remaining >= advance else { line.put(" [|ip6]"); return }
            position += advance
            remaining -= advance
            if position == offset + IPv6Header.length && next != .tcp && next != .udp && next != .sctp && next.rawValue != 33 {
                context.putAddresses(&line); line.put(": ")
            }
            switch next {
            case .hopByHopOptions, .destinationOptions:
                if next == .hopByHopOptions {
                    guard !foundHopByHop, position == offset + IPv6Header.length else {
                        line.put("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)")
                        return
                    }
                    foundHopByHop = true
                }
                guard end - position >= 2 else { line.put(" [|ip6]"); return }
                advance = (Int(buffer.u8(position + 1)) + 1) * 8
                guard end - position >= advance else { line.put(" [|ip6]"); return }
                line.put(next == .hopByHopOptions ? "HBH " : "DSTOPT ")
                next = IPProtocolNumber(buffer.u8(position))
            case .fragment:
                guard end - position >= 8 else { line.put(" [|frag6]"); return }
                let fragmentOffset = buffer.u16(position + 2) & 0xFFF8
                line.put("frag ("); line.putDecimal(fragmentOffset); line.put("|")
                line.putDecimal(IPv6Header.length + payloadLength - (position - offset) - 8); line.put(")")
                guard fragmentOffset == 0 else { return }
                line.put(" ")
                advance = 8
                guard end > position + advance else { return }
                next = IPProtocolNumber(buffer.u8(position))
                fragmented = true
            case .routing:
                guard let length = appendRoutingHeader(buffer, at: position, end: end, to: &line) else { return }
                advance = length
                next = IPProtocolNumber(buffer.u8(position))
            default:
                appendTransport(buffer, at: position, end: end, length: remaining, protocol: next,
                                fragmented: fragmented, context: context, to: &line)
                return
            }
        }
    }

    /// tcpdump's `rt6_print`: types 0, 2 and 4 (segment routing); nil when the line ends here.
    private func appendRoutingHeader(_ buffer: UnsafeRawBufferPointer, at position: Int, end: Int, to line: inout [UInt8]) -> Int? {
        line.put("RT6")
        guard end - position >= 4 else { line.put(" [|rt6]"); return nil }
        let length = Int(buffer.u8(position + 1)), type = buffer.u8(position + 2)
        line.put(" (len="); line.putDecimal(length)
        line.put(", type="); line.putDecimal(type)
        if type == 0 { line.put(" [Deprecated]") }
        line.put(", segleft="); line.putDecimal(buffer.u8(position + 3))
        switch type {
        case 0, 2:
            guard end - position >= 8 else { line.put(" [|rt6]"); return nil }
            let reserved = buffer.u32(position + 4)
            if reserved != 0 { line.put(", rsv=0x"); TextBuffer.appendHex(reserved, to: &line) }
        case 4:
            guard end - position >= 8 else { line.put(" [|rt6]"); return nil }
            line.put(", last-entry="); line.putDecimal(buffer.u8(position + 4))
            let flags = buffer.u8(position + 5)
            if flags != 0 { line.put(", flags=0x"); TextBuffer.appendHex(flags, to: &line) }
            line.put(", tag="); TextBuffer.appendHex(buffer.u16(position + 6), to: &line)
        default:
            line.put(" (unknown type) (invalid)")
            return nil
        }
        guard length % 2 == 0 else {
            line.put(" (invalid length "); line.putDecimal(length); line.put(") (invalid)")
            return nil
        }
        for index in 0..<(length / 2) {
            let address = position + 8 + index * 16
            guard end - address >= 16 else { line.put(" [|rt6]"); return nil }
            line.put(", ["); line.putDecimal(index); line.put("]"); line.putIPv6(IPv6Address(buffer, at: address))
        }
        line.put(") ")
        return (length + 1) * 8
    }

    // MARK: Transport demultiplexing

    /// tcpdump's `ip_demux_print`: `length` is the IP payload length, `end` where the captured bytes stop.
    private mutating func appendTransport(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int,
                                          protocol number: IPProtocolNumber, fragmented: Bool, context: IPContext,
                                          to line: inout [UInt8]) {
        switch number {
        case .tcp:
            appendTCP(buffer, at: offset, end: end, length: length, context: context, to: &line)
        case .udp:
            appendUDP(buffer, at: offset, end: end, length: length, fragmented: fragmented, context: context, to: &line)
        case .icmp where !context.isIPv6:
            appendICMP(buffer, at: offset, end: end, length: length, to: &line)
        case .igmp where !context.isIPv6:
            appendIGMP(buffer, at: offset, end: end, length: length, to: &line)
        case .icmpv6 where context.isIPv6:
            appendICMPv6(buffer, at: offset, end: end, length: length, to: &line)
        case .noNextHeader where context.isIPv6:
            line.put("no next header")
        default:
            line.put(" ip-proto-"); line.putDecimal(number.rawValue); line.put(" "); line.putDecimal(length)
        }
    }

    // MARK: UDP

    private func appendUDP(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int, fragmented: Bool,
                           context: IPContext, to line: inout [UInt8]) {
        guard end - offset >= 4 else {
            if context.fixedHeaderProtocol == .udp { context.putAddresses(&line); line.put(": ") }
            line.put(" [|udp]")
            return
        }
        let sourcePort = buffer.u16(offset), destinationPort = buffer.u16(offset + 2)
        guard length >= 8 else {
            context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
            line.put("truncated-udp "); line.putDecimal(length)
            return
        }
        guard end - offset >= 6 else {
            context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
            line.put(" [|udp]")
            return
        }
        var udpLength = Int(buffer.u16(offset + 4))
        if udpLength == 0 && length > 65535 { udpLength = length }
        guard udpLength >= 8 else {
            context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
            line.put("truncated-udplength "); line.putDecimal(udpLength)
            return
        }
        udpLength -= 8
        var payloadLength = length - 8
        if udpLength < payloadLength { payloadLength = udpLength }
        context.putAddressesAndPorts(.udp, sourcePort, destinationPort, &line)
        guard offset + 8 <= end else { line.put(" [|udp]"); return }
        switch Self.udpApplication(sourcePort, destinationPort) {
        case .dns:
            appendDNS(buffer, at: offset + 8, end: end, length: payloadLength, multicast: false, to: &line)
            return
        case .multicastDNS:
            appendDNS(buffer, at: offset + 8, end: end, length: payloadLength, multicast: true, to: &line)
            return
        case .bootp:
            appendBOOTP(buffer, at: offset + 8, end: end, length: payloadLength, to: &line)
            return
        case .ntp:
            guard end > offset + 8 else { line.put(" [|ntp]"); return }
            let status = buffer.u8(offset + 8)
            line.put("NTPv"); line.putDecimal((status >> 3) & 7); line.put(", ")
            switch status & 7 {
            case 0: line.put("unspecified")
            case 1: line.put("symmetric active")
            case 2: line.put("symmetric passive")
            case 3: line.put("Client")
            case 4: line.put("Server")
            case 5: line.put("Broadcast")
            case 6: line.put("Control Message")
            default: line.put("Reserved")
            }
            line.put(", length "); line.putDecimal(payloadLength)
            return
        case .generic:
            break
        }
        if udpLength > payloadLength && !fragmented {
            line.put("UDP, bad length "); line.putDecimal(udpLength); line.put(" > "); line.putDecimal(payloadLength)
        } else {
            line.put("UDP, length "); line.putDecimal(udpLength)
        }
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
    private func appendBOOTP(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int, to line: inout [UInt8]) {
        guard end - offset >= 1 else { line.put(" [|bootp]"); return }
        let operation = buffer.u8(offset)
        line.put("BOOTP/DHCP, ")
        switch operation {
        case 1: line.put("Request")
        case 2: line.put("Reply")
        default: line.put("unknown (0x"); TextBuffer.appendHex(operation, width: 2, to: &line); line.put(")")
        }
        guard end - offset >= 3 else { line.put(" [|bootp]"); return }
        if buffer.u8(offset + 1) == 1 && buffer.u8(offset + 2) == 6 && operation == 1 {
            guard end - offset >= 34 else { line.put(" [|bootp]"); return }
            line.put(" from "); TextBuffer.appendMAC(MACAddress(buffer, at: offset + 28), to: &line)
        }
        line.put(", length "); line.putDecimal(length)
    }

    // MARK: TCP

    private mutating func appendTCP(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int,
                                    context: IPContext, to line: inout [UInt8]) {
        guard end - offset >= 4 else {
            context.putAddresses(&line); line.put(":"); line.put(" [|tcp]")
            return
        }
        let sourcePort = buffer.u16(offset), destinationPort = buffer.u16(offset + 2)
        context.putAddressesAndPorts(.tcp, sourcePort, destinationPort, &line)
        guard end - offset >= 20 else { line.put(" [|tcp]"); return }
        var headerLength = Int(buffer.u8(offset + 12) >> 4) * 4
        guard headerLength >= 20 else {
            line.put(" tcp "); line.putDecimal(UInt32(truncatingIfNeeded: length - headerLength))
            line.put(" [bad hdr length "); line.putDecimal(headerLength); line.put(" - too short, < 20]")
            return
        }
        var sequence = buffer.u32(offset + 4), acknowledgment = buffer.u32(offset + 8)
        let window = buffer.u16(offset + 14), urgent = buffer.u16(offset + 18)
        let flags = buffer.u8(offset + 13)
        line.put("Flags [")
        if flags == 0 { line.put("none") }
        if flags & 0x01 != 0 { line.put("F") }
        if flags & 0x02 != 0 { line.put("S") }
        if flags & 0x04 != 0 { line.put("R") }
        if flags & 0x08 != 0 { line.put("P") }
        if flags & 0x10 != 0 { line.put(".") }
        if flags & 0x20 != 0 { line.put("U") }
        if flags & 0x40 != 0 { line.put("E") }
        if flags & 0x80 != 0 { line.put("W") }
        line.put("]")
        var reversed = false
        var baseSequence: UInt32 = 0, baseAcknowledgment: UInt32 = 0
        if !printsAbsoluteSequenceNumbers && flags & 0x10 != 0 {
            // tcpdump's conversation table: one entry for both directions, keyed in a canonical order.
            var sourceHigh: UInt64, sourceLow: UInt64, destinationHigh: UInt64, destinationLow: UInt64
            if context.isIPv6 {
                (sourceHigh, sourceLow) = (context.source6.high, context.source6.low)
                (destinationHigh, destinationLow) = (context.destination6.high, context.destination6.low)
            } else {
                (sourceHigh, sourceLow) = (0, UInt64(context.source4.rawValue))
                (destinationHigh, destinationLow) = (0, UInt64(context.destination4.rawValue))
            }
            if sourcePort > destinationPort {
                reversed = true
            } else if sourcePort == destinationPort {
                reversed = (sourceHigh, sourceLow) > (destinationHigh, destinationLow)
            }
            let key = reversed
                ? TCPConversationKey(sourceHigh: destinationHigh, sourceLow: destinationLow, destinationHigh: sourceHigh,
                                     destinationLow: sourceLow, ports: UInt32(destinationPort) << 16 | UInt32(sourcePort), isIPv6: context.isIPv6)
                : TCPConversationKey(sourceHigh: sourceHigh, sourceLow: sourceLow, destinationHigh: destinationHigh,
                                     destinationLow: destinationLow, ports: UInt32(sourcePort) << 16 | UInt32(destinationPort), isIPv6: context.isIPv6)
            let start: TCPConversationStart
            if let known = conversations[key], flags & 0x02 == 0 {
                start = known
                if reversed {
                    sequence &-= known.acknowledgment; acknowledgment &-= known.sequence
                } else {
                    sequence &-= known.sequence; acknowledgment &-= known.acknowledgment
                }
            } else {
                start = reversed
                    ? TCPConversationStart(sequence: acknowledgment &- 1, acknowledgment: sequence)
                    : TCPConversationStart(sequence: sequence, acknowledgment: acknowledgment &- 1)
                conversations[key] = start
            }
            baseSequence = start.sequence
            baseAcknowledgment = start.acknowledgment
        }
        guard headerLength <= length else {
            line.put(" [bad hdr length "); line.putDecimal(headerLength); line.put(" - too long, > "); line.putDecimal(length); line.put("]")
            return
        }
        let dataLength = length - headerLength
        if dataLength > 0 || flags & 0x07 != 0 {
            line.put(", seq "); line.putDecimal(sequence)
            if dataLength > 0 { line.put(":"); line.putDecimal(sequence &+ UInt32(truncatingIfNeeded: dataLength)) }
        }
        if flags & 0x10 != 0 { line.put(", ack "); line.putDecimal(acknowledgment) }
        line.put(", win "); line.putDecimal(window)
        if flags & 0x20 != 0 { line.put(", urg "); line.putDecimal(urgent) }
        if headerLength > 20 {
            headerLength -= 20
            line.put(", options [")
            guard appendTCPOptions(buffer, at: offset + 20, count: headerLength, end: end, reversed: reversed,
                                   baseSequence: baseSequence, baseAcknowledgment: baseAcknowledgment, to: &line) else { return }
            line.put("]")
        }
        line.put(", length "); line.putDecimal(dataLength)
        guard dataLength > 0 else { return }
        let fullHeaderLength = Int(buffer.u8(offset + 12) >> 4) * 4
        guard end - offset >= fullHeaderLength else {
            line.put(" [remaining caplen("); line.putDecimal(end - offset); line.put(") < header length(")
            line.putDecimal(fullHeaderLength); line.put(")]"); line.put(" [|tcp]")
            return
        }
        switch Self.tcpApplication(sourcePort, destinationPort) {
        case .ssh:
            appendSSH(buffer, at: offset + fullHeaderLength, end: end, length: dataLength, to: &line)
        case .http:
            line.put(": ")
            appendHTTP(buffer, at: offset + fullHeaderLength, end: end, length: dataLength, to: &line)
        case .dns:
            appendDNSOverTCP(buffer, at: offset + fullHeaderLength, end: end, length: dataLength, to: &line)
        case .generic:
            break
        }
    }

    /// tcpdump's LENCHECK: whether `needed` data bytes are within the options and were captured.
    private enum OptionCheck { case ok, bad, truncated }

    private static func check(_ needed: Int, left: Int, cursor: Int, end: Int) -> OptionCheck {
        if needed > left { return .bad }
        if cursor + needed > end { return .truncated }
        return .ok
    }

    /// Ends the options on a failed check the way tcpdump does; always false.
    private static func stop(_ result: OptionCheck, first: Bool, _ line: inout [UInt8]) -> Bool {
        if result == .truncated {
            line.put(" [|tcp]")
        } else {
            line.put("[bad opt]")
            if !first { line.put("]") }
        }
        return false
    }

    /// tcpdump's option loop; false when it stopped the line (`[bad opt]` or truncation).
    private func appendTCPOptions(_ buffer: UnsafeRawBufferPointer, at start: Int, count: Int, end: Int, reversed: Bool,
                                  baseSequence: UInt32, baseAcknowledgment: UInt32, to line: inout [UInt8]) -> Bool {
        var cursor = start
        var left = count
        var first = true
        while left > 0 {
            if !first { line.put(",") }
            guard cursor < end else { return Self.stop(.truncated, first: first, &line) }
            let kind = buffer.u8(cursor)
            cursor += 1
            let length: Int
            if kind == 0 || kind == 1 {
                length = 1
            } else {
                guard cursor < end else { return Self.stop(.truncated, first: first, &line) }
                length = Int(buffer.u8(cursor))
                cursor += 1
                guard length >= 2, length <= left else { return Self.stop(.bad, first: first, &line) }
                left -= 1
            }
            left -= 1
            var dataLength = 0
            switch kind {
            case 0: line.put("eol")
            case 1: line.put("nop")
            case 2, 3:
                line.put(kind == 2 ? "mss" : "wscale")
                dataLength = kind == 2 ? 2 : 1
                let result = Self.check(dataLength, left: left, cursor: cursor, end: end)
                guard result == .ok else { return Self.stop(result, first: first, &line) }
                line.put(" "); line.putDecimal(kind == 2 ? UInt32(buffer.u16(cursor)) : UInt32(buffer.u8(cursor)))
            case 4: line.put("sackOK")
            case 5:
                line.put("sack")
                dataLength = length - 2
                if dataLength % 8 != 0 {
                    line.put(" invalid sack")
                } else {
                    line.put(" "); line.putDecimal(dataLength / 8); line.put(" ")
                    var index = 0
                    while index < dataLength {
                        let result = Self.check(index + 8, left: left, cursor: cursor, end: end)
                        guard result == .ok else { return Self.stop(result, first: first, &line) }
                        let base = reversed ? baseSequence : baseAcknowledgment
                        let leftEdge = buffer.u32(cursor + index) &- base, rightEdge = buffer.u32(cursor + index + 4) &- base
                        line.put("{"); line.putDecimal(leftEdge); line.put(":"); line.putDecimal(rightEdge); line.put("}")
                        index += 8
                    }
                }
            case 8:
                line.put("TS")
                dataLength = 8
                let result = Self.check(dataLength, left: left, cursor: cursor, end: end)
                guard result == .ok else { return Self.stop(result, first: first, &line) }
                line.put(" val "); line.putDecimal(buffer.u32(cursor)); line.put(" ecr "); line.putDecimal(buffer.u32(cursor + 4))
            default:
                // Kinds with a dedicated tcpdump printer (MD5, UTO, MPTCP, TFO...) print as unknown here.
                line.put("unknown-"); line.putDecimal(kind)
                dataLength = length - 2
                if dataLength > 0 { line.put(" 0x") }
                for index in 0..<dataLength {
                    let result = Self.check(index + 1, left: left, cursor: cursor, end: end)
                    guard result == .ok else { return Self.stop(result, first: first, &line) }
                    TextBuffer.appendHex(buffer.u8(cursor + index), width: 2, to: &line)
                }
            }
            cursor += dataLength
            left -= dataLength
            let expected = dataLength + (kind == 0 || kind == 1 ? 1 : 2)
            if expected != length { line.put("[len "); line.putDecimal(length); line.put("]") }
            first = false
            if kind == 0 { break }
        }
        return true
    }
}
