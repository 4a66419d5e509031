/// DNS and multicast DNS over UDP, after tcpdump's `domain_print` at the default verbosity: the header flags
/// and counts, the questions of a query, the answers of a response (`4660+ A? example.com. (29)`,
/// `4660 1/0/0 A 192.0.2.1 (45)`).
extension PacketSummaryFormatter {
    /// `offset` is the DNS header, `length` the UDP payload length, `end` where the captured bytes stop.
    func appendDNS(_ buffer: UnsafeRawBufferPointer, at offset: Int, end: Int, length: Int, multicast: Bool, to line: inout [UInt8]) {
        guard length >= 12 else {
            line.put("domain [length "); line.putDecimal(length); line.put(" < 12] (invalid)")
            return
        }
        guard end - offset >= 12 else { line.put(" [|domain]"); return }
        let flags = buffer.u16(offset + 2)
        let questions = Int(buffer.u16(offset + 4)), answers = Int(buffer.u16(offset + 6))
        let authorities = Int(buffer.u16(offset + 8)), additionals = Int(buffer.u16(offset + 10))
        let opcode = Int(flags >> 11) & 0xF
        var rcode = UInt32(flags & 0xF)
        // The extended RCODE is in the OPT record's TTL: skip everything before it as tcpdump does.
        scan: do {
            var cursor = offset + 12
            for _ in 0..<questions {
                guard let next = Self.skipName(buffer, at: cursor, end: end) else { break scan }
                cursor = next + 4
                if cursor >= end { break scan }
            }
            for _ in 0..<(answers + authorities) {
                guard let next = Self.skipName(buffer, at: cursor, end: end) else { break scan }
                cursor = next + 8
                if cursor + 2 > end { break scan }
                cursor += 2 + Int(buffer.u16(cursor))
                if cursor >= end { break scan }
            }
            for _ in 0..<additionals {
                guard let next = Self.skipName(buffer, at: cursor, end: end) else { break scan }
                cursor = next
                if cursor + 2 > end { break scan }
                let type = buffer.u16(cursor)
                cursor += 4
                if cursor + 1 > end { break scan }
                if type == 41 { rcode |= UInt32(buffer.u8(cursor)) << 4; break scan }
                cursor += 4
                if cursor + 2 > end { break scan }
                cursor += 2 + Int(buffer.u16(cursor))
                if cursor >= end { break scan }
            }
        }
        line.putDecimal(buffer.u16(offset))
        Self.putOpcode(opcode, &line)
        var cursor = offset + 12
        if flags & 0x8000 != 0 {
            Self.putResponseCode(rcode, &line)
            if flags & 0x0400 != 0 { line.put("*") }
            if flags & 0x0080 == 0 { line.put("-") }
            if flags & 0x0200 != 0 { line.put("|") }
            if flags & 0x0020 != 0 { line.put("$") }
            if questions != 1 { line.put(" ["); line.putDecimal(questions); line.put("q]") }
            for index in 0..<questions {
                if index != 0 { line.put(",") }
                guard let next = Self.skipName(buffer, at: cursor, end: end) else { line.put(" [|domain]"); return }
                cursor = next + 4
            }
            line.put(" "); line.putDecimal(answers); line.put("/"); line.putDecimal(authorities); line.put("/"); line.putDecimal(additionals)
            var left = answers
            while left > 0 && (left == answers || cursor < end) {
                if left != answers { line.put(",") }
                guard let next = appendResourceRecord(buffer, at: cursor, end: end, message: offset, multicast: multicast, to: &line) else {
                    line.put(" [|domain]"); return
                }
                cursor = next
                left -= 1
            }
            guard left == 0 else { line.put(" [|domain]"); return }
        } else {
            if flags & 0x0100 != 0 { line.put("+") }
            if flags & 0x0010 != 0 { line.put("%") }
            if flags & 0x6CF != 0 { line.put(" [b2&3=0x"); TextBuffer.appendHex(flags, to: &line); line.put("]") }
            if opcode == 1 {
                if questions != 0 { line.put(" ["); line.putDecimal(questions); line.put("q]") }
                if answers != 1 { line.put(" ["); line.putDecimal(answers); line.put("a]") }
            } else {
                if answers != 0 { line.put(" ["); line.putDecimal(answers); line.put("a]") }
                if questions != 1 { line.put(" ["); line.putDecimal(questions); line.put("q]") }
            }
            if authorities != 0 { line.put(" ["); line.putDecimal(authorities); line.put("n]") }
            if additionals != 0 { line.put(" ["); line.putDecimal(additionals); line.put("au]") }
            var left = questions
            while left > 0 && (left == questions || cursor < end) {
                guard let next = appendQuestion(buffer, at: cursor, end: end, message: offset, multicast: multicast, to: &line) else {
                    line.put(" [|domain]"); return
                }
                cursor = next
                left -= 1
            }
            guard left == 0 else { line.put(" [|domain]"); return }
        }
        line.put(" ("); line.putDecimal(length); line.put(")")
    }

