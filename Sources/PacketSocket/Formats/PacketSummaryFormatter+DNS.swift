/// DNS and multicast DNS over UDP, after tcpdump's `domain_print` at the default verbosity: the header flags
/// and counts, the questions of a query, the answers of a response (`4660+ A? example.com. (29)`,
/// `4660 1/0/0 A 192.0.2.1 (45)`).
extension PacketSummaryFormatter {
    /// The counts of a DNS header (`qdcount`, `ancount`, `nscount`, `arcount`).
    struct DNSCounts {
        var questions: Int, answers: Int, authorities: Int, additionals: Int

        init(_ dns: CapturedBytes) {
            questions = Int(dns.u16(4)); answers = Int(dns.u16(6))
            authorities = Int(dns.u16(8)); additionals = Int(dns.u16(10))
        }
    }

    /// `dns` is the DNS header, cut where the datagram ends; `length` the UDP payload length.
    func appendDNS(_ dns: CapturedBytes, length: Int, multicast: Bool, to line: inout [UInt8]) {
        guard length >= 12 else {
            line.put("domain [length "); line.putDecimal(length); line.put(" < 12] (invalid)")
            return
        }
        guard dns.has(12) else { line.put(" [|domain]"); return }
        let flags = dns.u16(2)
        let counts = DNSCounts(dns)
        line.putDecimal(dns.u16(0))
        Self.putOpcode(Int(flags >> 11) & 0xF, &line)
        let complete = flags & 0x8000 != 0
            ? appendDNSResponse(dns, flags: flags, counts: counts, multicast: multicast, to: &line)
            : appendDNSQuery(dns, flags: flags, counts: counts, multicast: multicast, to: &line)
        guard complete else { line.put(" [|domain]"); return }
        line.put(" ("); line.putDecimal(length); line.put(")")
    }

    /// A response's flags, counts and answers; false when cut.
    private func appendDNSResponse(_ dns: CapturedBytes, flags: UInt16, counts: DNSCounts, multicast: Bool,
                                   to line: inout [UInt8]) -> Bool {
        Self.putResponseCode(Self.extendedResponseCode(dns, flags: flags, counts: counts), &line)
        if flags & 0x0400 != 0 { line.put("*") }
        if flags & 0x0080 == 0 { line.put("-") }
        if flags & 0x0200 != 0 { line.put("|") }
        if flags & 0x0020 != 0 { line.put("$") }
        if counts.questions != 1 { line.put(" ["); line.putDecimal(counts.questions); line.put("q]") }
        var cursor = 12
        for index in 0..<counts.questions {
            if index != 0 { line.put(",") }
            guard let next = Self.skipName(dns, at: cursor) else { return false }
            cursor = next + 4
        }
        line.put(" "); line.putDecimal(counts.answers); line.put("/"); line.putDecimal(counts.authorities)
        line.put("/"); line.putDecimal(counts.additionals)
        var left = counts.answers
        while left > 0 && (left == counts.answers || cursor < dns.count) {
            if left != counts.answers { line.put(",") }
            guard let next = appendResourceRecord(dns, at: cursor, multicast: multicast, to: &line) else { return false }
            cursor = next
            left -= 1
        }
        return left == 0
    }

    /// A query's flags, the counts that are not the usual ones, and its questions; false when cut.
    private func appendDNSQuery(_ dns: CapturedBytes, flags: UInt16, counts: DNSCounts, multicast: Bool,
                                to line: inout [UInt8]) -> Bool {
        if flags & 0x0100 != 0 { line.put("+") }
        if flags & 0x0010 != 0 { line.put("%") }
        if flags & 0x6CF != 0 { line.put(" [b2&3=0x"); line.putHex(flags); line.put("]") }
        let inverse = Int(flags >> 11) & 0xF == 1
        if inverse { Self.putCount(counts.questions, unless: 0, "q]", &line) } else { Self.putCount(counts.answers, unless: 0, "a]", &line) }
        if inverse { Self.putCount(counts.answers, unless: 1, "a]", &line) } else { Self.putCount(counts.questions, unless: 1, "q]", &line) }
        Self.putCount(counts.authorities, unless: 0, "n]", &line)
        Self.putCount(counts.additionals, unless: 0, "au]", &line)
        var cursor = 12
        var left = counts.questions
        while left > 0 && (left == counts.questions || cursor < dns.count) {
            guard let next = appendQuestion(dns, at: cursor, multicast: multicast, to: &line) else { return false }
            cursor = next
            left -= 1
        }
        return left == 0
    }

