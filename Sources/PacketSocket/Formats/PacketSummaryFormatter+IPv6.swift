/// IPv6 and its extension headers, after tcpdump's `ip6_print`, `frag6_print` and `rt6_print` at the default
/// verbosity.
extension PacketSummaryFormatter {
    /// `length` is what the link layer says the packet holds.
    mutating func appendIPv6(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard bytes.has(IPv6Header.length) else { line.put(" [|ip6]"); return }
        guard length >= IPv6Header.length else { line.put("truncated-ip6 "); line.putDecimal(length); return }
        if !printsLinkLevelHeader { line.put("IP6 ") }
        guard let ip = bytes.ipv6FixedHeader() else {
            line.put("version error: "); line.putDecimal(bytes.u8(0) >> 4); line.put(" != 6")
            return
        }
        var remaining = length + IPv6Header.length
        if ip.payloadLength != 0 {
            remaining = Int(ip.payloadLength) + IPv6Header.length
            if length < remaining {
                line.put("truncated-ip6 - "); line.putDecimal(remaining - length); line.put(" bytes missing!")
            }
        }
        if verbose { Self.appendIPv6Fields(ip, to: &line) }
        let context = IPContext(isIPv6: true, source6: ip.source, destination6: ip.destination, fixedHeaderProtocol: ip.nextHeader)
        appendIPv6Chain(bytes.prefix(remaining), header: ip, remaining: remaining, context: context, to: &line)
    }

    /// tcpdump's walk over the extension headers (each worded as it comes), then the transport.
    private mutating func appendIPv6Chain(_ packet: CapturedBytes, header ip: IPv6Header, remaining total: Int,
                                          context: IPContext, to line: inout [UInt8]) {
        var context = context
        var next = ip.nextHeader
        var position = 0, advance = IPv6Header.length, remaining = total
        while position < packet.count && advance > 0 {
            guard remaining >= advance else { line.put(" [|ip6]"); return }
            position += advance
            remaining -= advance
            if position == IPv6Header.length && IPContext.printsAddressesFirst(next) { context.putAddresses(&line); line.put(": ") }
            let header = packet.dropFirst(position)
            switch next {
            case .hopByHopOptions where position != IPv6Header.length:
                line.put("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)")
                return
            case .hopByHopOptions, .destinationOptions:
                guard let size = appendOptionsHeader(header, next, to: &line) else { return }
                advance = size
            case .fragment:
                guard let size = appendFragmentHeader(header, position: position, payloadLength: Int(ip.payloadLength), to: &line) else { return }
                advance = size
                context.fragmented = true
            case .routing:
                guard let size = appendRoutingHeader(header, to: &line) else { return }
                advance = size
                context.routedDestination6 = Self.finalDestination(header, size: size)
            default:
                context.length = remaining
                appendTransport(header, protocol: next, context: context, to: &line)
                return
            }
            next = IPProtocolNumber(header.u8(0))
        }
    }

    /// Hop-by-hop or destination options: `HBH ` / `DSTOPT `; the header's size, nil when cut.
    private func appendOptionsHeader(_ header: CapturedBytes, _ kind: IPProtocolNumber, to line: inout [UInt8]) -> Int? {
        guard header.has(2) else { line.put(" [|ip6]"); return nil }
        let size = (Int(header.u8(1)) + 1) * 8
        guard header.has(size) else { line.put(" [|ip6]"); return nil }
        line.put(kind == .hopByHopOptions ? "HBH " : "DSTOPT ")
        if verbose && !appendIPv6Options(header.prefix(size).dropFirst(2), count: size - 2, to: &line) {
            line.put(kind == .hopByHopOptions ? " [|hbhopt]" : " [|dstopt]")
            return nil
        }
        return size
    }

    /// tcpdump's `-v` fields: `(class 0x10, flowlabel 0x12345, hlim 64, next-header UDP (17) payload length: 12) `.
    private static func appendIPv6Fields(_ ip: IPv6Header, to line: inout [UInt8]) {
        line.put("(")
        if ip.trafficClass != 0 { line.put("class 0x"); line.putHex(ip.trafficClass, digits: 2); line.put(", ") }
        if ip.flowLabel != 0 { line.put("flowlabel 0x"); line.putHex(ip.flowLabel, digits: 5); line.put(", ") }
        line.put("hlim "); line.putDecimal(ip.hopLimit)
        line.put(", next-header "); putProtocolName(ip.nextHeader, &line)
        line.put(" ("); line.putDecimal(ip.nextHeader.rawValue); line.put(") payload length: "); line.putDecimal(ip.payloadLength)
        line.put(") ")
    }