    /// tcpdump's `ns_qprint`: ` TYPE[ CLASS][ (QU|QM)]? name`; nil when truncated.
    private func appendQuestion(_ buffer: UnsafeRawBufferPointer, at start: Int, end: Int, message: Int, multicast: Bool,
                                to line: inout [UInt8]) -> Int? {
        guard let afterName = Self.skipName(buffer, at: start, end: end), afterName + 4 <= end else { return nil }
        line.put(" "); Self.putType(buffer.u16(afterName), &line)
        let rawClass = buffer.u16(afterName + 2)
        let dnsClass = multicast ? rawClass & 0x7FFF : rawClass
        if dnsClass != 1 { line.put(" "); Self.putClass(dnsClass, &line) }
        if multicast { line.put(rawClass & 0x8000 != 0 ? " (QU)" : " (QM)") }
        line.put("? ")
        guard let next = Self.appendName(buffer, at: start, end: end, message: message, to: &line) else { return nil }
        return next + 4
    }

    /// tcpdump's `ns_rprint` without -v: ` TYPE data`; nil when truncated.
    private func appendResourceRecord(_ buffer: UnsafeRawBufferPointer, at start: Int, end: Int, message: Int, multicast: Bool,
                                      to line: inout [UInt8]) -> Int? {
        guard let afterName = Self.skipName(buffer, at: start, end: end), afterName + 10 <= end else { return end }
        var cursor = afterName
        let type = buffer.u16(cursor)
        let rawClass = buffer.u16(cursor + 2)
        let dnsClass = multicast ? rawClass & 0x7FFF : rawClass
        if dnsClass != 1 && type != 41 { line.put(" "); Self.putClass(dnsClass, &line) }
        if multicast && rawClass & 0x8000 != 0 { line.put(" (Cache flush)") }
        let optionFlags = buffer.u16(cursor + 6)
        cursor += 8
        let dataLength = Int(buffer.u16(cursor))
        cursor += 2
        let recordEnd = cursor + dataLength
        line.put(" "); Self.putType(type, &line)
        guard recordEnd <= end else { return nil }
        switch type {
        case 1:
            guard cursor + 4 <= end else { return nil }
            line.put(" "); line.putIPv4(IPv4Address(buffer, at: cursor))
        case 2, 5, 12, 39:
            line.put(" ")
            guard Self.appendName(buffer, at: cursor, end: end, message: message, to: &line) != nil else { return nil }
        case 15:
            line.put(" ")
            guard cursor + 2 <= end, Self.appendName(buffer, at: cursor + 2, end: end, message: message, to: &line) != nil else { return nil }
            line.put(" "); line.putDecimal(buffer.u16(cursor))
        case 16:
            var text = cursor
            while text < recordEnd {
                line.put(" \"")
                guard text < end else { return nil }
                let count = Int(buffer.u8(text))
                text += 1
                guard Self.appendPrintable(buffer, at: text, count: count, end: end, to: &line) else { return nil }
                text += count
                line.put("\"")
            }
        case 33:
            line.put(" ")
            guard cursor + 6 <= end, Self.appendName(buffer, at: cursor + 6, end: end, message: message, to: &line) != nil else { return nil }
            line.put(":"); line.putDecimal(buffer.u16(cursor + 4))
            line.put(" "); line.putDecimal(buffer.u16(cursor))
            line.put(" "); line.putDecimal(buffer.u16(cursor + 2))
        case 28:
            guard cursor + 16 <= end else { return nil }
            line.put(" "); line.putIPv6(IPv6Address(buffer, at: cursor))
        case 41:
            line.put(" UDPsize="); line.putDecimal(dnsClass)
            if optionFlags & 0x8000 != 0 { line.put(" DO") }
            // EDNS options in an answer (tcpdump's eopt_print) are not reproduced.
        default:
            break
        }
        return recordEnd
    }

