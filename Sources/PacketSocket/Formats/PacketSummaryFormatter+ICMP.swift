/// ICMP wording, after tcpdump's `icmp_print` at the default verbosity.
extension PacketSummaryFormatter {
    /// `bytes` is the ICMP message, cut where the datagram ends; `length` the ICMP message length.
    mutating func appendICMP(_ bytes: CapturedBytes, length: Int, fragmented: Bool, to line: inout [UInt8]) {
        guard bytes.has(2) else { line.put(" [|icmp]"); dumpsWholeFrame(); return }
        let mark = line.count
        line.put("ICMP ")
        guard appendICMPMessage(bytes, type: bytes.u8(0), code: bytes.u8(1), to: &line) else {
            // tcpdump prints only the truncation mark when the message's fields were not captured.
            line.removeSubrange(mark...)
            line.put(" [|icmp]")
            // tcpdump checks these fields with ND_TCHECK (the line just ends); the others with GET_ macros.
            let type = bytes.u8(0), code = bytes.u8(1)
            let checked = type == 11 || type == 14 || (type == 3 && code == 3 && !bytes.has(ICMPv4Header.length + 10))
            if !checked { dumpsWholeFrame() }
            return
        }
        line.put(", length "); line.putDecimal(length)
        guard verbose else { return }
        let type = bytes.u8(0)
        if !fragmented && bytes.has(length) {
            let sum = InternetChecksum.of(bytes.bytes(length))
            if sum != 0 {
                let found = bytes.u16(2)
                line.put(" (wrong icmp cksum "); line.putHex(found)
                line.put(" (->"); line.putHex(Self.checksumShouldBe(found, sum)); line.put(")!)")
            }
        }
        // An error quotes the packet that caused it: tcpdump prints it with ip_print on a line of its own.
        if type == 3 || type == 4 || type == 5 || type == 11 || type == 12 {
            line.put("\n\t")
            let quoted = bytes.dropFirst(ICMPv4Header.length)
            guard quoted.has(4) else { line.put(" [|icmp]"); return }
            let quotedLength = Int(quoted.u16(2))
            appendIPv4(quoted.prefix(quotedLength), length: quotedLength, to: &line)
        }
    }

    /// The words for the message's type and code; false when a field they need was not captured.
    private func appendICMPMessage(_ bytes: CapturedBytes, type: UInt8, code: UInt8, to line: inout [UInt8]) -> Bool {
        switch type {
        case 0, 8, 13:
            guard let icmp = bytes.icmpHeader(ICMPv4.self) else { return false }
            line.put(type == 8 ? "echo request, id " : type == 0 ? "echo reply, id " : "time stamp query id ")
            line.putDecimal(icmp.identifier)
            line.put(type == 13 ? " seq " : ", seq "); line.putDecimal(icmp.sequenceNumber)
        case 3: return appendUnreachable(bytes, code: code, to: &line)
        case 5: return appendRedirect(bytes, code: code, to: &line)
        case 11:
            guard Self.quotedDestination(bytes) != nil else { return false }
            switch code {
            case 0: line.put("time exceeded in-transit")
            case 1: line.put("ip reassembly time exceeded")
            default: line.put("time exceeded-#"); line.putDecimal(code)
            }
        case 12:
            guard code == 0 else { line.put("parameter problem - code "); line.putDecimal(code); return true }
            guard bytes.has(5) else { return false }
            line.put("parameter problem - octet "); line.putDecimal(bytes.u8(4))
        case 14: return appendTimestampReply(bytes, to: &line)
        case 18:
            guard bytes.has(12) else { return false }
            line.put("address mask is 0x"); line.putHex(bytes.u32(8), digits: 8)
        case 4: line.put("source quench")
        case 10: line.put("router solicitation")
        case 15: line.put("information request")
        case 16: line.put("information reply")
        case 17: line.put("address mask request")
        default:
            // Router advertisements have more detail in tcpdump.
            line.put("type-#"); line.putDecimal(type)
        }
        return true
    }

    /// The quoted packet's destination address (its IPv4 header follows the 8-byte ICMP header).
    private static func quotedDestination(_ bytes: CapturedBytes) -> IPv4Address? {
        bytes.has(ICMPv4Header.length + IPv4Header.minimumLength) ? bytes.ipv4(ICMPv4Header.length + 16) : nil
    }