    /// tcpdump's `ip6_opt_process` at `-v`: `(padn)`, `(rtalert: 0x0000) `, `(opt_type 0x1e: len=2)`…, then a
    /// space; false when an option runs past the header (the printer's words for it already printed).
    private func appendIPv6Options(_ options: CapturedBytes, count: Int, to line: inout [UInt8]) -> Bool {
        var position = 0
        while position < count {
            let type = options.u8(position)
            var size = 1
            if type != 0 {
                guard position + 1 < count else { return false }
                size = Int(options.u8(position + 1)) + 2
            }
            guard position + size <= count else { return false }
            switch type {
            case 0: line.put("(pad1)")
            case 1: line.put("(padn)")
            case 5:
                guard size == 4 else {
                    line.put("(rtalert: invalid len "); line.putDecimal(options.u8(position + 1)); line.put(")")
                    return false
                }
                line.put("(rtalert: 0x"); line.putHex(options.u16(position + 2), digits: 4); line.put(") ")
            default:
                line.put("(opt_type 0x"); line.putHex(type, digits: 2); line.put(": len="); line.putDecimal(options.u8(position + 1)); line.put(")")
            }
            position += size
        }
        line.put(" ")
        return true
    }

    /// tcpdump's `frag6_print`: `frag (offset|length) `; 8, or nil when the line ends here (a later fragment,
    /// or nothing captured after the header).
    private func appendFragmentHeader(_ header: CapturedBytes, position: Int, payloadLength: Int, to line: inout [UInt8]) -> Int? {
        guard let fragment = header.ipv6FragmentHeader() else { line.put(" [|frag6]"); return nil }
        line.put("frag (")
        if verbose { line.put("0x"); line.putHex(fragment.identification, digits: 8); line.put(":") }
        line.putDecimal(UInt32(fragment.offset) << 3); line.put("|")
        line.putDecimal(IPv6Header.length + payloadLength - position - 8); line.put(")")
        guard fragment.offset == 0 else { return nil }
        line.put(" ")
        return header.has(9) ? 8 : nil
    }

    /// tcpdump's `rt6_print`: types 0, 2 and 4 (segment routing); the header's size, nil when the line ends here.
    private func appendRoutingHeader(_ header: CapturedBytes, to line: inout [UInt8]) -> Int? {
        line.put("RT6")
        guard header.has(4) else { line.put(" [|rt6]"); return nil }
        let length = Int(header.u8(1)), type = header.u8(2)
        line.put(" (len="); line.putDecimal(length)
        line.put(", type="); line.putDecimal(type)
        if type == 0 { line.put(" [Deprecated]") }
        line.put(", segleft="); line.putDecimal(header.u8(3))
        guard appendRoutingFields(header, type: type, to: &line) else { return nil }
        guard length % 2 == 0 else {
            line.put(" (invalid length "); line.putDecimal(length); line.put(") (invalid)")
            return nil
        }
        for index in 0..<(length / 2) {
            let address = 8 + index * 16
            guard header.has(address + 16) else { line.put(" [|rt6]"); return nil }
            line.put(", ["); line.putDecimal(index); line.put("]"); line.putIPv6(header.ipv6(address))
        }
        line.put(") ")
        return (length + 1) * 8
    }

    /// tcpdump's `ip6_finddst`: the last address of a type 0 routing header, the first segment of a type 4 one.
    private static func finalDestination(_ header: CapturedBytes, size: Int) -> IPv6Address? {
        let length = Int(header.u8(1))
        switch header.u8(2) {
        case 0 where length % 2 == 0 && length > 0 && header.has(8 + length / 2 * 16): return header.ipv6(8 + (length / 2 - 1) * 16)
        case 4 where length % 2 == 0 && header.has(24): return header.ipv6(8)
        default: return nil
        }
    }

    /// The type-specific second word of a routing header; false when the line ends here.
    private func appendRoutingFields(_ header: CapturedBytes, type: UInt8, to line: inout [UInt8]) -> Bool {
        switch type {
        case 0, 2:
            guard header.has(8) else { line.put(" [|rt6]"); return false }
            let reserved = header.u32(4)
            if reserved != 0 || verbose { line.put(", rsv=0x"); line.putHex(reserved) }
        case 4:
            guard header.has(8) else { line.put(" [|rt6]"); return false }
            line.put(", last-entry="); line.putDecimal(header.u8(4))
            let flags = header.u8(5)
            if flags != 0 || verbose { line.put(", flags=0x"); line.putHex(flags) }
            line.put(", tag="); line.putHex(header.u16(6))
        default:
            line.put(" (unknown type) (invalid)")
            return false
        }
        return true
    }
}
