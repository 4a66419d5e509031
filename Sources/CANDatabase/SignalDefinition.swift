/// One signal of a message (a DBC `SG_` line): where its bits are, how raw becomes physical, its value names.
///
/// Bit numbering is the DBC one that Vector tools and cantools use: for Intel (`@1`, little endian) `startBit`
/// is the least significant bit, counted `byte * 8 + bit` with bit 0 the byte's LSB; for Motorola (`@0`, big
/// endian) `startBit` is the most significant bit in the same numbering, and the signal continues towards
/// less significant bits and then into the next byte ("sawtooth").
public struct SignalDefinition: Hashable, Sendable {
    /// The byte order (`@1` Intel / little endian, `@0` Motorola / big endian).
    public enum ByteOrder: Hashable, Sendable {
        case littleEndian
        case bigEndian
    }

    /// How the raw bits are read: an integer (`+` unsigned / `-` signed), or IEEE floats (`SIG_VALTYPE_ 1`/`2`).
    public enum ValueType: Hashable, Sendable {
        case integer
        case float32
        case float64
    }

    /// The signal's name.
    public var name: String
    /// The DBC start bit (see the type's notes).
    public var startBit: Int
    /// The length in bits, 1...64.
    public var length: Int
    public var byteOrder: ByteOrder
    /// Whether the integer is two's complement (`-`).
    public var isSigned: Bool
    public var valueType: ValueType
    /// physical = raw × factor + offset.
    public var factor: Double
    public var offset: Double
    /// Whether the factor and offset are whole numbers: then (for integer signals) the physical value is an
    /// integer too, as cantools keeps it.
    public var hasIntegerScaling: Bool
    /// `[min|max]`; nil when the file gives `[0|0]` (no range).
    public var minimum: Double?
    public var maximum: Double?
    /// The unit, "" for none.
    public var unit: String
    /// Receiving nodes (`Vector__XXX` left out).
    public var receivers: [String]
    /// `CM_ SG_` text.
    public var comment: String?
    /// Value names (`VAL_`), in file order.
    public var choices: [(value: Int128, name: String)] {
        get { zip(choiceValues, choiceNames).map { ($0, $1) } }
        set {
            choiceValues = newValue.map(\.value)
            choiceNames = newValue.map(\.name)
            choiceIndex = [:]
            for (i, v) in choiceValues.enumerated() { choiceIndex[v] = Int32(i) }
        }
    }
    /// Whether this signal selects others (`M` or `mNM`).
    public var isMultiplexer: Bool
    /// The multiplexer that selects this signal, nil when it is always present.
    public var multiplexerName: String?
    /// The multiplexer values that select this signal (`mN`, `SG_MUL_VAL_` ranges), sorted.
    public var multiplexerIDs: [Int128]

    private(set) var choiceValues: [Int128] = []
    private(set) var choiceNames: [String] = []
    private(set) var choiceIndex: [Int128: Int32] = [:]

    public init(name: String, startBit: Int, length: Int, byteOrder: ByteOrder, isSigned: Bool = false,
                valueType: ValueType = .integer, factor: Double = 1, offset: Double = 0,
                hasIntegerScaling: Bool? = nil, minimum: Double? = nil, maximum: Double? = nil, unit: String = "",
                receivers: [String] = [], isMultiplexer: Bool = false, multiplexerName: String? = nil,
                multiplexerIDs: [Int128] = []) {
        self.name = name
        self.startBit = startBit
        self.length = length
        self.byteOrder = byteOrder
        self.isSigned = isSigned
        self.valueType = valueType
        self.factor = factor
        self.offset = offset
        self.hasIntegerScaling = hasIntegerScaling ?? (factor == factor.rounded() && offset == offset.rounded())
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit
        self.receivers = receivers
        self.isMultiplexer = isMultiplexer
        self.multiplexerName = multiplexerName
        self.multiplexerIDs = multiplexerIDs
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.startBit == b.startBit && a.length == b.length && a.byteOrder == b.byteOrder
            && a.isSigned == b.isSigned && a.valueType == b.valueType && a.factor == b.factor && a.offset == b.offset
            && a.minimum == b.minimum && a.maximum == b.maximum && a.unit == b.unit && a.receivers == b.receivers
            && a.choiceValues == b.choiceValues && a.choiceNames == b.choiceNames && a.isMultiplexer == b.isMultiplexer
            && a.multiplexerName == b.multiplexerName && a.multiplexerIDs == b.multiplexerIDs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(startBit)
        hasher.combine(length)
    }