    /// ` [3q]`: a count that differs from the usual one.
    private static func putCount(_ count: Int, unless usual: Int, _ suffix: StaticString, _ line: inout [UInt8]) {
        guard count != usual else { return }
        line.put(" ["); line.putDecimal(count); line.put(suffix)
    }

    /// The RCODE with the upper bits of the extended RCODE from an OPT record's TTL: tcpdump skips every
    /// record before it to find it.
    private static func extendedResponseCode(_ dns: CapturedBytes, flags: UInt16, counts: DNSCounts) -> UInt32 {
        let rcode = UInt32(flags & 0xF)
        var cursor = 12
        for _ in 0..<counts.questions {
            guard let next = skipName(dns, at: cursor) else { return rcode }
            cursor = next + 4
            if !dns.has(cursor + 1) { return rcode }
        }
        for _ in 0..<(counts.answers + counts.authorities) {
            guard let next = skipRecord(dns, at: cursor) else { return rcode }
            cursor = next
        }
        for _ in 0..<counts.additionals {
            guard let afterName = skipName(dns, at: cursor), dns.has(afterName + 2) else { return rcode }
            let type = dns.u16(afterName)
            guard dns.has(afterName + 5) else { return rcode }
            if type == 41 { return rcode | UInt32(dns.u8(afterName + 4)) << 4 }
            guard let next = skipRecord(dns, at: cursor) else { return rcode }
            cursor = next
        }
        return rcode
    }

    /// The offset after a resource record, nil when the scan for the extended RCODE ends there.
    private static func skipRecord(_ dns: CapturedBytes, at start: Int) -> Int? {
        guard let afterName = skipName(dns, at: start) else { return nil }
        let cursor = afterName + 8
        guard dns.has(cursor + 2) else { return nil }
        let next = cursor + 2 + Int(dns.u16(cursor))
        return dns.has(next + 1) ? next : nil
    }

    /// tcpdump's `ns_qprint`: ` TYPE[ CLASS][ (QU|QM)]? name`; nil when truncated.
    private func appendQuestion(_ dns: CapturedBytes, at start: Int, multicast: Bool, to line: inout [UInt8]) -> Int? {
        guard let afterName = Self.skipName(dns, at: start), afterName + 4 <= dns.count else { return nil }
        line.put(" "); Self.putType(dns.u16(afterName), &line)
        let rawClass = dns.u16(afterName + 2)
        let dnsClass = multicast ? rawClass & 0x7FFF : rawClass
        if dnsClass != 1 { line.put(" "); Self.putClass(dnsClass, &line) }
        if multicast { line.put(rawClass & 0x8000 != 0 ? " (QU)" : " (QM)") }
        line.put("? ")
        guard let next = Self.appendName(dns, at: start, to: &line) else { return nil }
        return next + 4
    }

    /// tcpdump's `ns_rprint` without -v: ` TYPE data`; the offset after the record, nil when truncated.
    private func appendResourceRecord(_ dns: CapturedBytes, at start: Int, multicast: Bool, to line: inout [UInt8]) -> Int? {
        guard let afterName = Self.skipName(dns, at: start), dns.has(afterName + 10) else { return dns.count }
        let type = dns.u16(afterName)
        let rawClass = dns.u16(afterName + 2)
        let dnsClass = multicast ? rawClass & 0x7FFF : rawClass
        if dnsClass != 1 && type != 41 { line.put(" "); Self.putClass(dnsClass, &line) }
        if multicast && rawClass & 0x8000 != 0 { line.put(" (Cache flush)") }
        let data = afterName + 10
        let recordEnd = data + Int(dns.u16(afterName + 8))
        line.put(" "); Self.putType(type, &line)
        guard dns.has(recordEnd) else { return nil }
        if type == 41 {
            line.put(" UDPsize="); line.putDecimal(dnsClass)
            if dns.u16(afterName + 6) & 0x8000 != 0 { line.put(" DO") }
            // EDNS options in an answer (tcpdump's eopt_print) are not reproduced.
            return recordEnd
        }
        return Self.appendRecordData(dns, type: type, at: data, end: recordEnd, to: &line) ? recordEnd : nil
    }

