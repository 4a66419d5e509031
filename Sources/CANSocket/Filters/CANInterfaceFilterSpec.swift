import SocketBase

/// An interface with its filters, as candump takes them on the command line:
/// `<ifname>[,<id>:<mask>|,<id>~<mask>|,#<errmask>|,j|,J]*`, parsed the way can-utils 2020.11.0's candump.c does.
public struct CANInterfaceFilterSpec: Hashable, Sendable {
    /// The interface name; `any` (``anyInterface``) for every CAN interface.
    public var interface: String
    /// The id/mask filters (`CAN_RAW_FILTER`); empty keeps the kernel's default, every data frame (`0:0`).
    public var filters: [CANFilter]
    /// The error classes to receive (`#<errmask>`; `CAN_RAW_ERR_FILTER`); 0 receives no error frames.
    public var errorMask: UInt32
    /// Whether a frame must match every filter rather than any (`j`; `CAN_RAW_JOIN_FILTERS`).
    public var joinFilters: Bool

    /// candump's name for "all CAN interfaces" (binds to interface index 0).
    public static let anyInterface = "any"
    /// `IFNAMSIZ`: interface names are shorter than this.
    public static let interfaceNameSize = 16

    public init(interface: String, filters: [CANFilter] = [], errorMask: UInt32 = 0, joinFilters: Bool = false) {
        self.interface = interface
        self.filters = filters
        self.errorMask = errorMask
        self.joinFilters = joinFilters
    }

    /// Whether this stands for every CAN interface (`any`).
    public var isAnyInterface: Bool { interface == Self.anyInterface }

    /// Parses one command-line argument exactly as candump.c does.
    ///
    /// Each comma-separated part after the name is tried, in candump's order, as `sscanf("%x:%x")`, then
    /// `sscanf("%x~%x")`, then `j`/`J` (anything starting with it), then `sscanf("#%x")`. `%x` takes optional
    /// spaces, a sign and `0x`, and keeps the low 32 bits. An id filter whose separator is the 9th character
    /// (an id of 8 characters) gets `CAN_EFF_FLAG`; masks lose `CAN_ERR_FLAG`; `~` sets `CAN_INV_FILTER`.
    /// Like `sscanf`, each attempt reads the rest of the argument, past later commas if it must.
    /// - Throws: ``CANFilterSpecError`` with candump's message and the 1-based column of the bad part.
    public init(parsing argument: String) throws(CANFilterSpecError) {
        let bytes = Array(argument.utf8)
        let comma = bytes.firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
        guard comma < Self.interfaceNameSize else { throw .nameTooLong(argument) }
        self.init(interface: String(decoding: bytes[..<comma], as: UTF8.self))
        var next: Int? = comma < bytes.count ? comma : nil
        while let separator = next {
            let start = separator + 1
            next = bytes[start...].firstIndex(of: UInt8(ascii: ","))
            let rest = bytes[start...]
            if let (id, mask) = Self.scanPair(rest, separator: UInt8(ascii: ":")) {
                var filter = CANFilter(id: id, mask: mask & ~CANFrame.errorFlag)
                if Self.byte(rest, at: 8) == UInt8(ascii: ":") { filter.id |= CANFrame.extendedFlag }
                filters.append(filter)
            } else if let (id, mask) = Self.scanPair(rest, separator: UInt8(ascii: "~")) {
                // candump ORs CAN_INV_FILTER into can_id; CANFilter keeps it as `inverted`.
                var filter = CANFilter(id: id & ~CANFilter.invertFlag, mask: mask & ~CANFrame.errorFlag, inverted: true)
                if Self.byte(rest, at: 8) == UInt8(ascii: "~") { filter.id |= CANFrame.extendedFlag }
                filters.append(filter)
            } else if rest.first == UInt8(ascii: "j") || rest.first == UInt8(ascii: "J") {
                joinFilters = true
            } else if rest.first == UInt8(ascii: "#"), let (mask, _) = Self.scanHex(rest.dropFirst()) {
                errorMask = mask
            } else {
                throw .badFilter(String(decoding: rest, as: UTF8.self), column: start + 1)
            }
        }
    }