    /// Destination unreachable, worded by code; false when the quoted header was not captured.
    private func appendUnreachable(_ bytes: CapturedBytes, code: UInt8, to line: inout [UInt8]) -> Bool {
        guard let destination = Self.quotedDestination(bytes), let icmp = bytes.icmpHeader(ICMPv4.self) else { return false }
        switch code {
        case 2:
            line.putIPv4(destination); line.put(" protocol "); line.putDecimal(bytes.u8(8 + 9)); line.put(" unreachable")
        case 3:
            return appendPortUnreachable(bytes, destination: destination, to: &line)
        case 4:
            let mtu = UInt16(truncatingIfNeeded: icmp.restOfHeader)
            line.putIPv4(destination); line.put(" unreachable - need to frag")
            if mtu != 0 { line.put(" (mtu "); line.putDecimal(mtu); line.put(")") }
        case 0...15:
            let words = Self.unreachableWords[Int(code)]
            line.put(words.prefix); line.putIPv4(destination); line.put(words.suffix)
        default:
            line.putIPv4(destination); line.put(" unreachable - #"); line.putDecimal(code)
        }
        return true
    }

    /// `ADDRESS udp port N unreachable`: the port from the quoted transport header.
    private func appendPortUnreachable(_ bytes: CapturedBytes, destination: IPv4Address, to line: inout [UInt8]) -> Bool {
        let quoted = bytes.dropFirst(ICMPv4Header.length)
        let innerHeader = Int(quoted.u8(0) & 0x0F) * 4
        guard quoted.has(innerHeader + 4) else { return false }
        let port = quoted.u16(innerHeader + 2)
        let innerProtocol = quoted.u8(9)
        line.putIPv4(destination)
        switch innerProtocol {
        case 6: line.put(" tcp port "); line.putDecimal(port)
        case 17: line.put(" udp port "); line.putDecimal(port)
        default: line.put(" protocol "); line.putDecimal(innerProtocol); line.put(" port "); line.putDecimal(port)
        }
        line.put(" unreachable")
        return true
    }

    /// tcpdump's words around the address for the unreachable codes 0 to 15 (2, 3 and 4 have fields of their own).
    private static let unreachableWords: [(prefix: StaticString, suffix: StaticString)] = [
        ("net ", " unreachable"), ("host ", " unreachable"), ("", ""), ("", ""), ("", ""),
        ("", " unreachable - source route failed"), ("net ", " unreachable - unknown"), ("host ", " unreachable - unknown"),
        ("", " unreachable - source host isolated"), ("net ", " unreachable - admin prohibited"),
        ("host ", " unreachable - admin prohibited"), ("net ", " unreachable - tos prohibited"),
        ("host ", " unreachable - tos prohibited"), ("host ", " unreachable - admin prohibited filter"),
        ("host ", " unreachable - host precedence violation"), ("host ", " unreachable - precedence cutoff"),
    ]

    /// `redirect ADDRESS to host GATEWAY`; false when the quoted header was not captured.
    private func appendRedirect(_ bytes: CapturedBytes, code: UInt8, to line: inout [UInt8]) -> Bool {
        guard let destination = Self.quotedDestination(bytes), let icmp = bytes.icmpHeader(ICMPv4.self) else { return false }
        switch code {
        case 0: line.put("redirect "); line.putIPv4(destination); line.put(" to net ")
        case 1: line.put("redirect "); line.putIPv4(destination); line.put(" to host ")
        case 2: line.put("redirect-tos "); line.putIPv4(destination); line.put(" to net ")
        case 3: line.put("redirect-tos "); line.putIPv4(destination); line.put(" to host ")
        default: line.put("redirect-#"); line.putDecimal(code); line.put(" "); line.putIPv4(destination); line.put(" to ")
        }
        line.putIPv4(IPv4Address(rawValue: icmp.restOfHeader))
        return true
    }

    /// `time stamp reply id 1 seq 2: org 00:00:01.000, recv …, xmit …`; false when not wholly captured.
    private func appendTimestampReply(_ bytes: CapturedBytes, to line: inout [UInt8]) -> Bool {
        guard bytes.has(20), let icmp = bytes.icmpHeader(ICMPv4.self) else { return false }
        line.put("time stamp reply id "); line.putDecimal(icmp.identifier)
        line.put(" seq "); line.putDecimal(icmp.sequenceNumber)
        line.put(": org "); Self.appendMillisecondsOfDay(bytes.u32(8), to: &line)
        line.put(", recv "); Self.appendMillisecondsOfDay(bytes.u32(12), to: &line)
        line.put(", xmit "); Self.appendMillisecondsOfDay(bytes.u32(16), to: &line)
        return true
    }

    /// tcpdump's `icmp_tstamp_print`: milliseconds since midnight as `hh:mm:ss.mmm`.
    static func appendMillisecondsOfDay(_ value: UInt32, to line: inout [UInt8]) {
        let milliseconds = value % 1000
        let seconds = value / 1000
        let minutes = seconds / 60
        let hours = minutes / 60
        line.putDecimal(hours, minimumDigits: 2); line.put(":")
        line.putDecimal(minutes % 60, minimumDigits: 2); line.put(":")
        line.putDecimal(seconds % 60, minimumDigits: 2); line.put(".")
        line.putDecimal(milliseconds, minimumDigits: 3)
    }
}
