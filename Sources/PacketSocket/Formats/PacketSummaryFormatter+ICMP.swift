/// ICMP and ICMPv6 wording, after tcpdump's `icmp_print` and `icmp6_print` at the default verbosity.
extension PacketSummaryFormatter {
    /// `length` is the ICMP message length (the IP payload), `end` where the captured bytes stop.
    func appendICMP(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int, to line: inout [UInt8]) {
        guard end - offset >= 2 else { line.put(" [|icmp]"); return }
        let type = buffer.u8(offset), code = buffer.u8(offset + 1)
        /// Whether `count` bytes from `offset` were captured.
        func has(_ count: Int) -> Bool { end - offset >= count }
        /// The quoted packet's destination address (inner IP header at +8).
        func quotedDestination() -> IPv4Address? { has(8 + 20) ? IPv4Address(buffer, at: offset + 8 + 16) : nil }
        let mark = line.count
        line.put("ICMP ")
        switch type {
        case 0, 8:
            guard has(8) else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            line.put(type == 8 ? "echo request" : "echo reply")
            line.put(", id "); line.putDecimal(buffer.u16(offset + 4))
            line.put(", seq "); line.putDecimal(buffer.u16(offset + 6))
        case 3:
            guard let destination = quotedDestination() else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            switch code {
            case 0: line.put("net "); line.putIPv4(destination); line.put(" unreachable")
            case 1: line.put("host "); line.putIPv4(destination); line.put(" unreachable")
            case 2:
                line.putIPv4(destination); line.put(" protocol "); line.putDecimal(buffer.u8(offset + 8 + 9)); line.put(" unreachable")
            case 3:
                let innerHeader = Int(buffer.u8(offset + 8) & 0x0F) * 4
                guard has(8 + innerHeader + 4) else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
                let port = buffer.u16(offset + 8 + innerHeader + 2)
                let innerProtocol = buffer.u8(offset + 8 + 9)
                line.putIPv4(destination)
                switch innerProtocol {
                case 6: line.put(" tcp port "); line.putDecimal(port); line.put(" unreachable")
                case 17: line.put(" udp port "); line.putDecimal(port); line.put(" unreachable")
                default:
                    line.put(" protocol "); line.putDecimal(innerProtocol); line.put(" port "); line.putDecimal(port); line.put(" unreachable")
                }
            case 4:
                let mtu = buffer.u16(offset + 6)
                line.putIPv4(destination); line.put(" unreachable - need to frag")
                if mtu != 0 { line.put(" (mtu "); line.putDecimal(mtu); line.put(")") }
            case 5: line.putIPv4(destination); line.put(" unreachable - source route failed")
            case 6: line.put("net "); line.putIPv4(destination); line.put(" unreachable - unknown")
            case 7: line.put("host "); line.putIPv4(destination); line.put(" unreachable - unknown")
            case 8: line.putIPv4(destination); line.put(" unreachable - source host isolated")
            case 9: line.put("net "); line.putIPv4(destination); line.put(" unreachable - admin prohibited")
            case 10: line.put("host "); line.putIPv4(destination); line.put(" unreachable - admin prohibited")
            case 11: line.put("net "); line.putIPv4(destination); line.put(" unreachable - tos prohibited")
            case 12: line.put("host "); line.putIPv4(destination); line.put(" unreachable - tos prohibited")
            case 13: line.put("host "); line.putIPv4(destination); line.put(" unreachable - admin prohibited filter")
            case 14: line.put("host "); line.putIPv4(destination); line.put(" unreachable - host precedence violation")
            case 15: line.put("host "); line.putIPv4(destination); line.put(" unreachable - precedence cutoff")
            default: line.putIPv4(destination); line.put(" unreachable - #"); line.putDecimal(code)
            }
        case 5:
            guard let destination = quotedDestination() else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            let gateway = IPv4Address(buffer, at: offset + 4)
            switch code {
            case 0: line.put("redirect "); line.putIPv4(destination); line.put(" to net ")
            case 1: line.put("redirect "); line.putIPv4(destination); line.put(" to host ")
            case 2: line.put("redirect-tos "); line.putIPv4(destination); line.put(" to net ")
            case 3: line.put("redirect-tos "); line.putIPv4(destination); line.put(" to host ")
            default: line.put("redirect-#"); line.putDecimal(code); line.put(" "); line.putIPv4(destination); line.put(" to ")
            }
            line.putIPv4(gateway)
        case 11:
            guard quotedDestination() != nil else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            switch code {
            case 0: line.put("time exceeded in-transit")
            case 1: line.put("ip reassembly time exceeded")
            default: line.put("time exceeded-#"); line.putDecimal(code)
            }
        case 12:
            if code != 0 {
                line.put("parameter problem - code "); line.putDecimal(code)
            } else {
                guard has(5) else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
                line.put("parameter problem - octet "); line.putDecimal(buffer.u8(offset + 4))
            }
        case 13:
            guard has(8) else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            line.put("time stamp query id "); line.putDecimal(buffer.u16(offset + 4))
            line.put(" seq "); line.putDecimal(buffer.u16(offset + 6))
        case 14:
            guard has(20) else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            line.put("time stamp reply id "); line.putDecimal(buffer.u16(offset + 4))
            line.put(" seq "); line.putDecimal(buffer.u16(offset + 6))
            line.put(": org "); Self.appendMillisecondsOfDay(buffer.u32(offset + 8), to: &line)
            line.put(", recv "); Self.appendMillisecondsOfDay(buffer.u32(offset + 12), to: &line)
            line.put(", xmit "); Self.appendMillisecondsOfDay(buffer.u32(offset + 16), to: &line)
        case 18:
            guard has(12) else { line.removeSubrange(mark...); line.put(" [|icmp]"); return }
            line.put("address mask is 0x"); TextBuffer.appendHex(buffer.u32(offset + 8), width: 8, to: &line)
        case 4: line.put("source quench")
        case 10: line.put("router solicitation")
        case 15: line.put("information request")
        case 16: line.put("information reply")
        case 17: line.put("address mask request")
        default:
            // Router advertisements have more detail in tcpdump.
            line.put("type-#"); line.putDecimal(type)
        }
        line.put(", length "); line.putDecimal(length)
    }