    // MARK: What the kernel delivers

    /// Whether a CAN_RAW socket set up like this passes a frame with this `can_id` word, as Linux 6.1 decides
    /// (net/can/af_can.c `can_rcv_filter`, net/can/raw.c `raw_rcv`): with no filters the default `0:0` passes
    /// every data frame; otherwise a data frame must match one filter, or all of them with ``joinFilters`` (and
    /// more than one filter); an error frame passes when its class bits meet ``errorMask``, never when more
    /// than one filter is joined. (The interface is not considered.)
    public func accepts(_ rawID: UInt32) -> Bool {
        if filters.isEmpty { return rawID & CANFrame.errorFlag == 0 ? true : acceptsError(rawID) }
        if joinFilters && filters.count > 1 {
            return filters.allSatisfy { $0.matches(rawID) }
        }
        return filters.contains { $0.matches(rawID) } || acceptsError(rawID)
    }

    /// Whether a CAN_RAW socket set up like this passes `frame` (see ``accepts(_:)``).
    public func accepts(_ frame: CANFrame) -> Bool { accepts(frame.rawID) }

    private func acceptsError(_ rawID: UInt32) -> Bool {
        rawID & CANFrame.errorFlag != 0 && rawID & errorMask & CANFrame.errorMask != 0
    }

    // MARK: sscanf

    @inline(__always)
    static func byte(_ bytes: ArraySlice<UInt8>, at offset: Int) -> UInt8? {
        bytes.startIndex + offset < bytes.endIndex ? bytes[bytes.startIndex + offset] : nil
    }

    /// `sscanf(text, "%x<separator>%x") == 2`.
    static func scanPair(_ text: ArraySlice<UInt8>, separator: UInt8) -> (UInt32, UInt32)? {
        guard let (id, afterID) = scanHex(text), afterID.first == separator,
              let (mask, _) = scanHex(afterID.dropFirst()) else { return nil }
        return (id, mask)
    }

    /// One `%x` conversion (glibc): leading white space, an optional sign, an optional `0x`/`0X` prefix, hex
    /// digits (`0x` alone reads as 0); the value is converted as `strtoul` does (saturating beyond 64 bits, negated for `-`) and its
    /// low 32 bits are stored.
    /// - Returns: The value and the text after it, or nil when no digit was found.
    static func scanHex(_ text: ArraySlice<UInt8>) -> (UInt32, ArraySlice<UInt8>)? {
        var rest = text.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.first == UInt8(ascii: "0"), let x = byte(rest, at: 1), x | 0x20 == UInt8(ascii: "x") {
            // glibc consumes the prefix; with no digit after it, the "0" alone is the number.
            rest = rest.dropFirst(2)
            if rest.first.flatMap(ByteText.hexValue) == nil { return (0, rest) }
        }
        var value: UInt64 = 0
        var overflow = false
        var count = 0
        while let digit = rest.first, let nibble = ByteText.hexValue(digit) {
            if value >> 60 != 0 { overflow = true }
            value = value << 4 | UInt64(nibble)
            rest = rest.dropFirst()
            count += 1
        }
        guard count > 0 else { return nil }
        if overflow { value = .max }
        if negative && !overflow { value = 0 &- value }
        return (UInt32(truncatingIfNeeded: value), rest)
    }
}

/// A candump command-line interface/filter argument that could not be used (candump's own messages).
public enum CANFilterSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The interface name has 16 (`IFNAMSIZ`) or more characters; holds the whole argument.
    case nameTooLong(String)
    /// A filter did not parse; holds the argument from that filter on and the filter's 1-based column.
    case badFilter(String, column: Int)

    /// The message, with the column of a bad filter.
    public var description: String {
        switch self {
        case .nameTooLong: candumpMessage
        case .badFilter(_, let column): "\(candumpMessage) (column \(column))"
        }
    }

    /// Exactly what candump 2020.11 prints to stderr (without the newline).
    public var candumpMessage: String {
        switch self {
        case .nameTooLong(let argument): "name of CAN device '\(argument)' is too long!"
        case .badFilter(let rest, _): "Error in filter option parsing: '\(rest)'"
        }
    }
}
