/// IGMP wording, after tcpdump's `igmp_print` at the default verbosity.
extension PacketSummaryFormatter {
    /// `bytes` is the IGMP message, cut where the datagram ends; `length` the IGMP message length.
    mutating func appendIGMP(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) {
        if isQuiet { line.put("igmp"); return }
        appendIGMPMessage(bytes, length: length, to: &line)
        // Every IGMP field is read with tcpdump's GET_ macros: a cut message is a whole-frame dump.
        if line.count >= 8 && line[(line.count - 8)...].elementsEqual(" [|igmp]".utf8) { dumpsWholeFrame(); return }
        if verbose && length >= 4 && bytes.has(length) && InternetChecksum.of(bytes.bytes(length)) != 0 {
            line.put(" bad igmp cksum "); line.putHex(bytes.u16(2)); line.put("!")
        }
    }

    private func appendIGMPMessage(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard bytes.has(1) else { line.put(" [|igmp]"); return }
        let type = bytes.u8(0)
        switch type {
        case 0x11:
            line.put("igmp query")
            if length >= 12 {
                appendIGMPv3Query(bytes, length: length, to: &line)
            } else {
                guard bytes.has(8) else { line.put(" [|igmp]"); return }
                let maximumResponse = bytes.u8(1)
                if maximumResponse != 0 {
                    line.put(" v2")
                    if maximumResponse != 100 { line.put(" [max resp time "); line.putDecimal(maximumResponse); line.put("]") }
                } else {
                    line.put(" v1")
                }
                let group = bytes.ipv4(4)
                if group.rawValue != 0 { line.put(" [gaddr "); line.putIPv4(group); line.put("]") }
                if length != 8 { line.put(" [len "); line.putDecimal(length); line.put("]") }
            }
        case 0x12, 0x16, 0x17:
            guard bytes.has(8) else { line.put(type == 0x12 ? "igmp v1 report" : type == 0x16 ? "igmp v2 report" : "igmp leave"); line.put(" [|igmp]"); return }
            line.put(type == 0x12 ? "igmp v1 report " : type == 0x16 ? "igmp v2 report " : "igmp leave ")
            line.putIPv4(bytes.ipv4(4))
            if type == 0x12 && length != 8 { line.put(" [len "); line.putDecimal(length); line.put("]") }
        case 0x22:
            line.put("igmp v3 report")
            guard length >= 16, length & 3 == 0 else { line.put(" [invalid len "); line.putDecimal(length); line.put("]"); return }
            guard bytes.has(8) else { line.put(" [|igmp]"); return }
            line.put(", "); line.putDecimal(bytes.u16(6)); line.put(" group record(s)")
            if verbose && !Self.appendGroupRecords(bytes, length: length, count: Int(bytes.u16(6)), addressSize: 4, to: &line) {
                line.put(" [|igmp]")
            }
        default:
            // DVMRP, PIMv1 and mtrace have their own printers in tcpdump.
            line.put("igmp-"); line.putDecimal(type)
        }
    }

    /// `-v`: the group records of an IGMPv3 or MLDv2 report (`print_igmpv3_report`, `mldv2_report_print`):
    /// ` [gaddr 239.1.2.3 to_ex, 0 source(s)]` each; false when a field was not captured.
    static func appendGroupRecords(_ bytes: CapturedBytes, length: Int, count: Int, addressSize: Int, to line: inout [UInt8]) -> Bool {
        var group = 8
        for _ in 0..<count {
            guard length >= group + 4 + addressSize else { line.put(" [invalid number of groups]"); return true }
            guard bytes.has(group + 4 + addressSize) else { return false }
            line.put(" [gaddr ")
            if addressSize == 4 { line.putIPv4(bytes.ipv4(group + 4)) } else { line.putIPv6(bytes.ipv6(group + 4)) }
            line.put(" ")
            let type = bytes.u8(group)
            switch type {
            case 1: line.put("is_in")
            case 2: line.put("is_ex")
            case 3: line.put("to_in")
            case 4: line.put("to_ex")
            case 5: line.put("allow")
            case 6: line.put("block")
            default: line.put(addressSize == 4 ? " [v3-report-#" : " [v2-report-#"); line.putDecimal(type); line.put("]")
            }
            let sources = Int(bytes.u16(group + 2))
            guard length >= group + 4 + addressSize + sources * addressSize else {
                line.put(" [invalid number of sources "); line.putDecimal(sources); line.put("]")
                return true
            }
            line.put(", "); line.putDecimal(sources); line.put(" source(s)]")
            group += 4 + addressSize + sources * addressSize
        }
        return true
    }

    /// tcpdump's `print_igmpv3_query`.
    private func appendIGMPv3Query(_ bytes: CapturedBytes, length: Int, to line: inout [UInt8]) {
        line.put(" v3")
        guard length >= 12, length & 3 == 0 else { line.put(" [invalid len "); line.putDecimal(length); line.put("]"); return }
        guard bytes.has(12) else { line.put(" [|igmp]"); return }
        let code = UInt32(bytes.u8(1))
        let time = code < 128 ? code : ((code & 0x0F) | 0x10) << (((code & 0x70) >> 4) + 3)
        if code != 100 {
            line.put(" [max resp time ")
            if time < 600 {
                line.putDecimal(time / 10); line.put("."); line.putDecimal(time % 10); line.put("s")
            } else {
                Self.appendRelativeTime(time / 10, to: &line)
            }
            line.put("]")
        }
        let group = bytes.ipv4(4)
        guard group.rawValue != 0 else { return }
        line.put(" [gaddr "); line.putIPv4(group)
        let sources = Int(bytes.u16(10))
        if sources > 0 {
            if length < 12 + sources * 4 { line.put(" [invalid number of sources]") }
            else { line.put(", "); line.putDecimal(sources); line.put(" source(s)") }
        }
        line.put("]")
    }

    /// tcpdump's `unsigned_relts_print`: `1m40s`, `2h`, `0s`.
    static func appendRelativeTime(_ seconds: UInt32, to line: inout [UInt8]) {
        guard seconds > 0 else { line.put("0s"); return }
        var left = seconds
        appendUnit(&left, 31_536_000, "y", &line)
        appendUnit(&left, 604_800, "w", &line)
        appendUnit(&left, 86_400, "d", &line)
        appendUnit(&left, 3600, "h", &line)
        appendUnit(&left, 60, "m", &line)
        appendUnit(&left, 1, "s", &line)
    }

    private static func appendUnit(_ left: inout UInt32, _ size: UInt32, _ name: StaticString, _ line: inout [UInt8]) {
        guard left >= size else { return }
        line.putDecimal(left / size); line.put(name)
        left %= size
    }
}
