/// A message's signals compiled for the hot path: where each one's bits are and how they scale, as plain
/// values (no reference counting per signal), and the message's text (names, units, value names) as bytes in
/// one pool, so decoding and printing a frame copy bytes instead of touching `String`s.
///
/// Built once per message by ``MessageDefinition``; ``MessageDefinition/decode(data:into:)`` and
/// ``DecodedSignals/appendText(_:singleLine:to:)`` read it.
final class MessageLayout: @unchecked Sendable {  // immutable after init; the pointers are its own copies
    /// How a signal's raw bits become its physical value.
    enum Kind: UInt8 {
        /// An integer, factor 1 and offset 0: physical = raw, exactly.
        case integerIdentity
        /// An integer with whole-number factor and offset: physical = raw × factor + offset, exactly.
        case integerScaled
        /// An integer with a fractional factor or offset: physical = Double(raw) × factor + offset.
        case integerReal
        /// IEEE 754 single precision (`SIG_VALTYPE_ 1`).
        case float32
        /// IEEE 754 double precision (`SIG_VALTYPE_ 2`).
        case float64
    }

    /// One signal, as plain values.
    struct Signal {
        /// The lowest byte the signal touches.
        var firstByte: Int
        /// How many bytes it touches (1...9).
        var byteCount: Int
        /// Right shift after loading the bytes: for Intel, the start bit within its byte; for Motorola, the
        /// unused low bits of the last byte plus the 8-byte load's surplus bytes (when `byteCount <= 8`).
        var shift: UInt64
        var mask: UInt64
        var length: Int
        var isSigned: Bool
        var isBigEndian: Bool
        var kind: Kind
        var factor: Double
        var offset: Double
        var integerFactor: Int128
        var integerOffset: Int128
        /// The signal's value names in ``MessageLayout/choices``: `choiceStart ..< choiceStart + choiceCount`.
        var choiceStart: Int
        var choiceCount: Int
        /// Whether the physical value is an exact integer (``SignalDefinition/hasIntegerValues``).
        var hasIntegerValues: Bool { kind == .integerIdentity || kind == .integerScaled }
        /// Where the texts of the signal's ``SignalDefinition/choiceNames`` start in ``MessageLayout/choiceTexts``.
        var choiceNamesStart: Int
        /// In ``MessageLayout/text``: the name; ",\n    Name: " (multi-line; the first signal's without its
        /// first two bytes); ", Name: " (single line, likewise); " unit" (empty without a unit).
        var name: Range<Int>
        var linePrefix: Range<Int>
        var inlinePrefix: Range<Int>
        var unit: Range<Int>
        /// For ``Kind/integerReal``: the decimals of the factor's and offset's shortest forms (0.01 and -40: 2),
        /// where most physical values' shortest forms end (see ``PythonFloat``); -1 when either needs an exponent.
        var decimals: Int
    }

    /// A value name: its raw value and its index in the signal's ``SignalDefinition/choiceNames``.
    /// Each signal's entries are sorted by value, one per value (the last name a file gives a value wins).
    struct Choice {
        var value: Int128
        var index: Int32
    }

    let signals: [Signal]
    let choices: [Choice]
    /// Every signal's ``SignalDefinition/choiceNames`` in ``text``, in order, signal after signal.
    let choiceTexts: [Range<Int>]
    /// Every name, unit and value name of the message, as UTF-8.
    let text: [UInt8]
    /// The message's name in ``text``.
    let name: Range<Int>
    /// Whether some signal is a multiplexer or multiplexed (decoding then walks the message's tree).
    let isMultiplexed: Bool
    /// The most bytes the decoded text can take (every signal present, its longest value or value name).
    let textBound: Int
    /// Copies of ``signals``, ``choices``, ``choiceTexts`` and ``text`` (the text with 16 bytes of zeros after
    /// it, for word-wise copies) that ``TextPlan`` reads without touching the arrays.
    let signalTable: UnsafeMutablePointer<Signal>
    let choiceTable: UnsafeMutablePointer<Choice>
    let choiceTextTable: UnsafeMutablePointer<Range<Int>>
    let textTable: UnsafeMutablePointer<UInt8>
    /// The message compiled for decoding and printing in one pass; nil when it needs the general path.
    private(set) var textPlan: TextPlan?

