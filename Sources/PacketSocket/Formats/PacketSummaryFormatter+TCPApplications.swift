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
    func appendSSH(_ payload: CapturedBytes, length: Int, to line: inout [UInt8]) {
        let prefix: StaticString = "SSH-"
        for index in 0..<4 {
            guard payload.has(index + 1) else { line.put(" [|ssh]"); return }
            guard payload.u8(index) == prefix.utf8Start[index] else { return }
        }
        switch Self.firstLine(payload, from: 4, length: length, allowsTab: false) {
        case .cut: line.put(" [|ssh]")
        case .notText: return
        case .line(let count):
            guard count < length else { return }
            line.put(": SSH: ")
            for position in 0..<count { line.append(payload.u8(position)) }
        }
    }

    /// The first line of a text payload (tcpdump's `print_txt_line` test).
    enum TextLine {
        /// `count` printable characters before CR-LF or LF, or up to `length`.
        case line(count: Int)
        /// A character that is not printable, or a CR without LF.
        case notText
        /// The capture ended first.
        case cut
    }

    /// Scans from `index` for the end of the first line; tabs count as printable when `allowsTab`.
    static func firstLine(_ payload: CapturedBytes, from start: Int, length: Int, allowsTab: Bool) -> TextLine {
        var index = start
        while index < length {
            guard payload.has(index + 1) else { return .cut }
            let character = payload.u8(index)
            if character == 0x0A { break }
            if character == 0x0D {
                guard index + 1 < length else { return .notText }
                guard payload.has(index + 2) else { return .cut }
                guard payload.u8(index + 1) == 0x0A else { return .notText }
                break
            }
            guard (character >= 0x20 && character < 0x7F) || (allowsTab && character == 0x09) else { return .notText }
            index += 1
        }
        return .line(count: index)
    }

    /// The HTTP methods tcpdump recognises (`httpcmds`).
    private static let httpMethods: [StaticString] = [
        "GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL", "TRACE", "LABEL",
        "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS",
        "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH",
        "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL", "BASELINE-CONTROL",
    ]

    /// Whether the token at `start` is one of ``httpMethods``, ignoring ASCII case.
    private static func isHTTPMethod(_ payload: CapturedBytes, _ start: Int, _ count: Int) -> Bool {
        httpMethods.contains { name in
            guard name.utf8CodeUnitCount == count else { return false }
            for index in 0..<count {
                var character = payload.u8(start + index)
                if character >= 0x61 && character <= 0x7A { character -= 0x20 }
                if character != name.utf8Start[index] { return false }
            }
            return true
        }
    }

    /// tcpdump's `fetch_token`: the token at `index` (its start and length) and the index after the blanks that
    /// follow it; nil when there is none (binary data, cut, or longer than 127 characters).
    private static func fetchToken(_ payload: CapturedBytes, _ index: Int, _ length: Int) -> (start: Int, count: Int, next: Int)? {
        var position = index
        var count = 0
        while position < length {
            guard payload.has(position + 1) else { return nil }
            let character = payload.u8(position)
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
            guard payload.has(position + 1) else { break }
            let character = payload.u8(position)
            if character == 0x0D || character == 0x0A { break }
            guard character >= 0x20 && character < 0x7F else { break }
            if character != 0x20 && character != 0x09 { break }
            position += 1
        }
        return (start, count, position)
    }

    /// tcpdump's `txtproto_print` for HTTP without -v: `HTTP`, then `: ` and the first line when the payload
    /// starts with a request or a response line.
    func appendHTTP(_ payload: CapturedBytes, length: Int, to line: inout [UInt8]) {
        var printLine = false
        if let first = Self.fetchToken(payload, 0, length) {
            if Self.isHTTPMethod(payload, first.start, first.count) { printLine = true }
            if let second = Self.fetchToken(payload, first.next, length), second.count == 3,
               isDigit(payload.u8(second.start)), isDigit(payload.u8(second.start + 1)), isDigit(payload.u8(second.start + 2)) {
                printLine = true
            }
        }
        line.put("HTTP")
        guard printLine else { return }
        if verbose {
            // -v: every line on its own, after a tab (tcpdump's txtproto_print loop).
            line.put(", length: "); line.putDecimal(length)
            var index = 0
            while index < length {
                switch Self.firstLine(payload, from: index, length: length, allowsTab: true) {
                case .cut: line.put(" [|http]"); return
                case .notText: return
                case .line(let end):
                    line.put("\n\t")
                    for position in index..<end { line.append(payload.u8(position)) }
                    if end == length { line.put(" [|http]"); return }
                    index = end + (payload.u8(end) == 0x0A ? 1 : 2)
                }
            }
            return
        }
        switch Self.firstLine(payload, from: 0, length: length, allowsTab: true) {
        case .cut: line.put(" [|http]")
        case .notText: return
        case .line(let count):
            line.put(": ")
            for position in 0..<count { line.append(payload.u8(position)) }
            if count == length { line.put(" [|http]") }
        }
    }

    private func isDigit(_ character: UInt8) -> Bool { character >= 0x30 && character <= 0x39 }

    /// tcpdump's `domain_print` over TCP: the two-byte length prefix must equal the rest of the segment.
    func appendDNSOverTCP(_ payload: CapturedBytes, length: Int, to line: inout [UInt8]) {
        guard length >= 2 else {
            line.put(" [DNS over TCP: length "); line.putDecimal(length); line.put(" < 2] (invalid)")
            return
        }
        guard payload.has(2) else { line.put(" [|domain]"); return }
        let prefix = Int(payload.u16(0))
        guard prefix == length - 2 else {
            line.put(" [prefix length("); line.putDecimal(prefix); line.put(") != length("); line.putDecimal(length - 2); line.put(")] (invalid)")
            return
        }
        line.put(" ")
        appendDNS(payload.dropFirst(2), length: length - 2, multicast: false, to: &line)
    }
}