    /// tcpdump's `ns_nskip`: the offset after a name (after its first compression pointer); nil when cut.
    static func skipName(_ buffer: UnsafeRawBufferPointer, at start: Int, end: Int) -> Int? {
        var cursor = start
        guard cursor < end else { return nil }
        var byte = buffer.u8(cursor)
        cursor += 1
        while byte != 0 {
            switch byte & 0xC0 {
            case 0xC0:
                return cursor + 1
            case 0x40:
                guard byte & 0x3F == 1, cursor < end else { return nil }
                let bits = buffer.u8(cursor) == 0 ? 256 : Int(buffer.u8(cursor))
                cursor += 1 + (bits + 7) / 8
            case 0x80:
                return nil
            default:
                cursor += Int(byte)
            }
            guard cursor < end else { return nil }
            byte = buffer.u8(cursor)
            cursor += 1
        }
        return cursor
    }

    /// tcpdump's `fqdn_print`: labels with a dot after each, compression pointers followed backwards only;
    /// returns the offset after the name where it was written, nil when cut or malformed.
    static func appendName(_ buffer: UnsafeRawBufferPointer, at start: Int, end: Int, message: Int, to line: inout [UInt8]) -> Int? {
        var cursor = start
        guard cursor < end else { return nil }
        var length = Int(buffer.u8(cursor))
        guard length & 0xC0 != 0x40, length & 0xC0 != 0x80 else {
            if length & 0xC0 == 0x40 { line.put("<ELT "); line.putDecimal(length & 0x3F); line.put(">") } else { line.put("<BAD LABEL TYPE>") }
            return nil
        }
        var maximumOffset = cursor - message
        var byte = buffer.u8(cursor)
        cursor += 1
        var compressed = false
        var resume = cursor + length
        guard byte != 0 else { line.put("."); return resume }
        var characters = 0
        while byte != 0 && cursor < end {
            switch byte & 0xC0 {
            case 0xC0:
                if !compressed { resume = cursor + 1; compressed = true }
                guard cursor < end else { return nil }
                let target = (Int(byte) << 8 | Int(buffer.u8(cursor))) & 0x3FFF
                guard target < maximumOffset else { line.put("<BAD PTR>"); return nil }
                maximumOffset = target
                cursor = message + target
                guard cursor < end else { return nil }
                byte = buffer.u8(cursor)
                length = Int(byte)
                guard byte & 0xC0 != 0x40, byte & 0xC0 != 0x80 else {
                    if byte & 0xC0 == 0x40 { line.put("<ELT "); line.putDecimal(byte & 0x3F); line.put(">") } else { line.put("<BAD LABEL TYPE>") }
                    return nil
                }
                cursor += 1
                continue
            case 0x40:
                // Bit-string labels (RFC 2673) are not printed here.
                line.put("<ELT "); line.putDecimal(byte & 0x3F); line.put(">")
                return nil
            case 0x80:
                line.put("<BAD LABEL TYPE>")
                return nil
            default:
                if characters + length <= 255 {
                    guard appendPrintable(buffer, at: cursor, count: length, end: end, to: &line) else { return nil }
                } else if characters < 255 {
                    guard appendPrintable(buffer, at: cursor, count: 255 - characters, end: end, to: &line) else { return nil }
                }
                characters += length
            }
            cursor += length
            if characters <= 255 { line.put(".") }
            characters += 1
            guard cursor < end else { return nil }
            byte = buffer.u8(cursor)
            length = Int(byte)
            guard byte & 0xC0 != 0x40, byte & 0xC0 != 0x80 || byte & 0xC0 == 0xC0 else {
                if byte & 0xC0 == 0x40 { line.put("<ELT "); line.putDecimal(byte & 0x3F); line.put(">") } else { line.put("<BAD LABEL TYPE>") }
                return nil
            }
            cursor += 1
            if !compressed { resume += length + 1 }
        }
        if characters > 255 { line.put("<DOMAIN NAME TOO LONG>") }
        return resume
    }

    /// tcpdump's `nd_printn`: `M-` for bytes above 0x7F, `^X` for control characters; false when cut.
    static func appendPrintable(_ buffer: UnsafeRawBufferPointer, at start: Int, count: Int, end: Int, to line: inout [UInt8]) -> Bool {
        var index = start
        var left = count
        while left > 0 && index < end {
            var character = buffer.u8(index)
            if character >= 0x80 { character &= 0x7F; line.put("M-") }
            if character < 0x20 || character == 0x7F { character ^= 0x40; line.put("^") }
            line.append(character)
            index += 1
            left -= 1
        }
        return left == 0
    }

