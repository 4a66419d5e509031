/// Reused storage for one decoded message: per signal (indexed like ``MessageDefinition/signals``) whether it
/// is present (the multiplexer selected it), its raw bits, its physical value and its value name.
///
/// Decode into one instance again and again: once its arrays have grown to the largest message's signal
/// count, decoding allocates nothing.
public struct DecodedSignals: Sendable {
    /// Whether signal i was decoded (false for signals the multiplexer did not select).
    public private(set) var isPresent: [Bool] = []
    /// The raw bits of signal i, right-aligned (not sign-extended).
    public private(set) var rawBits: [UInt64] = []
    /// The raw integer (sign-extended for signed signals; for floats, the value truncated).
    public private(set) var rawValues: [Int128] = []
    /// The physical value: raw × factor + offset, as a Double.
    public private(set) var values: [Double] = []
    /// The exact physical value of integer signals with whole-number scaling (see ``SignalDefinition/hasIntegerValues``).
    public private(set) var integerValues: [Int128] = []
    /// The index of the value name in the signal's choices, -1 for none.
    public private(set) var choiceIndices: [Int32] = []
    /// How many signals the last decoded message has.
    public private(set) var count = 0

    public init() {}

    /// Makes room for `n` signals and marks them all absent.
    @inline(__always)
    mutating func reset(count n: Int) {
        if isPresent.count < n {
            let grow = n - isPresent.count
            isPresent.append(contentsOf: repeatElement(false, count: grow))
            rawBits.append(contentsOf: repeatElement(0, count: grow))
            rawValues.append(contentsOf: repeatElement(0, count: grow))
            values.append(contentsOf: repeatElement(0, count: grow))
            integerValues.append(contentsOf: repeatElement(0, count: grow))
            choiceIndices.append(contentsOf: repeatElement(-1, count: grow))
        }
        count = n
        for i in 0..<n { isPresent[i] = false }
    }

    /// Pointers into the storage, for one frame's decoding: one uniqueness check per array and frame instead
    /// of one per signal and array.
    struct Storage {
        let isPresent: UnsafeMutablePointer<Bool>
        let rawBits: UnsafeMutablePointer<UInt64>
        let rawValues: UnsafeMutablePointer<Int128>
        let values: UnsafeMutablePointer<Double>
        let integerValues: UnsafeMutablePointer<Int128>
        let choiceIndices: UnsafeMutablePointer<Int32>

        @inline(__always)
        func set(_ i: Int, bits: UInt64, raw: Int128, value: Double, integer: Int128, choice: Int32) {
            isPresent[i] = true
            rawBits[i] = bits
            rawValues[i] = raw
            values[i] = value
            integerValues[i] = integer
            choiceIndices[i] = choice
        }
    }

    /// Makes room for `n` signals, all absent, and calls `body` with pointers to them.
    @inline(__always)
    mutating func withStorage(count n: Int, _ body: (Storage) -> Void) {
        reset(count: n)
        isPresent.withUnsafeMutableBufferPointer { present in
            rawBits.withUnsafeMutableBufferPointer { bits in
                rawValues.withUnsafeMutableBufferPointer { raws in
                    values.withUnsafeMutableBufferPointer { values in
                        integerValues.withUnsafeMutableBufferPointer { integers in
                            choiceIndices.withUnsafeMutableBufferPointer { choices in
                                body(Storage(isPresent: present.baseAddress!, rawBits: bits.baseAddress!,
                                             rawValues: raws.baseAddress!, values: values.baseAddress!,
                                             integerValues: integers.baseAddress!, choiceIndices: choices.baseAddress!))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The value name of signal i in `message`, if its raw value has one.
    public func choiceName(_ i: Int, in message: MessageDefinition) -> String? {
        choiceIndices[i] >= 0 ? message.signals[i].choiceNames[Int(choiceIndices[i])] : nil
    }

    /// The decoded signals as name → value: a value name where there is one, else the number.
    public func dictionary(_ message: MessageDefinition) -> [String: SignalValue] {
        var result: [String: SignalValue] = [:]
        for i in 0..<count where isPresent[i] {
            let s = message.signals[i]
            if let name = choiceName(i, in: message) { result[s.name] = .label(name) }
            else if s.hasIntegerValues { result[s.name] = .integer(integerValues[i]) }
            else { result[s.name] = .real(values[i]) }
        }
        return result
    }
}

/// A signal's value as an encoder takes it and a decoder gives it: a number, or a value name (`VAL_`).
public enum SignalValue: Hashable, Sendable, CustomStringConvertible {
    /// An exact integer (what cantools gives for integer signals with whole-number scaling).
    case integer(Int128)
    /// A real number.
    case real(Double)
    /// A value name.
    case label(String)

    /// The number, if it is one.
    public var number: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .real(let d): d
        case .label: nil
        }
    }

    public var description: String {
        switch self {
        case .integer(let i): String(i)
        case .real(let d): PythonFloat.repr(d)
        case .label(let s): s
        }
    }
}