    init(name messageName: String, signals definitions: [SignalDefinition]) {
        var text: [UInt8] = []
        func add(_ s: String) -> Range<Int> {
            let start = text.count
            text.append(contentsOf: s.utf8)
            return start..<text.count
        }
        name = add(messageName)
        var choices: [Choice] = []
        var choiceTexts: [Range<Int>] = []
        var signals: [Signal] = []
        for s in definitions {
            let range = s.byteRange
            let count = range.count
            let shift: UInt64
            switch s.byteOrder {
            case .littleEndian: shift = UInt64(s.startBit % 8)
            case .bigEndian:
                let unused = UInt64((range.upperBound + 1) * 8 - (s.sortKey + s.length))
                shift = count <= 8 ? unused + UInt64(8 * (8 - count)) : unused
            }
            let kind: Kind
            switch s.valueType {
            case .integer:
                // The file's text decides (cantools: an int factor and offset give int values; `1.0` does not).
                if !s.hasIntegerScaling { kind = .integerReal }
                else if s.factor == 1 && s.offset == 0 { kind = .integerIdentity }
                else { kind = .integerScaled }
            case .float32: kind = .float32
            case .float64: kind = .float64
            }
            // Last name wins per value, as SignalDefinition's index keeps it.
            var byValue: [Int128: Int32] = [:]
            for (i, v) in s.choiceValues.enumerated() { byValue[v] = Int32(i) }
            let choiceStart = choices.count
            for (value, index) in byValue.sorted(by: { $0.key < $1.key }) { choices.append(Choice(value: value, index: index)) }
            let choiceNamesStart = choiceTexts.count
            for name in s.choiceNames { choiceTexts.append(add(name)) }
            signals.append(Signal(
                firstByte: range.lowerBound, byteCount: count, shift: shift,
                mask: s.length == 64 ? .max : (1 << UInt64(s.length)) - 1, length: s.length, isSigned: s.isSigned,
                isBigEndian: s.byteOrder == .bigEndian, kind: kind, factor: s.factor, offset: s.offset,
                integerFactor: Int128(exactly: s.factor) ?? 0, integerOffset: Int128(exactly: s.offset) ?? 0,
                choiceStart: choiceStart, choiceCount: choices.count - choiceStart, choiceNamesStart: choiceNamesStart,
                name: add(s.name), linePrefix: add(",\n    " + s.name + ": "), inlinePrefix: add(", " + s.name + ": "),
                unit: add(s.unit.isEmpty ? "" : " " + s.unit),
                decimals: kind == .integerReal ? Self.decimals(s.factor, s.offset) : -1))
        }
        // "\nName(\n" … "\n)"; per signal ",\n    Name: ", then a number (at most 40 bytes) and " unit", or a
        // value name.
        var bound = 4 + name.count
        for s in definitions {
            bound += 8 + s.name.utf8.count + max(48 + s.unit.utf8.count, s.choiceNames.reduce(0) { max($0, $1.utf8.count) })
        }
        textBound = bound
        isMultiplexed = definitions.contains { $0.isMultiplexer || $0.multiplexerName != nil }
        self.signals = signals
        self.choices = choices
        self.choiceTexts = choiceTexts
        self.text = text
        signalTable = .allocate(capacity: max(signals.count, 1))
        signalTable.initialize(from: signals, count: signals.count)
        choiceTable = .allocate(capacity: max(choices.count, 1))
        choiceTable.initialize(from: choices, count: choices.count)
        choiceTextTable = .allocate(capacity: max(choiceTexts.count, 1))
        choiceTextTable.initialize(from: choiceTexts, count: choiceTexts.count)
        textTable = .allocate(capacity: text.count + 16)
        textTable.initialize(from: text, count: text.count)
        (textTable + text.count).initialize(repeating: 0, count: 16)
        textPlan = TextPlan(self)
    }

    deinit {
        signalTable.deallocate()
        choiceTable.deallocate()
        choiceTextTable.deallocate()
        textTable.deallocate()
    }

    /// The most decimals of the shortest forms of `factor` and `offset` ("0.05" has 2, "-40.0" none), or -1
    /// when one prints with an exponent (1e-05) or needs more than 17.
    static func decimals(_ factor: Double, _ offset: Double) -> Int {
        var most = 0
        for v in [factor, offset] {
            let text = PythonFloat.repr(v)
            guard !text.contains("e"), !text.contains("n"), let point = text.firstIndex(of: ".") else { return -1 }
            let fraction = text[text.index(after: point)...]
            let n = fraction == "0" ? 0 : fraction.count
            most = max(most, n)
        }
        return most <= 17 ? most : -1
    }

    /// The raw bits of a signal (right-aligned, not sign-extended) from `data`: at least 72 bytes, the payload
    /// zero-padded (so an 8-byte load at any payload byte stays inside).
    @inline(__always)
    static func extractBits(_ signal: UnsafePointer<Signal>, _ data: UnsafeRawPointer) -> UInt64 {
        let s = signal.pointee
        if s.byteCount <= 8 {
            let word = data.loadUnaligned(fromByteOffset: s.firstByte, as: UInt64.self)
            return (s.isBigEndian ? UInt64(bigEndian: word) : UInt64(littleEndian: word)) >> s.shift & s.mask
        }
        // Nine bytes: a 64-bit signal that does not start on a byte boundary.
        var acc: UInt128 = 0
        if s.isBigEndian {
            for i in s.firstByte..<(s.firstByte + 9) { acc = acc << 8 | UInt128(data.load(fromByteOffset: i, as: UInt8.self)) }
        } else {
            for i in stride(from: s.firstByte + 8, through: s.firstByte, by: -1) {
                acc = acc << 8 | UInt128(data.load(fromByteOffset: i, as: UInt8.self))
            }
        }
        return UInt64(truncatingIfNeeded: acc >> UInt128(s.shift)) & s.mask
    }

    /// ``choice(_:_:)`` on the table copy.
    @inline(__always)
    func choiceIndex(_ signal: UnsafePointer<Signal>, _ raw: Int128) -> Int32 {
        var low = signal.pointee.choiceStart, high = low + signal.pointee.choiceCount
        while low < high {
            let mid = (low &+ high) >> 1
            let v = choiceTable[mid].value
            if v == raw { return choiceTable[mid].index }
            if v < raw { low = mid + 1 } else { high = mid }
        }
        return -1
    }

    /// The index in the signal's ``SignalDefinition/choiceNames`` of its name for `raw`, or -1.
    @inline(__always)
    func choice(_ s: Signal, _ raw: Int128) -> Int32 {
        var low = s.choiceStart, high = s.choiceStart + s.choiceCount
        while low < high {
            let mid = (low &+ high) >> 1
            let v = choices[mid].value
            if v == raw { return choices[mid].index }
            if v < raw { low = mid + 1 } else { high = mid }
        }
        return -1
    }
}