    /// The data of the record types tcpdump words without -v (A, AAAA, names, MX, TXT, SRV); false when cut.
    private static func appendRecordData(_ dns: CapturedBytes, type: UInt16, at data: Int, end recordEnd: Int,
                                         to line: inout [UInt8]) -> Bool {
        switch type {
        case 1:
            guard dns.has(data + 4) else { return false }
            line.put(" "); line.putIPv4(dns.ipv4(data))
        case 28:
            guard dns.has(data + 16) else { return false }
            line.put(" "); line.putIPv6(dns.ipv6(data))
        case 2, 5, 12, 39:
            line.put(" ")
            return appendName(dns, at: data, to: &line) != nil
        case 15:
            line.put(" ")
            guard dns.has(data + 2), appendName(dns, at: data + 2, to: &line) != nil else { return false }
            line.put(" "); line.putDecimal(dns.u16(data))
        case 16:
            return appendTXT(dns, at: data, end: recordEnd, to: &line)
        case 33:
            line.put(" ")
            guard dns.has(data + 6), appendName(dns, at: data + 6, to: &line) != nil else { return false }
            line.put(":"); line.putDecimal(dns.u16(data + 4))
            line.put(" "); line.putDecimal(dns.u16(data))
            line.put(" "); line.putDecimal(dns.u16(data + 2))
        default:
            break
        }
        return true
    }

    /// A TXT record's strings, each quoted; false when cut.
    private static func appendTXT(_ dns: CapturedBytes, at data: Int, end recordEnd: Int, to line: inout [UInt8]) -> Bool {
        var text = data
        while text < recordEnd {
            line.put(" \"")
            guard dns.has(text + 1) else { return false }
            let count = Int(dns.u8(text))
            text += 1
            guard appendPrintable(dns, at: text, count: count, to: &line) else { return false }
            text += count
            line.put("\"")
        }
        return true
    }

    /// tcpdump's `ns_nskip`: the offset after a name (after its first compression pointer); nil when cut.
    static func skipName(_ dns: CapturedBytes, at start: Int) -> Int? {
        var cursor = start
        guard cursor < dns.count else { return nil }
        var byte = dns.u8(cursor)
        cursor += 1
        while byte != 0 {
            switch byte & 0xC0 {
            case 0xC0:
                return cursor + 1
            case 0x40:
                guard byte & 0x3F == 1, cursor < dns.count else { return nil }
                let bits = dns.u8(cursor) == 0 ? 256 : Int(dns.u8(cursor))
                cursor += 1 + (bits + 7) / 8
            case 0x80:
                return nil
            default:
                cursor += Int(byte)
            }
            guard cursor < dns.count else { return nil }
            byte = dns.u8(cursor)
            cursor += 1
        }
        return cursor
    }

    /// tcpdump's `fqdn_print`: labels with a dot after each, compression pointers followed backwards only;
    /// returns the offset after the name where it was written, nil when cut or malformed.
    static func appendName(_ dns: CapturedBytes, at start: Int, to line: inout [UInt8]) -> Int? {
        guard dns.has(start + 1) else { return nil }
        var length = Int(dns.u8(start))
        guard !putBadLabel(length, &line) else { return nil }
        var cursor = start + 1, maximumOffset = start, characters = 0
        var resume = cursor + length
        var compressed = false
        guard length != 0 else { line.put("."); return resume }
        while length != 0 && cursor < dns.count {
            if length & 0xC0 == 0xC0 {
                if !compressed { resume = cursor + 1; compressed = true }
                let target = (length << 8 | Int(dns.u8(cursor))) & 0x3FFF
                guard target < maximumOffset else { line.put("<BAD PTR>"); return nil }
                maximumOffset = target
                guard dns.has(target + 1) else { return nil }
                length = Int(dns.u8(target))
                guard !putBadLabel(length, &line) else { return nil }
                cursor = target + 1
                continue
            }
            guard appendLabel(dns, at: cursor, length: length, characters: &characters, to: &line) else { return nil }
            cursor += length
            guard dns.has(cursor + 1) else { return nil }
            length = Int(dns.u8(cursor))
            guard !putBadLabel(length, &line) else { return nil }
            cursor += 1
            if !compressed { resume += length + 1 }
        }
        if characters > 255 { line.put("<DOMAIN NAME TOO LONG>") }
        return resume
    }

