/// CAN XL text, as current can-utils' lib.c prints and parses it (`snprintf_canframe`,
/// `snprintf_long_canframe`, `parse_canframe` of can-utils master; can-utils 2020.11 has no CAN XL):
///
/// - compact (cansend, candump logs): `<VCID 2 hex><priority 3 hex>#<flags 2 hex>:<SDT 2 hex>:<AF 8 hex>#<data>`,
///   e.g. `39598#82:4A:3239B34A#3CAB`;
/// - long (candump's screen): `<priority 3 hex> [<len 4 digits>] (<VCID>|<flags>:<SDT>:<AF>) <data>`, e.g.
///   `598 [0002] (39|82:4A:3239B34A) 3C AB`, at most 64 data bytes and ` ...` when there are more.
///
/// Like the classic forms, the `append` functions write into a reused byte buffer with a hex table.
extension CANFrameText {
    /// The most data bytes the long form shows (`CANFD_MAX_DLEN`); longer frames end with ` ...`.
    public static let longXLDataLimit = 64

    // MARK: Compact form

    /// Appends the compact form of a CAN XL frame: `39598#82:4A:3239B34A#3CAB`, with `.` between data bytes
    /// when `separator` is set (`snprintf_canframe`'s `sep`).
    public static func appendCompact(_ frame: CANXLFrame, separator: Bool = false, to buffer: inout [UInt8]) {
        appendHex(UInt32(frame.vcid), digits: 2, to: &buffer)
        appendHex(UInt32(frame.priority), digits: 3, to: &buffer)
        buffer.append(UInt8(ascii: "#"))
        appendXLHeader(frame, to: &buffer)
        buffer.append(UInt8(ascii: "#"))
        frame.data.withUnsafeBufferPointer { data in
            for i in data.indices {
                buffer.append(ByteText.hexDigit(data[i] >> 4))
                buffer.append(ByteText.hexDigit(data[i] & 0x0F))
                if separator && i + 1 < data.count { buffer.append(UInt8(ascii: ".")) }
            }
        }
    }

