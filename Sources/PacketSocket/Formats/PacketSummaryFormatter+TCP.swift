/// TCP, after tcpdump's `tcp_print` at the default verbosity: ports, flags, sequence numbers (relative to the
/// conversation's start unless `-S`), window, options and the application printers chosen by port.
extension PacketSummaryFormatter {
    /// The numbers a segment prints, and what its SACK blocks are relative to.
    struct TCPNumbers {
        var sequence: UInt32, acknowledgment: UInt32
        var reversed = false
        var base = TCPConversationStart(sequence: 0, acknowledgment: 0)
        /// SACK edges are acknowledgment numbers of the other direction.
        var sackBase: UInt32 { reversed ? base.sequence : base.acknowledgment }
    }

    /// `bytes` is the TCP header, cut where the IP datagram ends; `context.length` the segment length.
    mutating func appendTCP(_ bytes: CapturedBytes, context: IPContext, to line: inout [UInt8]) {
        let length = context.length
        guard bytes.has(4) else { context.putAddresses(&line); line.put(":"); line.put(" [|tcp]"); return }
        context.putAddressesAndPorts(.tcp, bytes.u16(0), bytes.u16(2), &line)
        guard let tcp = bytes.tcpHeader() else { line.put(" [|tcp]"); return }
        guard tcp.headerLength >= TCPHeader.minimumLength else {
            line.put(" tcp "); line.putDecimal(UInt32(truncatingIfNeeded: length - tcp.headerLength))
            line.put(" [bad hdr length "); line.putDecimal(tcp.headerLength); line.put(" - too short, < 20]")
            return
        }
        if isQuiet {
            line.put("tcp "); line.putDecimal(UInt32(truncatingIfNeeded: length - tcp.headerLength))
            if tcp.headerLength > length {
                line.put(" [bad hdr length "); line.putDecimal(tcp.headerLength); line.put(" - too long, > ")
                line.putDecimal(length); line.put("]")
            }
            return
        }
        let flags = UInt8(truncatingIfNeeded: tcp.flags.rawValue)
        Self.appendFlags(flags, to: &line)
        let numbers = self.numbers(of: tcp, context: context)
        guard tcp.headerLength <= length else {
            line.put(" [bad hdr length "); line.putDecimal(tcp.headerLength); line.put(" - too long, > ")
            line.putDecimal(length); line.put("]")
            return
        }
        if verbose && !context.fragmented && bytes.has(length) {
            Self.appendChecksum(tcp.checksum, computed: context.pseudoHeader.checksum(protocol: .tcp, segment: bytes.bytes(length)), to: &line)
        }
        let dataLength = length - tcp.headerLength
        guard appendNumbers(tcp, numbers, dataLength: dataLength, options: bytes.dropFirst(TCPHeader.minimumLength), to: &line) else { return }
        line.put(", length "); line.putDecimal(dataLength)
        guard dataLength > 0 else { return }
        guard bytes.has(tcp.headerLength) else {
            line.put(" [remaining caplen("); line.putDecimal(bytes.count); line.put(") < header length(")
            line.putDecimal(tcp.headerLength); line.put(")]"); line.put(" [|tcp]")
            dumpsWholeFrame()
            return
        }
        appendTCPApplication(tcp, payload: bytes.dropFirst(tcp.headerLength), length: dataLength, to: &line)
    }

    /// `-v`: `, cksum 0x1c46 (correct)` or `, cksum 0x1c47 (incorrect -> 0x1c46)`.
    private static func appendChecksum(_ found: UInt16, computed: UInt16, to line: inout [UInt8]) {
        line.put(", cksum 0x"); line.putHex(found, digits: 4)
        if computed != 0 {
            line.put(" (incorrect -> 0x"); line.putHex(checksumShouldBe(found, computed), digits: 4); line.put(")")
        } else {
            line.put(" (correct)")
        }
    }

    /// `Flags [S.]`: tcpdump's `tcp_flag_values` letters in bit order, `none` for no flag.
    private static func appendFlags(_ flags: UInt8, to line: inout [UInt8]) {
        let letters: StaticString = "FSRP.UEW"
        line.put("Flags [")
        if flags == 0 { line.put("none") }
        for bit in 0..<8 where flags & (1 << bit) != 0 { line.append(letters.utf8Start[bit]) }
        line.put("]")
    }

    /// Sequence and acknowledgment numbers, window, urgent pointer and options; false when the options
    /// stopped the line.
    private mutating func appendNumbers(_ tcp: TCPHeader, _ numbers: TCPNumbers, dataLength: Int, options: CapturedBytes,
                               to line: inout [UInt8]) -> Bool {
        if dataLength > 0 || tcp.flags.contains(.fin) || tcp.flags.contains(.syn) || tcp.flags.contains(.rst) {
            line.put(", seq "); line.putDecimal(numbers.sequence)
            if dataLength > 0 { line.put(":"); line.putDecimal(numbers.sequence &+ UInt32(truncatingIfNeeded: dataLength)) }
        }
        if tcp.flags.contains(.ack) { line.put(", ack "); line.putDecimal(numbers.acknowledgment) }
        line.put(", win "); line.putDecimal(tcp.window)
        if tcp.flags.contains(.urg) { line.put(", urg "); line.putDecimal(tcp.urgentPointer) }
        guard tcp.headerLength > TCPHeader.minimumLength else { return true }
        line.put(", options [")
        guard appendTCPOptions(options, count: tcp.headerLength - TCPHeader.minimumLength, sackBase: numbers.sackBase,
                               to: &line) else { return false }
        line.put("]")
        return true
    }

    /// The printed numbers; with ACK set and without `-S`, relative to the conversation's first segment
    /// (tcpdump's `tcp_seq_hash`), which a SYN (re)starts.
    private mutating func numbers(of tcp: TCPHeader, context: IPContext) -> TCPNumbers {
        var numbers = TCPNumbers(sequence: tcp.sequenceNumber, acknowledgment: tcp.acknowledgmentNumber)
        guard !printsAbsoluteSequenceNumbers && tcp.flags.contains(.ack) else { return numbers }
        let (key, reversed) = TCPConversationKey.of(context, sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort)
        numbers.reversed = reversed
        if let known = conversations[key], !tcp.flags.contains(.syn) {
            numbers.base = known
            numbers.sequence &-= reversed ? known.acknowledgment : known.sequence
            numbers.acknowledgment &-= reversed ? known.sequence : known.acknowledgment
        } else {
            numbers.base = reversed
                ? TCPConversationStart(sequence: tcp.acknowledgmentNumber &- 1, acknowledgment: tcp.sequenceNumber)
                : TCPConversationStart(sequence: tcp.sequenceNumber, acknowledgment: tcp.acknowledgmentNumber &- 1)
            conversations[key] = numbers.base
        }
        return numbers
    }

    /// The application printer tcpdump picks by port, after the segment's length.
    private func appendTCPApplication(_ tcp: TCPHeader, payload: CapturedBytes, length: Int, to line: inout [UInt8]) {
        switch Self.tcpApplication(tcp.sourcePort, tcp.destinationPort) {
        case .ssh:
            appendSSH(payload, length: length, to: &line)
        case .http:
            line.put(": ")
            appendHTTP(payload, length: length, to: &line)
        case .dns:
            appendDNSOverTCP(payload, length: length, to: &line)
        case .generic:
            break
        }
    }
}
