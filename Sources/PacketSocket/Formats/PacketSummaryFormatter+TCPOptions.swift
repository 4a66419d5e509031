/// TCP options, after tcpdump's option loop in `tcp_print` (`mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7`).
extension PacketSummaryFormatter {
    /// tcpdump's LENCHECK: whether `needed` data bytes are within the options and were captured.
    private enum OptionCheck { case ok, bad, truncated }

    /// Where the option loop is: the option's data in the captured options and the option bytes left.
    private struct OptionCursor {
        let options: CapturedBytes
        var position = 0
        var left: Int
        var first = true

        func check(_ needed: Int) -> OptionCheck {
            if needed > left { return .bad }
            if !options.has(position + needed) { return .truncated }
            return .ok
        }

        /// Ends the options on a failed check the way tcpdump does; always false.
        func stop(_ result: OptionCheck, _ line: inout [UInt8]) -> Bool {
            if result == .truncated {
                line.put(" [|tcp]")
            } else {
                line.put("[bad opt]")
                if !first { line.put("]") }
            }
            return false
        }
    }

    /// tcpdump's option loop over `count` option bytes; false when it stopped the line (`[bad opt]` or cut).
    /// An option's kind or length byte that was not captured is a whole-frame dump (tcpdump reads them with
    /// GET_ macros); its data is checked with LENCHECK, which only ends the line.
    mutating func appendTCPOptions(_ options: CapturedBytes, count: Int, sackBase: UInt32, to line: inout [UInt8]) -> Bool {
        var cursor = OptionCursor(options: options, left: count)
        while cursor.left > 0 {
            if !cursor.first { line.put(",") }
            guard cursor.options.has(cursor.position + 1) else { dumpsWholeFrame(); return cursor.stop(.truncated, &line) }
            let kind = options.u8(cursor.position)
            cursor.position += 1
            var length = 1
            if kind > 1 {
                guard options.has(cursor.position + 1) else { dumpsWholeFrame(); return cursor.stop(.truncated, &line) }
                length = Int(options.u8(cursor.position))
                cursor.position += 1
                guard length >= 2, length <= cursor.left else { return cursor.stop(.bad, &line) }
                cursor.left -= 1
            }
            cursor.left -= 1
            guard let dataLength = appendOption(kind, length: length, cursor, sackBase: sackBase, to: &line) else { return false }
            cursor.position += dataLength
            cursor.left -= dataLength
            if dataLength + (kind > 1 ? 2 : 1) != length { line.put("[len "); line.putDecimal(length); line.put("]") }
            cursor.first = false
            if kind == 0 { break }
        }
        return true
    }

    /// One option's words; the data bytes it used, nil when it stopped the line.
    private func appendOption(_ kind: UInt8, length: Int, _ cursor: OptionCursor, sackBase: UInt32, to line: inout [UInt8]) -> Int? {
        let options = cursor.options, at = cursor.position
        switch kind {
        case 0: line.put("eol"); return 0
        case 1: line.put("nop"); return 0
        case 2, 3:
            line.put(kind == 2 ? "mss" : "wscale")
            let result = cursor.check(kind == 2 ? 2 : 1)
            guard result == .ok else { _ = cursor.stop(result, &line); return nil }
            line.put(" "); line.putDecimal(kind == 2 ? UInt32(options.u16(at)) : UInt32(options.u8(at)))
            return kind == 2 ? 2 : 1
        case 4: line.put("sackOK"); return 0
        case 5:
            line.put("sack")
            return appendSACK(cursor, dataLength: length - 2, base: sackBase, to: &line) ? length - 2 : nil
        case 8:
            line.put("TS")
            let result = cursor.check(8)
            guard result == .ok else { _ = cursor.stop(result, &line); return nil }
            line.put(" val "); line.putDecimal(options.u32(at)); line.put(" ecr "); line.putDecimal(options.u32(at + 4))
            return 8
        default:
            // Kinds with a dedicated tcpdump printer (MD5, UTO, MPTCP, TFO...) print as unknown here.
            line.put("unknown-"); line.putDecimal(kind)
            return appendUnknownOption(cursor, dataLength: length - 2, to: &line) ? length - 2 : nil
        }
    }

    /// `sack N {left:right}…`, edges relative to `base`; false when it stopped the line.
    private func appendSACK(_ cursor: OptionCursor, dataLength: Int, base: UInt32, to line: inout [UInt8]) -> Bool {
        guard dataLength % 8 == 0 else { line.put(" invalid sack"); return true }
        line.put(" "); line.putDecimal(dataLength / 8); line.put(" ")
        for index in stride(from: 0, to: dataLength, by: 8) {
            let result = cursor.check(index + 8)
            guard result == .ok else { return cursor.stop(result, &line) }
            let at = cursor.position + index
            line.put("{"); line.putDecimal(cursor.options.u32(at) &- base)
            line.put(":"); line.putDecimal(cursor.options.u32(at + 4) &- base); line.put("}")
        }
        return true
    }

    /// ` 0x…`: the data of an option printed as hex; false when it stopped the line.
    private func appendUnknownOption(_ cursor: OptionCursor, dataLength: Int, to line: inout [UInt8]) -> Bool {
        if dataLength > 0 { line.put(" 0x") }
        for index in 0..<max(0, dataLength) {
            let result = cursor.check(index + 1)
            guard result == .ok else { return cursor.stop(result, &line) }
            line.putHex(cursor.options.u8(cursor.position + index), digits: 2)
        }
        return true
    }
}