    /// The compact form of a CAN XL frame as a string.
    public static func compact(_ frame: CANXLFrame, separator: Bool = false) -> String {
        var buffer: [UInt8] = []
        appendCompact(frame, separator: separator, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The compact form of any frame, classic, FD or XL.
    public static func compact(_ frame: CANAnyFrame, separator: Bool = false) -> String {
        switch frame {
        case .can(let frame): compact(frame, separator: separator)
        case .xl(let frame): compact(frame, separator: separator)
        }
    }

    /// `<flags>:<sdt>:<af>`, the header both forms share.
    static func appendXLHeader(_ frame: CANXLFrame, to buffer: inout [UInt8]) {
        appendHex(UInt32(frame.flags.rawValue), digits: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendHex(UInt32(frame.serviceDataUnitType), digits: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendHex(frame.acceptanceField, digits: 8, to: &buffer)
    }

    // MARK: Long form

    /// Appends candump's screen form of a CAN XL frame, without the line end:
    /// `598 [0002] (39|82:4A:3239B34A) 3C AB`; with ``View/indentStandardIDs`` the priority is indented by five
    /// spaces as a standard id is. The other view flags (ASCII, binary, swap, error decode) do not apply to CAN XL
    /// in can-utils and are ignored here too.
    public static func appendLong(_ frame: CANXLFrame, view: View, to buffer: inout [UInt8]) {
        if view.indentStandardIDs { for _ in 0..<5 { buffer.append(space) } }
        appendHex(UInt32(frame.priority), digits: 3, to: &buffer)
        buffer.append(contentsOf: [space, UInt8(ascii: "[")])
        appendDecimal(frame.data.count, digits: 4, to: &buffer)
        buffer.append(contentsOf: [UInt8(ascii: "]"), space, UInt8(ascii: "(")])
        appendHex(UInt32(frame.vcid), digits: 2, to: &buffer)
        buffer.append(UInt8(ascii: "|"))
        appendXLHeader(frame, to: &buffer)
        buffer.append(contentsOf: [UInt8(ascii: ")"), space])
        let shown = min(frame.data.count, longXLDataLimit)
        frame.data.withUnsafeBufferPointer { data in
            for i in 0..<shown {
                if i > 0 { buffer.append(space) }
                buffer.append(ByteText.hexDigit(data[i] >> 4))
                buffer.append(ByteText.hexDigit(data[i] & 0x0F))
            }
        }
        if frame.data.count > shown { buffer.append(contentsOf: " ...".utf8) }
    }

    /// The long form of a CAN XL frame as a string.
    public static func long(_ frame: CANXLFrame, view: View = View()) -> String {
        var buffer: [UInt8] = []
        appendLong(frame, view: view, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// printf's `%0Nd` for a non-negative value.
    @inline(__always)
    static func appendDecimal(_ value: Int, digits: Int, to buffer: inout [UInt8]) {
        ByteText.appendDecimal(UInt64(truncatingIfNeeded: value), minimumDigits: digits, to: &buffer)
    }

    // MARK: Parsing

    /// Parses cansend's frame syntax of current can-utils, CAN XL included: a 5-digit id (VCID, then the 3-digit
    /// priority) followed by `#<flags>:<sdt>:<af>#<data>` is a CAN XL frame; everything else is parsed as
    /// ``parse(_:)`` does (classic, remote, FD, error frames).
    ///
    /// Stricter than can-utils where it would silently send something else: a priority above 0x7FF, reserved flag
    /// bits, no data or more than 2048 bytes, and a 5-digit id without the XL header are errors here. A flags
    /// byte without XLF gets it, as can-utils does.
    /// - Throws: ``CANTextParseError`` with the column of the first bad character.
    public static func parseAny(_ text: some StringProtocol) throws(CANTextParseError) -> CANAnyFrame {
        let bytes = Array(text.utf8)
        guard bytes.count > 5, bytes[5] == UInt8(ascii: "#"), !bytes[..<5].contains(UInt8(ascii: "#")) else {
            return .can(try parse(text))
        }
        return .xl(try parseXL(bytes))
    }

    /// Parses the compact form of a CAN XL frame (see ``parseAny(_:)``).
    /// - Throws: ``CANTextParseError``, also for text that is not a CAN XL frame.
    public static func parseXL(_ text: some StringProtocol) throws(CANTextParseError) -> CANXLFrame {
        try parseXL(Array(text.utf8))
    }

    static func parseXL(_ bytes: [UInt8]) throws(CANTextParseError) -> CANXLFrame {
        func nibble(_ index: Int) -> UInt8? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return bytes[index] - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return bytes[index] - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return bytes[index] - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        func character(_ index: Int) -> String {
            index < bytes.count ? "'\(Character(Unicode.Scalar(bytes[index])))'" : "the end"
        }
        func hexValue(_ start: Int, digits: Int, what: String) throws(CANTextParseError) -> UInt32 {
            var value: UInt32 = 0
            for i in start..<(start + digits) {
                guard let n = nibble(i) else {
                    throw CANTextParseError("\(character(i)) is not a hex digit in the CAN XL \(what)", column: i + 1)
                }
                value = value << 4 | UInt32(n)
            }
            return value
        }
        func expect(_ ascii: UInt8, at index: Int, _ message: String) throws(CANTextParseError) {
            guard index < bytes.count, bytes[index] == ascii else {
                throw CANTextParseError("\(message), found \(character(index))", column: index + 1)
            }
        }
        try expect(UInt8(ascii: "#"), at: 5, "a CAN XL frame has a 5-digit id (VCID and priority) followed by '#'")
        let vcid = try hexValue(0, digits: 2, what: "VCID")
        let priority = try hexValue(2, digits: 3, what: "priority")
        guard priority <= CANXLFrame.priorityMask else {
            throw CANTextParseError("CAN XL priority \(String(priority, radix: 16, uppercase: true)) exceeds 7FF", column: 3)
        }
        // <flags 2>:<sdt 2>:<af 8># starting at column 7, as parse_canframe's fixed offsets.
        let flags = try hexValue(6, digits: 2, what: "flags")
        try expect(UInt8(ascii: ":"), at: 8, "expected ':' after the CAN XL flags (<flags>:<sdt>:<af>#<data>)")
        let sdt = try hexValue(9, digits: 2, what: "SDT")
        try expect(UInt8(ascii: ":"), at: 11, "expected ':' after the CAN XL SDT (<flags>:<sdt>:<af>#<data>)")
        let af = try hexValue(12, digits: 8, what: "acceptance field")
        try expect(UInt8(ascii: "#"), at: 20, "expected '#' after the 8-digit CAN XL acceptance field")
        var index = 21
        var data: [UInt8] = []
        while true {
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") { index += 1 }
            if index >= bytes.count { break }
            guard data.count < CANXLFrame.maximumDataLength else {
                throw CANTextParseError("more than \(CANXLFrame.maximumDataLength) data bytes", column: index + 1)
            }
            guard let high = nibble(index) else {
                throw CANTextParseError("\(character(index)) is not a hex digit", column: index + 1)
            }
            guard let low = nibble(index + 1) else {
                throw CANTextParseError(index + 1 < bytes.count ? "\(character(index + 1)) is not a hex digit" : "odd number of hex digits",
                                        column: index + 2)
            }
            data.append(high << 4 | low)
            index += 2
        }
        guard !data.isEmpty else { throw CANTextParseError("a CAN XL frame needs 1 to 2048 data bytes", column: index + 1) }
        let flagBits = CANXLFlags(rawValue: UInt8(flags))
        guard flagBits.isSubset(of: .defined) else {
            throw CANTextParseError("CAN XL flags \(String(flags, radix: 16, uppercase: true)) set reserved bits (defined: 80 XLF, 01 SEC, 02 RRS)", column: 7)
        }
        do {
            return try CANXLFrame(priority: priority, vcid: UInt8(vcid), flags: flagBits, serviceDataUnitType: UInt8(sdt),
                                  acceptanceField: af, data: data)
        } catch {
            throw CANTextParseError("\(error)", column: 1)
        }
    }
}