    /// `length` is the ICMPv6 message length (the upper-layer length), `end` where the captured bytes stop.
    func appendICMPv6(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int, to line: inout [UInt8]) {
        guard length > 0 else { line.put("ICMP6, length 0 (invalid)"); return }
        guard end - offset >= 1 else { line.put(" [|icmp6]"); return }
        func has(_ count: Int) -> Bool { end - offset >= count }
        let type = buffer.u8(offset)
        line.put("ICMP6, ")
        switch type {
        case 1: line.put("destination unreachable")
        case 2: line.put("packet too big")
        case 3: line.put("time exceeded in-transit")
        case 4: line.put("parameter problem")
        case 128: line.put("echo request")
        case 129: line.put("echo reply")
        case 130: line.put("multicast listener query")
        case 131: line.put("multicast listener report")
        case 132: line.put("multicast listener done")
        case 133: line.put("router solicitation")
        case 134: line.put("router advertisement")
        case 135: line.put("neighbor solicitation")
        case 136: line.put("neighbor advertisement")
        case 137: line.put("redirect")
        case 143: line.put("multicast listener report v2")
        default: line.put("unknown icmp6 type ("); line.putDecimal(type); line.put(")")
        }
        guard has(2) else { line.put(" [|icmp6]"); return }
        let code = buffer.u8(offset + 1)
        /// The quoted IPv6 header starts after the 8-byte ICMPv6 header.
        let quoted = offset + 8
        func quotedAddress(_ at: Int) -> IPv6Address? { has(8 + at + 16) ? IPv6Address(buffer, at: quoted + at) : nil }
        switch type {
        case 1:
            switch code {
            case 0: line.put(", unreachable route")
            case 1: line.put(",  unreachable prohibited")
            case 2: line.put(", beyond scope")
            case 3: line.put(", unreachable address")
            case 4: line.put(", unreachable port")
            default: line.put(", unknown unreach code ("); line.putDecimal(code); line.put(")")
            }
            switch code {
            case 0, 1, 3:
                guard let destination = quotedAddress(24) else { line.put(" [|icmp6]"); return }
                line.put(" "); line.putIPv6(destination)
            case 2:
                guard let destination = quotedAddress(24), let source = quotedAddress(8) else { line.put(" [|icmp6]"); return }
                line.put(" "); line.putIPv6(destination); line.put(", source address "); line.putIPv6(source)
            case 4:
                guard let destination = quotedAddress(24), has(8 + 40) else { line.put(" [|icmp6]"); return }
                // The quoted packet's upper layer, after any extension headers.
                var next = IPProtocolNumber(buffer.u8(quoted + 6))
                var position = quoted + 40
                var count = 0
                while next.isIPv6ExtensionHeader && count < IPv6Header.maximumExtensionHeaders {
                    guard end - position >= 2 else { line.put(" [|icmp6]"); return }
                    let size = next == .fragment ? 8 : (Int(buffer.u8(position + 1)) + 1) * 8
                    next = IPProtocolNumber(buffer.u8(position))
                    position += size
                    count += 1
                }
                guard end - position >= 4 else { line.put(" [|icmp6]"); return }
                let port = buffer.u16(position + 2)
                line.put(", "); line.putIPv6(destination)
                switch next {
                case .tcp: line.put(" tcp port "); line.putDecimal(port)
                case .udp: line.put(" udp port "); line.putDecimal(port)
                default:
                    line.put(" protocol "); line.putDecimal(next.rawValue); line.put(" port "); line.putDecimal(port); line.put(" unreachable")
                }
            default:
                break
            }
        case 2:
            guard has(8) else { line.put(" [|icmp6]"); return }
            line.put(", mtu "); line.putDecimal(buffer.u32(offset + 4))
        case 3:
            switch code {
            case 0:
                guard let destination = quotedAddress(24) else { line.put(" [|icmp6]"); return }
                line.put(" for "); line.putIPv6(destination)
            case 1: line.put(" (reassembly)")
            default: line.put(", unknown code ("); line.putDecimal(code); line.put(")")
            }
        case 4:
            guard has(8 + 40) else { line.put(" [|icmp6]"); return }
            let pointer = buffer.u32(offset + 4)
            switch code {
            case 0: line.put(", erroneous - octet ")
            case 1: line.put(", next header - octet ")
            case 2: line.put(", option - octet ")
            case 3: line.put(", incomplete header chain - octet ")
            default: line.put(", code-#"); line.putDecimal(code)
            }
            if code <= 3 { line.putDecimal(pointer) }
        case 128, 129:
            guard has(8) else { line.put(" [|icmp6]"); return }
            line.put(", id "); line.putDecimal(buffer.u16(offset + 4)); line.put(", seq "); line.putDecimal(buffer.u16(offset + 6))
        case 135:
            guard has(24) else { line.put(" [|icmp6]"); return }
            line.put(", who has "); line.putIPv6(IPv6Address(buffer, at: offset + 8))
        case 136:
            guard has(24) else { line.put(" [|icmp6]"); return }
            line.put(", tgt is "); line.putIPv6(IPv6Address(buffer, at: offset + 8))
        case 137:
            guard has(40) else { line.put(" [|icmp6]"); return }
            line.put(", "); line.putIPv6(IPv6Address(buffer, at: offset + 24))
            line.put(" to "); line.putIPv6(IPv6Address(buffer, at: offset + 8))
        case 130 where length != 24:
            // An MLDv2 query (tcpdump's mldv2_query_print without -v).
            guard length >= 28 else { line.put(" unknown-version (len "); line.putDecimal(length); line.put(") "); break }
            line.put(" v2")
            guard has(28) else { line.put(" [|icmp6]"); return }
            line.put(" [gaddr "); line.putIPv6(IPv6Address(buffer, at: offset + 8))
            let sources = Int(buffer.u16(offset + 26))
            if sources > 0 {
                if length < 28 + sources * 16 { line.put(" [invalid number of sources]") }
                else { line.put(", "); line.putDecimal(sources); line.put(" source(s)") }
            }
            line.put("]")
        case 143:
            // An MLDv2 report (tcpdump's mldv2_report_print without -v).
            guard length >= 8 else { line.put(" [invalid len "); line.putDecimal(length); line.put("]"); break }
            guard has(8) else { line.put(" [|icmp6]"); return }
            line.put(", "); line.putDecimal(buffer.u16(offset + 6)); line.put(" group record(s)")
        case 130, 131, 132:
            // MLDv1 (tcpdump's mld6_print, without a separator after the type name).
            guard has(24) else { line.put(" [|icmp6]"); return }
            line.put("max resp delay: "); line.putDecimal(buffer.u16(offset + 4))
            line.put(" addr: "); line.putIPv6(IPv6Address(buffer, at: offset + 8))
        default:
            // Router solicitations and advertisements print nothing more at this verbosity; MLDv2 and
            // unknown types have more detail (or a hex dump) in tcpdump.
            break
        }
        line.put(", length "); line.putDecimal(length)
    }

    /// tcpdump's `icmp_tstamp_print`: milliseconds since midnight as `hh:mm:ss.mmm`.
    static func appendMillisecondsOfDay(_ value: UInt32, to line: inout [UInt8]) {
        let milliseconds = value % 1000
        var seconds = value / 1000
        var minutes = seconds / 60
        seconds -= minutes * 60
        let hours = minutes / 60
        minutes -= hours * 60
        if hours < 10 { line.put("0") }
        line.putDecimal(hours); line.put(":")
        TextBuffer.appendDecimal(minutes / 10, to: &line); TextBuffer.appendDecimal(minutes % 10, to: &line); line.put(":")
        TextBuffer.appendDecimal(seconds / 10, to: &line); TextBuffer.appendDecimal(seconds % 10, to: &line); line.put(".")
        TextBuffer.appendDecimal(milliseconds / 100, to: &line)
        TextBuffer.appendDecimal(milliseconds / 10 % 10, to: &line)
        TextBuffer.appendDecimal(milliseconds % 10, to: &line)
    }
}
