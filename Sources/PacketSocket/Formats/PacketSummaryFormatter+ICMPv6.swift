/// ICMPv6 wording, after tcpdump's `icmp6_print`, `mld6_print` and the MLDv2 printers at the default verbosity.
extension PacketSummaryFormatter {
    /// `bytes` is the ICMPv6 message, cut where the packet ends; `context.length` the upper-layer length.
    mutating func appendICMPv6(_ bytes: CapturedBytes, context: IPContext, to line: inout [UInt8]) {
        let length = context.length
        guard length > 0 else { line.put("ICMP6, length 0 (invalid)"); return }
        if verbose && !context.fragmented && bytes.has(length) {
            let sum = context.pseudoHeader.checksum(protocol: .icmpv6, segment: bytes.bytes(length))
            if sum != 0 {
                let found = bytes.u16(2)
                line.put("[bad icmp6 cksum 0x"); line.putHex(found, digits: 4)
                line.put(" -> 0x"); line.putHex(Self.checksumShouldBe(found, sum), digits: 4); line.put("!] ")
            } else {
                line.put("[icmp6 sum ok] ")
            }
        }
        guard bytes.has(1) else { line.put(" [|icmp6]"); dumpsWholeFrame(); return }
        let type = bytes.u8(0)
        line.put("ICMP6, ")
        if let name = Self.icmp6TypeName(type) { line.put(name) } else {
            line.put("unknown icmp6 type ("); line.putDecimal(type); line.put(")")
        }
        // With -v tcpdump prints the length after the name of the neighbor discovery messages, and after the
        // details only for the types it has no printer for.
        let printer = Self.icmp6TypeName(type) != nil
        if verbose && (133...137).contains(type) { line.put(", length "); line.putDecimal(length) }
        guard bytes.has(2), appendICMPv6Details(bytes, type: type, code: bytes.u8(1), length: length, to: &line) else {
            line.put(" [|icmp6]")
            // The parameter problem's quoted header and the -v neighbor discovery options are checked with
            // ND_TCHECK (the line just ends); the rest is read with GET_ macros.
            let ndFixedPart = type == 133 ? 8 : type == 135 || type == 136 ? 24 : type == 137 ? 40 : nil
            let optionsCut = verbose && ndFixedPart.map { bytes.has($0) } == true
            if type != 4 && !optionsCut { dumpsWholeFrame() }
            return
        }
        if !verbose || !printer { line.put(", length "); line.putDecimal(length) }
    }

    /// `-v`: the neighbor discovery options after a message's fixed part (tcpdump's `icmp6_opt_print`): link-layer
    /// addresses and the MTU are worded; false when an option was cut.
    private func appendNDOptions(_ options: CapturedBytes, count: Int, to line: inout [UInt8]) -> Bool {
        var position = 0, remaining = count
        while position < options.count {
            guard options.has(position + 2) else { return false }
            guard remaining > 0 else { return true }
            let type = options.u8(position), units = Int(options.u8(position + 1))
            guard units != 0, options.has(position + units * 8) else { return false }
            line.put("\n\t  ")
            switch type {
            case 1: line.put("source link-address")
            case 2: line.put("destination link-address")
            case 3: line.put("prefix info")
            case 4: line.put("redirected header")
            case 5: line.put("mtu")
            case 25: line.put("rdnss")
            case 31: line.put("dnssl")
            case 7: line.put("advertisement interval")
            case 8: line.put("homeagent information")
            case 24: line.put("route info")
            default: line.put("unknown")
            }
            line.put(" option ("); line.putDecimal(type); line.put("), length "); line.putDecimal(units * 8)
            line.put(" ("); line.putDecimal(units); line.put("): ")
            switch type {
            case 1, 2:
                for index in 2..<(units * 8) {
                    if index > 2 { line.put(":") }
                    line.putHex(options.u8(position + index), digits: 2)
                }
            case 5:
                line.put(" "); line.putDecimal(options.u32(position + 4))
                if units != 1 { line.put("bad option length") }
            default:
                // tcpdump's other options are not reproduced; an unknown one is dumped in hex and ends the list.
                break
            }
            position += units * 8
            remaining -= units * 8
        }
        return true
    }