    /// One label and its dot; a name prints 255 characters at most (tcpdump's `NS_MAXDNAME` cut).
    private static func appendLabel(_ dns: CapturedBytes, at cursor: Int, length: Int, characters: inout Int,
                                    to line: inout [UInt8]) -> Bool {
        if characters + length <= 255 {
            guard appendPrintable(dns, at: cursor, count: length, to: &line) else { return false }
        } else if characters < 255 {
            guard appendPrintable(dns, at: cursor, count: 255 - characters, to: &line) else { return false }
        }
        characters += length
        if characters <= 255 { line.put(".") }
        characters += 1
        return true
    }

    /// `<ELT n>` (a bit-string label, RFC 2673, not printed here) or `<BAD LABEL TYPE>` for a label byte of
    /// type 01 or 10; true when it printed one.
    private static func putBadLabel(_ byte: Int, _ line: inout [UInt8]) -> Bool {
        switch byte & 0xC0 {
        case 0x40: line.put("<ELT "); line.putDecimal(byte & 0x3F); line.put(">"); return true
        case 0x80: line.put("<BAD LABEL TYPE>"); return true
        default: return false
        }
    }

    /// tcpdump's `nd_printn`: `M-` for bytes above 0x7F, `^X` for control characters; false when cut.
    static func appendPrintable(_ dns: CapturedBytes, at start: Int, count: Int, to line: inout [UInt8]) -> Bool {
        var index = start
        var left = count
        while left > 0 && index < dns.count {
            var character = dns.u8(index)
            if character >= 0x80 { character &= 0x7F; line.put("M-") }
            if character < 0x20 || character == 0x7F { character ^= 0x40; line.put("^") }
            line.append(character)
            index += 1
            left -= 1
        }
        return left == 0
    }

    /// tcpdump's `ns_ops` names, indexed by opcode (none for a standard query).
    private static let opcodeNames: [StaticString] = [
        "", " inv_q", " stat", " op3", " notify", " update", " op6", " op7", " op8", " updateA", " updateD", " updateDA",
        " updateM", " updateMA", " zoneInit", " zoneRef",
    ]

    private static func putOpcode(_ opcode: Int, _ line: inout [UInt8]) { line.put(opcodeNames[opcode & 0xF]) }

    /// tcpdump's `ns_rcode` names, indexed by RCODE (none for success; `nil` where it prints ` Resp<n>`).
    /// Its table has no leading space for 17 and 21.
    private static let responseCodeNames: [StaticString?] = [
        "", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain", " YXRRSet", " NXRRSet", " NotAuth",
        " NotZone", nil, nil, nil, nil, " NoChange", " BadVers", "Resp17", nil, nil, nil, "Resp21", nil, " BadCookie",
    ]

    private static func putResponseCode(_ rcode: UInt32, _ line: inout [UInt8]) {
        if rcode < responseCodeNames.count, let name = responseCodeNames[Int(rcode)] { line.put(name); return }
        line.put(" Resp"); line.putDecimal(rcode & 0xFFF)
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

    /// tcpdump's `ns_type2str` names (`T_*` in `<arpa/nameser.h>`), in runs of consecutive type numbers.
    private static let typeNames: [(first: UInt16, names: [StaticString])] = [
        (1, [
            "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO", "MINFO", "MX",
            "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP_PTR", "SIG", "KEY", "PX", "GPOS", "AAAA", "LOC",
            "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6", "DNAME", "SINK", "OPT", "APL", "DS",
            "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY",
        ]),
        (99, ["SPF", "UINFO", "UID", "GID", "UNSPEC", "UNSPECA"]),
        (249, ["TKEY", "TSIG", "IXFR", "AXFR", "MAILB", "MAILA", "ANY", "URI"]),
    ]

    private static func putType(_ value: UInt16, _ line: inout [UInt8]) {
        for run in typeNames where value >= run.first && Int(value - run.first) < run.names.count {
            line.put(run.names[Int(value - run.first)])
            return
        }
        line.put("Type"); line.putDecimal(value)
    }
}
