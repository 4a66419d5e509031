import SocketBase

/// A frame or log line that could not be parsed: what was wrong and at which column (1-based).
public struct CANTextParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public let message: String
    /// The 1-based column in the text where the problem is.
    public let column: Int
    /// The 1-based line, when the text came from a file.
    public var line: Int?

    public init(_ message: String, column: Int, line: Int? = nil) {
        self.message = message
        self.column = column
        self.line = line
    }

    public var description: String {
        (line.map { "line \($0), " } ?? "") + "column \(column): \(message)"
    }
}

extension CANFrameText {
    /// The kinds of frame the compact syntax writes, told apart by the id field before the first `#`.
    public enum CompactKind: Sendable, Hashable {
        /// 3 digits (standard id) or 8 digits (extended id or error frame): classic, remote or FD.
        case can
        /// 5 digits (priority and VCID): CAN XL, `<prio/vcid>#<flags>:<sdt>:<af>#<data>` (can-utils after v2025.01).
        case xl
    }

    /// Which kind of frame `bytes` holds, as `parse_canframe` decides it: by where the first `#` is.
    public static func compactKind(_ bytes: some Collection<UInt8>) -> CompactKind? {
        switch bytes.firstIndex(of: UInt8(ascii: "#")).map({ bytes.distance(from: bytes.startIndex, to: $0) }) {
        case 3, 8: return .can
        case 5: return .xl
        default: return nil
        }
    }

    /// Parses cansend's frame syntax, as can-utils' `parse_canframe` reads it:
    /// `<id>#<data>` with a 3-digit (standard) or 8-digit (extended; error frame when 0x20000000 is set) id,
    /// `<id>#R[<dlc>]` for a remote request, `<id>##<flags><data>` for CAN FD (any flags nibble `0`–`F`), and
    /// since can-utils v2021.06 `_<raw dlc>` (`_9`…`_F`) after 8 data bytes or `R8` (len8_dlc); hex digits in either
    /// case and an optional `.` before each data byte.
    ///
    /// Stricter than can-utils where it would silently send something else: a 3-digit id above 0x7FF, data
    /// beyond 8 (64) bytes, an odd digit, a raw DLC outside 9…F or after fewer than 8 bytes, or anything after a
    /// remote request's DLC is an error here. CAN XL (a 5-digit priority/VCID field) is recognised and refused
    /// with its own message: ``parseAny(_:)`` reads it.
    /// - Throws: ``CANTextParseError`` with the column of the first bad character.
    public static func parse(_ text: some StringProtocol) throws(CANTextParseError) -> CANFrame {
        try parse(Array(text.utf8)[...])
    }

    /// Parses the compact syntax from bytes (a slice of a log line); columns count from the slice's start.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(CANTextParseError) -> CANFrame {
        let bytes = Array(bytes)
        if compactKind(bytes) == .xl {
            throw CANTextParseError("CAN XL frame (5-digit priority/VCID before '#') where a classic or FD frame is expected", column: 1)
        }
        func nibble(_ index: Int) -> UInt8? { index < bytes.count ? ByteText.hexValue(bytes[index]) : nil }
        let hash = UInt8(ascii: "#")
        guard bytes.count >= 4 else {
            throw CANTextParseError("too short for a CAN frame (expected <id>#<data>)", column: bytes.count + 1)
        }
        var rawID: UInt32 = 0
        var index: Int
        let digits: Int
        if bytes[3] == hash {
            digits = 3
        } else if bytes.count > 8 && bytes[8] == hash {
            digits = 8
        } else {
            let column = (bytes.firstIndex(of: hash) ?? bytes.count) + 1
            throw CANTextParseError("CAN id must be 3 (standard) or 8 (extended) hex digits followed by '#'", column: column)
        }
        for i in 0..<digits {
            guard let n = nibble(i) else { throw CANTextParseError("'\(Character(Unicode.Scalar(bytes[i])))' is not a hex digit in the CAN id", column: i + 1) }
            rawID = rawID << 4 | UInt32(n)
        }
        if digits == 3 {
            guard rawID <= CANID.standardMax else {
                throw CANTextParseError("standard CAN id \(String(rawID, radix: 16, uppercase: true)) exceeds 7FF (use 8 digits for an extended id)", column: 1)
            }
        } else if rawID & CANFrame.errorFlag == 0 {
            rawID |= CANFrame.extendedFlag
        }
        index = digits + 1

        if index < bytes.count && (bytes[index] == UInt8(ascii: "R") || bytes[index] == UInt8(ascii: "r")) {
            rawID |= CANFrame.remoteFlag
            index += 1
            var length = 0
            if index < bytes.count {
                guard let dlc = nibble(index), dlc <= 8 else {
                    throw CANTextParseError("remote request length must be one digit 0-8", column: index + 1)
                }
                length = Int(dlc)
                index += 1
            }
            let len8DLC = try rawDLC(bytes, at: &index, count: length)
            guard index == bytes.count else { throw CANTextParseError("unexpected text after remote request", column: index + 1) }
            return CANFrame(rawID: rawID, fd: false, flags: 0, data: EmptyCollection(), count: length, len8DLC: len8DLC)
        }

        var fd = false
        var flags: UInt8 = 0
        if index < bytes.count && bytes[index] == hash {
            fd = true
            guard let n = nibble(index + 1) else {
                throw CANTextParseError("CAN FD frame needs a flags digit after '##'", column: index + 2)
            }
            flags = n
            index += 2
        }
        let maximum = fd ? 64 : 8
        var data: [UInt8] = []
        data.reserveCapacity(maximum)
        while true {
            // One optional separator before each byte (and at the end), as parse_canframe allows.
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") { index += 1 }
            if index >= bytes.count { break }
            if !fd && bytes[index] == UInt8(ascii: "_") { break }
            guard data.count < maximum else {
                throw CANTextParseError("more than \(maximum) data bytes", column: index + 1)
            }
            guard let high = nibble(index) else {
                throw CANTextParseError("'\(Character(Unicode.Scalar(bytes[index])))' is not a hex digit", column: index + 1)
            }
            guard let low = nibble(index + 1) else {
                throw CANTextParseError(index + 1 < bytes.count ? "'\(Character(Unicode.Scalar(bytes[index + 1])))' is not a hex digit" : "odd number of hex digits", column: index + 2)
            }
            data.append(high << 4 | low)
            index += 2
        }
        let len8DLC = try rawDLC(bytes, at: &index, count: data.count)
        if index < bytes.count { throw CANTextParseError("unexpected text after the raw DLC", column: index + 1) }
        return CANFrame(rawID: rawID, fd: fd, flags: flags, data: data, len8DLC: len8DLC)
    }

    /// `_<raw dlc>` (9…F) after a classic frame of 8 bytes (`CC_DLC_DELIM`), if there.
    private static func rawDLC(_ bytes: [UInt8], at index: inout Int, count: Int) throws(CANTextParseError) -> UInt8 {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "_") else { return 0 }
        guard count == 8 else {
            throw CANTextParseError("a raw DLC ('_9' to '_F') may only follow 8 data bytes", column: index + 1)
        }
        guard index + 1 < bytes.count, let value = ByteText.hexValue(bytes[index + 1]), value > 8 else {
            throw CANTextParseError("raw DLC after '_' must be one hex digit 9 to F", column: index + 2)
        }
        index += 2
        return value
    }
}