    /// Whether the physical value is an integer (cantools returns a Python `int`): integer raw values with
    /// whole-number factor and offset.
    public var hasIntegerValues: Bool { valueType == .integer && hasIntegerScaling }

    /// The value name for a raw value, if the file gives one.
    @inline(__always)
    public func choiceName(forRaw raw: Int128) -> String? {
        choiceIndex[raw].map { choiceNames[Int($0)] }
    }

    /// The raw value a value name stands for.
    public func rawValue(forChoice name: String) -> Int128? {
        choiceNames.firstIndex(of: name).map { choiceValues[$0] }
    }

    // MARK: Bit layout

    /// The position of the first bit in network order (bit 0 = MSB of byte 0), as cantools' `start_bit`:
    /// for Motorola, the MSB's; for Intel, the start bit itself (its sort key, not a network position).
    public var sortKey: Int {
        byteOrder == .bigEndian ? 8 * (startBit / 8) + (7 - startBit % 8) : startBit
    }

    /// The bytes the signal touches, the lowest and highest index.
    var byteRange: ClosedRange<Int> {
        switch byteOrder {
        case .littleEndian:
            return (startBit / 8)...((startBit + length - 1) / 8)
        case .bigEndian:
            let msb = sortKey
            return (msb / 8)...((msb + length - 1) / 8)
        }
    }

    /// Reads the raw bits (right-aligned, not sign-extended) from `data`, which holds at least
    /// `byteRange.upperBound + 1` bytes.
    @inline(__always)
    func extractBits(_ data: UnsafeRawBufferPointer) -> UInt64 {
        let range = byteRange
        let mask: UInt64 = length == 64 ? .max : (1 << UInt64(length)) - 1
        let count = range.count
        switch byteOrder {
        case .littleEndian:
            let shift = startBit % 8
            if count <= 8 {
                var acc: UInt64 = 0
                for i in stride(from: range.upperBound, through: range.lowerBound, by: -1) { acc = acc << 8 | UInt64(data[i]) }
                return (acc >> UInt64(shift)) & mask
            }
            var acc: UInt128 = 0
            for i in stride(from: range.upperBound, through: range.lowerBound, by: -1) { acc = acc << 8 | UInt128(data[i]) }
            return UInt64(truncatingIfNeeded: acc >> UInt128(shift)) & mask
        case .bigEndian:
            let end = sortKey + length
            let shift = (range.upperBound + 1) * 8 - end
            if count <= 8 {
                var acc: UInt64 = 0
                for i in range { acc = acc << 8 | UInt64(data[i]) }
                return (acc >> UInt64(shift)) & mask
            }
            var acc: UInt128 = 0
            for i in range { acc = acc << 8 | UInt128(data[i]) }
            return UInt64(truncatingIfNeeded: acc >> UInt128(shift)) & mask
        }
    }

    /// Writes the raw bits (the low `length` bits of `bits`) into `data`, leaving the other bits alone.
    func insertBits(_ bits: UInt64, into data: UnsafeMutableRawBufferPointer) {
        let range = byteRange
        let mask: UInt128 = (1 << UInt128(length)) - 1
        let value = UInt128(bits) & mask
        let shift: Int
        switch byteOrder {
        case .littleEndian: shift = startBit % 8
        case .bigEndian: shift = (range.upperBound + 1) * 8 - (sortKey + length)
        }
        let fieldMask = mask << UInt128(shift)
        let field = value << UInt128(shift)
        for (k, i) in range.enumerated() {
            // Little endian: byte range.lowerBound holds the lowest 8 bits; big endian: the highest.
            let byteShift = byteOrder == .littleEndian ? UInt128(k * 8) : UInt128((range.count - 1 - k) * 8)
            let m = UInt8(truncatingIfNeeded: fieldMask >> byteShift)
            let v = UInt8(truncatingIfNeeded: field >> byteShift)
            data[i] = (data[i] & ~m) | (v & m)
        }
    }

    /// The raw integer a bit pattern stands for (sign-extended when signed).
    @inline(__always)
    func rawInteger(_ bits: UInt64) -> Int128 {
        if isSigned && length < 64 && bits & (1 << UInt64(length - 1)) != 0 {
            return Int128(Int64(bitPattern: bits | ~((1 << UInt64(length)) - 1)))
        }
        if isSigned && length == 64 { return Int128(Int64(bitPattern: bits)) }
        return Int128(bits)
    }
}