    private static func putOpcode(_ opcode: Int, _ line: inout [UInt8]) {
        switch opcode {
        case 0: break
        case 1: line.put(" inv_q")
        case 2: line.put(" stat")
        case 3: line.put(" op3")
        case 4: line.put(" notify")
        case 5: line.put(" update")
        case 6: line.put(" op6")
        case 7: line.put(" op7")
        case 8: line.put(" op8")
        case 9: line.put(" updateA")
        case 10: line.put(" updateD")
        case 11: line.put(" updateDA")
        case 12: line.put(" updateM")
        case 13: line.put(" updateMA")
        case 14: line.put(" zoneInit")
        default: line.put(" zoneRef")
        }
    }

    private static func putResponseCode(_ rcode: UInt32, _ line: inout [UInt8]) {
        switch rcode {
        case 0: break
        case 1: line.put(" FormErr")
        case 2: line.put(" ServFail")
        case 3: line.put(" NXDomain")
        case 4: line.put(" NotImp")
        case 5: line.put(" Refused")
        case 6: line.put(" YXDomain")
        case 7: line.put(" YXRRSet")
        case 8: line.put(" NXRRSet")
        case 9: line.put(" NotAuth")
        case 10: line.put(" NotZone")
        case 15: line.put(" NoChange")
        case 16: line.put(" BadVers")
        // tcpdump's table has no leading space for 17 and 21.
        case 17: line.put("Resp17")
        case 21: line.put("Resp21")
        case 23: line.put(" BadCookie")
        default: line.put(" Resp"); line.putDecimal(rcode & 0xFFF)
        }
    }

    private static func putClass(_ value: UInt16, _ line: inout [UInt8]) {
        switch value {
        case 1: line.put("IN")
        case 3: line.put("CHAOS")
        case 4: line.put("HS")
        case 255: line.put("ANY")
        default: line.put("(Class "); line.putDecimal(value); line.put(")")
        }
    }

    private static func putType(_ value: UInt16, _ line: inout [UInt8]) {
        switch value {
        case 1: line.put("A")
        case 2: line.put("NS")
        case 3: line.put("MD")
        case 4: line.put("MF")
        case 5: line.put("CNAME")
        case 6: line.put("SOA")
        case 7: line.put("MB")
        case 8: line.put("MG")
        case 9: line.put("MR")
        case 10: line.put("NULL")
        case 11: line.put("WKS")
        case 12: line.put("PTR")
        case 13: line.put("HINFO")
        case 14: line.put("MINFO")
        case 15: line.put("MX")
        case 16: line.put("TXT")
        case 17: line.put("RP")
        case 18: line.put("AFSDB")
        case 19: line.put("X25")
        case 20: line.put("ISDN")
        case 21: line.put("RT")
        case 22: line.put("NSAP")
        case 23: line.put("NSAP_PTR")
        case 24: line.put("SIG")
        case 25: line.put("KEY")
        case 26: line.put("PX")
        case 27: line.put("GPOS")
        case 28: line.put("AAAA")
        case 29: line.put("LOC")
        case 30: line.put("NXT")
        case 31: line.put("EID")
        case 32: line.put("NIMLOC")
        case 33: line.put("SRV")
        case 34: line.put("ATMA")
        case 35: line.put("NAPTR")
        case 36: line.put("KX")
        case 37: line.put("CERT")
        case 38: line.put("A6")
        case 39: line.put("DNAME")
        case 40: line.put("SINK")
        case 41: line.put("OPT")
        case 42: line.put("APL")
        case 43: line.put("DS")
        case 44: line.put("SSHFP")
        case 45: line.put("IPSECKEY")
        case 46: line.put("RRSIG")
        case 47: line.put("NSEC")
        case 48: line.put("DNSKEY")
        case 99: line.put("SPF")
        case 100: line.put("UINFO")
        case 101: line.put("UID")
        case 102: line.put("GID")
        case 103: line.put("UNSPEC")
        case 104: line.put("UNSPECA")
        case 249: line.put("TKEY")
        case 250: line.put("TSIG")
        case 251: line.put("IXFR")
        case 252: line.put("AXFR")
        case 253: line.put("MAILB")
        case 254: line.put("MAILA")
        case 255: line.put("ANY")
        case 256: line.put("URI")
        default: line.put("Type"); line.putDecimal(value)
        }
    }
}