    private static func icmp6TypeName(_ type: UInt8) -> StaticString? {
        switch type {
        case 1: return "destination unreachable"
        case 2: return "packet too big"
        case 3: return "time exceeded in-transit"
        case 4: return "parameter problem"
        case 128: return "echo request"
        case 129: return "echo reply"
        case 130: return "multicast listener query"
        case 131: return "multicast listener report"
        case 132: return "multicast listener done"
        case 133: return "router solicitation"
        case 134: return "router advertisement"
        case 135: return "neighbor solicitation"
        case 136: return "neighbor advertisement"
        case 137: return "redirect"
        case 143: return "multicast listener report v2"
        default: return nil
        }
    }

    /// What follows the type's name; false when a field it needs was not captured.
    private func appendICMPv6Details(_ bytes: CapturedBytes, type: UInt8, code: UInt8, length: Int, to line: inout [UInt8]) -> Bool {
        let header = bytes.icmpHeader(ICMPv6.self)
        switch type {
        case 1: return appendICMPv6Unreachable(bytes, code: code, to: &line)
        case 2:
            guard let header else { return false }
            line.put(", mtu "); line.putDecimal(header.restOfHeader)
        case 3:
            switch code {
            case 0:
                guard let destination = Self.quotedIPv6Address(bytes, 24) else { return false }
                line.put(" for "); line.putIPv6(destination)
            case 1: line.put(" (reassembly)")
            default: line.put(", unknown code ("); line.putDecimal(code); line.put(")")
            }
        case 4: return appendParameterProblem(bytes, code: code, to: &line)
        case 128, 129:
            guard let header else { return false }
            line.put(", id "); line.putDecimal(header.identifier); line.put(", seq "); line.putDecimal(header.sequenceNumber)
        case 135, 136:
            guard bytes.has(24) else { return false }
            line.put(type == 135 ? ", who has " : ", tgt is "); line.putIPv6(bytes.ipv6(8))
            if verbose {
                if type == 136 {
                    let flags = bytes.u32(4)
                    line.put(", Flags [")
                    let start = line.count
                    if flags & 0x8000_0000 != 0 { line.put("router") }
                    if flags & 0x4000_0000 != 0 { if line.count > start { line.put(", ") }; line.put("solicited") }
                    if flags & 0x2000_0000 != 0 { if line.count > start { line.put(", ") }; line.put("override") }
                    if line.count == start { line.put("none") }
                    line.put("]")
                }
                return appendNDOptions(bytes.dropFirst(24), count: length - 24, to: &line)
            }
        case 137:
            guard bytes.has(40) else { return false }
            line.put(", "); line.putIPv6(bytes.ipv6(24)); line.put(" to "); line.putIPv6(bytes.ipv6(8))
            if verbose { return appendNDOptions(bytes.dropFirst(40), count: length - 40, to: &line) }
        case 133 where verbose:
            return appendNDOptions(bytes.dropFirst(8), count: length - 8, to: &line)
        case 130, 131, 132, 143: return appendMLD(bytes, type: type, length: length, to: &line)
        default:
            // Router solicitations and advertisements print nothing more at this verbosity; unknown types have
            // more detail (or a hex dump) in tcpdump.
            break
        }
        return true
    }

    /// An address of the quoted IPv6 header (after the 8-byte ICMPv6 header), when captured.
    private static func quotedIPv6Address(_ bytes: CapturedBytes, _ at: Int) -> IPv6Address? {
        bytes.has(ICMPv6Header.length + at + 16) ? bytes.ipv6(ICMPv6Header.length + at) : nil
    }

