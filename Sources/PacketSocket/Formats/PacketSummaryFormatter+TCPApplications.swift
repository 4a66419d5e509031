/// What tcpdump prints after a TCP segment's length for the application printers reproduced here: HTTP's
/// request or response line (`txtproto_print`) and DNS over TCP.
extension PacketSummaryFormatter {
    enum TCPApplication { case ssh, http, dns, generic }

    /// tcpdump's `tcp_print` port chain: the first printer whose port either side uses wins.
    static func tcpApplication(_ a: UInt16, _ b: UInt16) -> TCPApplication {
        if hasPrinterBeforeSSH(a) || hasPrinterBeforeSSH(b) { return .generic }
        if a == 22 || b == 22 { return .ssh }
        if hasEarlierTCPPrinter(a) || hasEarlierTCPPrinter(b) { return .generic }
        if a == 80 || b == 80 || a == 8080 || b == 8080 { return .http }
        if a == 554 || b == 554 || a == 8554 || b == 8554 { return .generic } // RTSP
        if a == 53 || b == 53 { return .dns }
        return .generic
    }

    /// Telnet, SMTP, whois, BGP, PPTP, Redis: before SSH in tcpdump.
    private static func hasPrinterBeforeSSH(_ port: UInt16) -> Bool {
        switch port {
        case 23, 25, 43, 179, 1723, 6379: return true
        default: return false
        }
    }

    /// NetBIOS, SMB, BEEP, OpenFlow, FTP: after SSH and before HTTP in tcpdump.
    private static func hasEarlierTCPPrinter(_ port: UInt16) -> Bool {
        switch port {
        case 139, 445, 10288, 6633, 6653, 21: return true
        default: return false
        }
    }

    /// tcpdump's `ssh_print_version`: `: SSH: ` and the identification line, when the payload starts with one
    /// (`SSH-2.0-…` up to CR-LF or LF); nothing otherwise.
    func appendSSH(_ buffer: UnsafeRawBufferPointer, at base: Int, end: Int, length: Int, to line: inout [UInt8]) {
        let prefix: StaticString = "SSH-"
        for index in 0..<4 {
            guard base + index < end else { line.put(" [|ssh]"); return }
            guard buffer.u8(base + index) == prefix.utf8Start[index] else { return }
        }
        var index = 4
        while index < length {
            guard base + index < end else { line.put(" [|ssh]"); return }
            let character = buffer.u8(base + index)
            if character == 0x0A { break }
            if character == 0x0D {
                guard index + 1 < length else { return }
                guard base + index + 1 < end else { line.put(" [|ssh]"); return }
                guard buffer.u8(base + index + 1) == 0x0A else { return }
                break
            }
            guard character >= 0x20 && character < 0x7F else { return }
            index += 1
        }
        guard index < length else { return }
        line.put(": SSH: ")
        for position in 0..<index { line.append(buffer.u8(base + position)) }
    }

    /// Whether the token equals `name`, ignoring ASCII case.
    private static func token(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ count: Int, is name: StaticString) -> Bool {
        guard name.utf8CodeUnitCount == count else { return false }
        let bytes = name.utf8Start
        for index in 0..<count {
            var character = buffer.u8(start + index)
            if character >= 0x61 && character <= 0x7A { character -= 0x20 }
            if character != bytes[index] { return false }
        }
        return true
    }

