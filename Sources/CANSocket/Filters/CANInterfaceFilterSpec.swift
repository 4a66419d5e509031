/// An interface with its filters, as candump takes them on the command line:
/// `<ifname>[,<id>:<mask>|,<id>~<mask>|,#<errmask>|,j|,J]*`, parsed the way candump.c does.
public struct CANInterfaceFilterSpec: Hashable, Sendable {
    /// The interface name, or `any`.
    public var interface: String
    /// The id/mask filters (empty: the kernel's default, every data frame).
    public var filters: [CANFilter]
    /// The error classes to receive (`#<errmask>`; `CAN_RAW_ERR_FILTER`).
    public var errorMask: UInt32
    /// Whether the filters are joined (`j`; `CAN_RAW_JOIN_FILTERS`).
    public var joinFilters: Bool

    public init(interface: String, filters: [CANFilter] = [], errorMask: UInt32 = 0, joinFilters: Bool = false) {
        self.interface = interface
        self.filters = filters
        self.errorMask = errorMask
        self.joinFilters = joinFilters
    }

    /// Parses one command-line argument.
    ///
    /// As in candump: `%x:%x` / `%x~%x` read hex (an optional `0x`), an id of exactly 8 characters before the
    /// `:` or `~` sets `CAN_EFF_FLAG`, `CAN_ERR_FLAG` is cleared from masks, `~` sets `CAN_INV_FILTER`.
    /// - Throws: ``CANFilterSpecError`` with candump's messages.
    public init(parsing argument: String) throws(CANFilterSpecError) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard name.utf8.count < 16 else { throw .nameTooLong(argument) }
        self.init(interface: name)
        var rest = argument.utf8.dropFirst(name.utf8.count)
        for part in parts.dropFirst() {
            rest = rest.dropFirst() // the ','
            let remainder = String(decoding: rest, as: UTF8.self)
            rest = rest.dropFirst(part.utf8.count)
            if let filter = Self.parseFilter(part) {
                filters.append(filter)
            } else if part.first == "j" || part.first == "J" {
                joinFilters = true
            } else if part.first == "#", let mask = Self.scanHex(part.dropFirst()).value {
                errorMask = mask
            } else {
                throw .badFilter(remainder)
            }
        }
    }

    /// `%x:%x` or `%x~%x` at the start of `text`.
    static func parseFilter(_ text: Substring) -> CANFilter? {
        let (idValue, afterID) = scanHex(text)
        guard let id = idValue, let separator = afterID.first, separator == ":" || separator == "~" else { return nil }
        guard let mask = scanHex(afterID.dropFirst()).value else { return nil }
        let idLength = text.utf8.count - afterID.utf8.count
        var filter = CANFilter(id: id, mask: mask & ~CANFrame.errorFlag, inverted: separator == "~")
        if idLength == 8 { filter.id |= CANFrame.extendedFlag }
        return filter
    }

    /// sscanf's `%x`: optional leading spaces, optional `0x`, then hex digits (at least one).
    static func scanHex(_ text: Substring) -> (value: UInt32?, rest: Substring) {
        var rest = text.drop { $0 == " " }
        if rest.hasPrefix("0x") || rest.hasPrefix("0X"), rest.dropFirst(2).first?.isHexDigit == true {
            rest = rest.dropFirst(2)
        }
        let digits = rest.prefix { $0.isHexDigit }
        guard !digits.isEmpty else { return (nil, text) }
        // %x stores the low 32 bits of a longer number.
        let value = digits.suffix(8).reduce(UInt32(0)) { $0 << 4 | UInt32($1.hexDigitValue!) }
        return (value, rest.dropFirst(digits.count))
    }
}

/// A candump command-line interface/filter argument that could not be used (candump's own messages).
public enum CANFilterSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The interface name has 16 or more characters.
    case nameTooLong(String)
    /// A filter did not parse; holds the argument from that filter on.
    case badFilter(String)

    public var description: String {
        switch self {
        case .nameTooLong(let argument): "name of CAN device '\(argument)' is too long!"
        case .badFilter(let rest): "Error in filter option parsing: '\(rest)'"
        }
    }
}
