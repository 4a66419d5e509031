/// Headers read as far as they were captured: the codec's decoding when the whole header is there, else its
/// fixed part (options cut short, checksum not verified). tcpdump prints a header's fixed fields before it
/// looks at its options, so the summary needs exactly this view.
extension CapturedBytes {
    /// The IPv4 header, when its fixed 20 bytes were captured and the version is 4 (a cut header's
    /// `checksumIsValid` is false: it could not be verified).
    func ipv4Header() -> IPv4Header? {
        if let whole = parse({ (buffer, offset) throws(PacketDecodingError) in try IPv4Header(parsing: buffer, at: offset) }) {
            return whole
        }
        guard has(IPv4Header.minimumLength), u8(0) >> 4 == 4 else { return nil }
        var header = IPv4Header(source: ipv4(12), destination: ipv4(16), protocol: IPProtocolNumber(u8(9)),
                                timeToLive: u8(8), identification: u16(4), flags: IPv4Header.Flags(rawValue: u16(6) & 0xE000),
                                fragmentOffset: u16(6) & 0x1FFF, typeOfService: u8(1))
        header.totalLength = u16(2)
        header.checksum = u16(10)
        header.headerLength = Int(u8(0) & 0x0F) * 4
        header.optionsRange = (start + IPv4Header.minimumLength)..<(start + count)
        header.checksumIsValid = false
        return header
    }

    /// The TCP header, when its fixed 20 bytes were captured (the data offset may announce more than that).
    func tcpHeader() -> TCPHeader? {
        if let whole = parse({ (buffer, offset) throws(PacketDecodingError) in try TCPHeader(parsing: buffer, at: offset) }) {
            return whole
        }
        guard has(TCPHeader.minimumLength) else { return nil }
        var header = TCPHeader(sourcePort: u16(0), destinationPort: u16(2), sequenceNumber: u32(4), acknowledgmentNumber: u32(8),
                               flags: TCPHeader.Flags(rawValue: u16(12) & 0x01FF), window: u16(14), urgentPointer: u16(18))
        header.checksum = u16(16)
        header.headerLength = Int(u8(12) >> 4) * 4
        header.optionsRange = (start + TCPHeader.minimumLength)..<(start + min(count, max(header.headerLength, TCPHeader.minimumLength)))
        header.checksumIsValid = nil
        return header
    }

    /// The UDP header, when its 8 bytes were captured (its length field unchecked: tcpdump words a bad one).
    func udpHeader() -> UDPHeader? {
        guard has(UDPHeader.length) else { return nil }
        var header = UDPHeader(sourcePort: u16(0), destinationPort: u16(2))
        header.length = u16(4)
        header.checksum = u16(6)
        header.checksumIsValid = nil
        return header
    }

    /// The ICMP or ICMPv6 header, when its 8 bytes were captured (checksum not verified).
    func icmpHeader<Version: ICMPVersion>(_ version: Version.Type) -> ICMPHeader<Version>? {
        guard has(ICMPHeader<Version>.length) else { return nil }
        var header = ICMPHeader<Version>(type: .init(rawValue: u8(0)), code: u8(1), restOfHeader: u32(4))
        header.checksum = u16(2)
        header.checksumIsValid = nil
        return header
    }

    /// The ARP packet, when wholly captured.
    func arpPacket() -> ARPPacket? {
        parse { (buffer, offset) throws(PacketDecodingError) in try ARPPacket(parsing: buffer, at: offset) }
    }
}

extension CapturedBytes {
    /// The fixed IPv6 header, when its 40 bytes were captured and the version is 6 (the extension headers are
    /// not walked: the printer words each one as it goes).
    func ipv6FixedHeader() -> IPv6Header? {
        guard has(IPv6Header.length), u8(0) >> 4 == 6 else { return nil }
        let word = u32(0)
        var header = IPv6Header(source: ipv6(8), destination: ipv6(24), nextHeader: IPProtocolNumber(u8(6)), hopLimit: u8(7),
                                trafficClass: UInt8(truncatingIfNeeded: word >> 20), flowLabel: word & 0xF_FFFF)
        header.payloadLength = u16(4)
        return header
    }

    /// The IPv6 fragment header, when its 8 bytes were captured.
    func ipv6FragmentHeader() -> IPv6FragmentHeader? {
        has(8) ? IPv6FragmentHeader(parsing: buffer, at: start) : nil
    }
}