    /// Destination unreachable, worded by code; false when the quoted packet was not captured.
    private func appendICMPv6Unreachable(_ bytes: CapturedBytes, code: UInt8, to line: inout [UInt8]) -> Bool {
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
            guard let destination = Self.quotedIPv6Address(bytes, 24) else { return false }
            line.put(" "); line.putIPv6(destination)
        case 2:
            guard let destination = Self.quotedIPv6Address(bytes, 24), let source = Self.quotedIPv6Address(bytes, 8) else { return false }
            line.put(" "); line.putIPv6(destination); line.put(", source address "); line.putIPv6(source)
        case 4:
            guard let destination = Self.quotedIPv6Address(bytes, 24), bytes.has(ICMPv6Header.length + IPv6Header.length) else { return false }
            return appendQuotedPort(bytes.dropFirst(ICMPv6Header.length), destination: destination, to: &line)
        default:
            break
        }
        return true
    }

    /// `, ADDRESS udp port N`: the quoted packet's upper layer, after any extension headers.
    private func appendQuotedPort(_ quoted: CapturedBytes, destination: IPv6Address, to line: inout [UInt8]) -> Bool {
        var next = IPProtocolNumber(quoted.u8(6))
        var position = IPv6Header.length
        var count = 0
        while next.isIPv6ExtensionHeader && count < IPv6Header.maximumExtensionHeaders {
            guard quoted.has(position + 2) else { return false }
            let size = next == .fragment ? 8 : (Int(quoted.u8(position + 1)) + 1) * 8
            next = IPProtocolNumber(quoted.u8(position))
            position += size
            count += 1
        }
        guard quoted.has(position + 4) else { return false }
        let port = quoted.u16(position + 2)
        line.put(", "); line.putIPv6(destination)
        switch next {
        case .tcp: line.put(" tcp port "); line.putDecimal(port)
        case .udp: line.put(" udp port "); line.putDecimal(port)
        default:
            line.put(" protocol "); line.putDecimal(next.rawValue); line.put(" port "); line.putDecimal(port); line.put(" unreachable")
        }
        return true
    }

    /// `, erroneous - octet N`; false when the quoted header was not captured.
    private func appendParameterProblem(_ bytes: CapturedBytes, code: UInt8, to line: inout [UInt8]) -> Bool {
        guard bytes.has(ICMPv6Header.length + IPv6Header.length), let header = bytes.icmpHeader(ICMPv6.self) else { return false }
        switch code {
        case 0: line.put(", erroneous - octet ")
        case 1: line.put(", next header - octet ")
        case 2: line.put(", option - octet ")
        case 3: line.put(", incomplete header chain - octet ")
        default: line.put(", code-#"); line.putDecimal(code)
        }
        if code <= 3 { line.putDecimal(header.restOfHeader) }
        return true
    }

    /// MLDv1 (`mld6_print`), an MLDv2 query or report (`mldv2_query_print`, `mldv2_report_print` without -v);
    /// false when cut.
    private func appendMLD(_ bytes: CapturedBytes, type: UInt8, length: Int, to line: inout [UInt8]) -> Bool {
        if type == 143 {
            guard length >= 8 else { line.put(" [invalid len "); line.putDecimal(length); line.put("]"); return true }
            guard bytes.has(8) else { return false }
            line.put(", "); line.putDecimal(bytes.u16(6)); line.put(" group record(s)")
            return !verbose || Self.appendGroupRecords(bytes, length: length, count: Int(bytes.u16(6)), addressSize: 16, to: &line)
        }
        guard type == 130 && length != 24 else {
            // MLDv1, without a separator after the type name.
            guard let header = bytes.icmpHeader(ICMPv6.self), bytes.has(24) else { return false }
            line.put("max resp delay: "); line.putDecimal(UInt16(header.restOfHeader >> 16))
            line.put(" addr: "); line.putIPv6(bytes.ipv6(8))
            return true
        }
        guard length >= 28 else { line.put(" unknown-version (len "); line.putDecimal(length); line.put(") "); return true }
        line.put(" v2")
        guard bytes.has(28) else { return false }
        if verbose {
            let code = UInt32(bytes.u16(4))
            let delay = code < 32768 ? code : ((code & 0x0FFF) | 0x1000) << (((code & 0x7000) >> 12) + 3)
            line.put(" [max resp delay="); line.putDecimal(delay); line.put("]")
        }
        line.put(" [gaddr "); line.putIPv6(bytes.ipv6(8))
        if verbose {
            let flags = bytes.u8(24), code = UInt32(bytes.u8(25))
            if flags & 0x08 != 0 { line.put(" sflag") }
            if flags & 0x07 != 0 { line.put(" robustness="); line.putDecimal(flags & 0x07) }
            let interval = code < 128 ? code : ((code & 0x0F) | 0x10) << (((code & 0x70) >> 4) + 3)
            line.put(" qqi="); line.putDecimal(interval)
        }
        let sources = Int(bytes.u16(26))
        if sources > 0 {
            if length < 28 + sources * 16 { line.put(" [invalid number of sources]") }
            else { line.put(", "); line.putDecimal(sources); line.put(" source(s)") }
        }
        line.put("]")
        return true
    }
}