    /// The HTTP methods tcpdump recognises (`httpcmds`).
    private static func isHTTPMethod(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Bool {
        switch count {
        case 3: return token(buffer, start, count, is: "GET") || token(buffer, start, count, is: "PUT")
        case 4:
            return token(buffer, start, count, is: "COPY") || token(buffer, start, count, is: "HEAD") || token(buffer, start, count, is: "LOCK")
                || token(buffer, start, count, is: "MOVE") || token(buffer, start, count, is: "POLL") || token(buffer, start, count, is: "POST")
        case 5:
            return token(buffer, start, count, is: "BCOPY") || token(buffer, start, count, is: "BMOVE") || token(buffer, start, count, is: "MKCOL")
                || token(buffer, start, count, is: "TRACE") || token(buffer, start, count, is: "LABEL") || token(buffer, start, count, is: "MERGE")
        case 6:
            return token(buffer, start, count, is: "DELETE") || token(buffer, start, count, is: "SEARCH") || token(buffer, start, count, is: "UNLOCK")
                || token(buffer, start, count, is: "REPORT") || token(buffer, start, count, is: "UPDATE") || token(buffer, start, count, is: "NOTIFY")
        case 7:
            return token(buffer, start, count, is: "BDELETE") || token(buffer, start, count, is: "CONNECT")
                || token(buffer, start, count, is: "OPTIONS") || token(buffer, start, count, is: "CHECKIN")
        case 8:
            return token(buffer, start, count, is: "PROPFIND") || token(buffer, start, count, is: "CHECKOUT") || token(buffer, start, count, is: "CCM_POST")
        case 9:
            return token(buffer, start, count, is: "SUBSCRIBE") || token(buffer, start, count, is: "PROPPATCH") || token(buffer, start, count, is: "BPROPFIND")
        case 10:
            return token(buffer, start, count, is: "BPROPPATCH") || token(buffer, start, count, is: "UNCHECKOUT") || token(buffer, start, count, is: "MKACTIVITY")
        case 11:
            return token(buffer, start, count, is: "MKWORKSPACE") || token(buffer, start, count, is: "UNSUBSCRIBE") || token(buffer, start, count, is: "RPC_CONNECT")
        case 15: return token(buffer, start, count, is: "VERSION-CONTROL")
        case 16: return token(buffer, start, count, is: "BASELINE-CONTROL")
        default: return false
        }
    }

    /// tcpdump's `fetch_token`: the token at `index` (its start and length) and the index after the blanks that
    /// follow it; nil when there is none (binary data, cut, or longer than 127 characters).
    private static func fetchToken(_ buffer: UnsafeRawBufferPointer, _ base: Int, _ index: Int, _ length: Int, _ end: Int)
        -> (start: Int, count: Int, next: Int)? {
        var position = index
        var count = 0
        while position < length {
            guard base + position < end else { return nil }
            let character = buffer.u8(base + position)
            guard character < 0x80 else { return nil }
            if character == 0x20 || character == 0x09 || character == 0x0D || character == 0x0A { break }
            guard character >= 0x20 && character < 0x7F else { return nil }
            guard count + 2 <= 129 else { return nil }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        let start = index
        while position < length {
            guard base + position < end else { break }
            let character = buffer.u8(base + position)
            if character == 0x0D || character == 0x0A { break }
            guard character >= 0x20 && character < 0x7F else { break }
            if character != 0x20 && character != 0x09 { break }
            position += 1
        }
        return (base + start, count, position)
    }

    /// tcpdump's `txtproto_print` for HTTP without -v: `HTTP`, then `: ` and the first line when the payload
    /// starts with a request or a response line.
    func appendHTTP(_ buffer: UnsafeRawBufferPointer, at base: Int, end: Int, length: Int, to line: inout [UInt8]) {
        var printLine = false
        if let first = Self.fetchToken(buffer, base, 0, length, end) {
            if Self.isHTTPMethod(buffer, first.start, first.count) { printLine = true }
            if let second = Self.fetchToken(buffer, base, first.next, length, end),
               second.count == 3, isDigit(buffer.u8(second.start)), isDigit(buffer.u8(second.start + 1)), isDigit(buffer.u8(second.start + 2)) {
                printLine = true
            }
        }
        line.put("HTTP")
        guard printLine else { return }
        // print_txt_line: the first line up to CR-LF or LF, only if it is all printable.
        var index = 0
        while index < length {
            guard base + index < end else { line.put(" [|http]"); return }
            let character = buffer.u8(base + index)
            if character == 0x0A { break }
            if character == 0x0D {
                guard index + 1 < length else { return }
                guard base + index + 1 < end else { line.put(" [|http]"); return }
                guard buffer.u8(base + index + 1) == 0x0A else { return }
                break
            }
            guard (character >= 0x20 && character < 0x7F) || character == 0x09 else { return }
            index += 1
        }
        line.put(": ")
        for position in 0..<index { line.append(buffer.u8(base + position)) }
        if index == length { line.put(" [|http]") }
    }

    private func isDigit(_ character: UInt8) -> Bool { character >= 0x30 && character <= 0x39 }

    /// tcpdump's `domain_print` over TCP: the two-byte length prefix must equal the rest of the segment.
    func appendDNSOverTCP(_ buffer: UnsafeRawBufferPointer, at base: Int, end: Int, length: Int, to line: inout [UInt8]) {
        guard length >= 2 else {
            line.put(" [DNS over TCP: length "); line.putDecimal(length); line.put(" < 2] (invalid)")
            return
        }
        guard end - base >= 2 else { line.put(" [|domain]"); return }
        let prefix = Int(buffer.u16(base))
        guard prefix == length - 2 else {
            line.put(" [prefix length("); line.putDecimal(prefix); line.put(") != length("); line.putDecimal(length - 2); line.put(")] (invalid)")
            return
        }
        line.put(" ")
        appendDNS(buffer, at: base + 2, end: end, length: length - 2, multicast: false, to: &line)
    }
}
