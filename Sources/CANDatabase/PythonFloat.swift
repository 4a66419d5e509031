/// Python's `repr(float)`: the shortest digits that read back as the same Double (as Swift's `description`),
/// laid out the way Python does: fixed notation when the decimal exponent is in -4 < e <= 16 ("2104.5",
/// "0.0001", "1e+16" beyond), ".0" after whole numbers, exponents with a sign and at least two digits ("1e-05").
/// `cantools decode` prints physical values this way.
public enum PythonFloat {
    /// Appends `repr(value)` to `buffer`, without allocating.
    public static func appendRepr(_ value: Double, to buffer: inout [UInt8]) {
        buffer.appendShort { writeRepr(value, to: &$0) }
    }

    /// Writes `repr(value)` (at most 24 bytes).
    static func writeRepr(_ value: Double, to buffer: inout ByteCursor) {
        if value.isNaN { buffer.put("nan"); return }
        if value.isInfinite { if value < 0 { buffer.put("-inf") } else { buffer.put("inf") }; return }
        if writeShortDecimal(value, to: &buffer) { return }
        writeGeneral(value, to: &buffer)
    }

    /// ``writeRepr(_:to:)`` of a finite value through the runtime's shortest digits.
    static func writeGeneral(_ value: Double, to buffer: inout ByteCursor) {
        // Swift's description has the shortest round-trip digits; only the layout differs from Python's.
        // 32 bytes, as the runtime wants them, filled with "0" first: it leaves some zero digits unwritten
        // (measured: "0.3" comes back as "?.3" in a buffer of other bytes; with "0"s it equalled `description`
        // on 2,000,000 random and scaled values).
        let zeros: UInt64 = 0x3030_3030_3030_3030
        var text: (UInt64, UInt64, UInt64, UInt64) = (zeros, zeros, zeros, zeros)
        withUnsafeMutableBytes(of: &text) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = Int(_swiftFloat64ToString(p, UInt(raw.count), value, false))
            let magnitude = abs(value)
            if magnitude >= 1e-4 && magnitude < 0x1p53 {
                // Here both print fixed notation with ".0" after whole numbers: the text is Python's already
                // (PythonFloatTests hold the two to each other on both sides of these bounds).
                buffer.put(UnsafeBufferPointer(start: p, count: n))
            } else {
                writeRepr(description: UnsafeBufferPointer(start: p, count: n), to: &buffer)
            }
        }
    }

    /// Powers of ten that are exact doubles.
    private static let powersOfTen: [Double] = (0...17).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    /// The fast path for values with few decimals (2104.5, 0.25, -12.0): the smallest d such that the
    /// d-decimal number nearest to `value` reads back as `value` is the shortest round-trip form, printed in
    /// Python's fixed notation. Only for 1e-4 <= |value| and |value| × 10^d < 2^50, where the product's rounding
    /// error (at most 1/16) cannot pick the wrong neighbour of a decimal that reads back (which lies within 1/8
    /// of an integer); false otherwise, for the general path.
    @inline(__always)
    static func writeShortDecimal(_ value: Double, to buffer: inout ByteCursor) -> Bool {
        let magnitude = abs(value)
        guard magnitude >= 1e-4, magnitude < 0x1p50 else { return false }
        return powersOfTen.withUnsafeBufferPointer { p in
            var d = 0
            while d < p.count {
                let scaled = magnitude * p[d]
                if scaled >= 0x1p50 { return false }
                let m = Double(UInt64(scaled + 0.5))  // .rounded() for 0 <= scaled < 2^50, without libm's round()
                if m / p[d] == magnitude {
                    if value < 0 { buffer.put(UInt8(ascii: "-")) }
                    writeFixed(UInt64(m), decimals: d, to: &buffer)
                    return true
                }
                d += 1
            }
            return false
        }
    }

    /// ``writeRepr(_:to:)`` with a guess at the decimals: a signal's physical values mostly end where its
    /// factor's and offset's decimals end (raw × 0.01 - 40: two). When the `decimals`-decimal number nearest
    /// to `value` reads back as `value`, that number without its trailing zeros is what the smallest-d search
    /// of ``writeShortDecimal(_:to:)`` finds (every shorter decimal that reads back is the same number with
    /// zeros appended, as |value| × 10^decimals < 2^50 keeps the rounding below 1/2), in one step instead of
    /// one per decimal; when it does not, no fewer decimals do either, and the general path has the digits.
    @inline(__always)
    static func writeRepr(_ value: Double, decimals: Int, to buffer: inout ByteCursor) {
        let magnitude = abs(value)
        guard decimals >= 0, magnitude >= 1e-4, magnitude < 0x1p50 else { writeRepr(value, to: &buffer); return }
        let scale = powersOfTen.withUnsafeBufferPointer { $0[decimals] }
        let scaled = magnitude * scale
        guard scaled < 0x1p50 else { writeRepr(value, to: &buffer); return }
        var m = UInt64(scaled + 0.5)
        guard Double(m) / scale == magnitude else { writeGeneral(value, to: &buffer); return }
        var d = decimals
        while d > 0 && m % 10 == 0 { m /= 10; d -= 1 }
        if value < 0 { buffer.put(UInt8(ascii: "-")) }
        writeFixed(m, decimals: d, to: &buffer)
    }

    /// `m` × 10^-decimals in fixed notation, ".0" after a whole number: 21045, 1 → "2104.5"; 5, 3 → "0.005".
    @inline(__always)
    static func writeFixed(_ m: UInt64, decimals: Int, to buffer: inout ByteCursor) {
        if decimals == 0 {
            DecodedSignals.writeDecimal(m, to: &buffer)
            buffer.put(".0")
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var n = 0
            var v = m
            while v > 0 { d[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10); v /= 10; n += 1 }
            // d holds the digits in reverse.
            if n <= decimals {
                buffer.put("0.")
                for _ in 0..<(decimals - n) { buffer.put(UInt8(ascii: "0")) }
                for k in stride(from: n - 1, through: 0, by: -1) { buffer.put(d[k]) }
            } else {
                for k in stride(from: n - 1, through: decimals, by: -1) { buffer.put(d[k]) }
                buffer.put(UInt8(ascii: "."))
                for k in stride(from: decimals - 1, through: 0, by: -1) { buffer.put(d[k]) }
            }
        }
    }

    /// Lays out Swift's `description` text of a finite value (shortest digits) as Python's repr.
    private static func writeRepr(description text: UnsafeBufferPointer<UInt8>, to buffer: inout ByteCursor) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 17 digits, as ASCII bytes
        var count = 0
        var decimalPoint = 0  // value = 0.d1d2d3… × 10^decimalPoint
        var negative = false
        var exponent = 0
        var seenPoint = false
        var leading = true
        var inExponent = false
        var exponentNegative = false
        withUnsafeMutableBytes(of: &digits) { out in
            do {
                for c in text {
                    if inExponent {
                        if c == UInt8(ascii: "-") { exponentNegative = true } else if c >= 0x30 && c <= 0x39 { exponent = exponent * 10 + Int(c - 0x30) }
                        continue
                    }
                    switch c {
                    case UInt8(ascii: "-"): negative = true
                    case UInt8(ascii: "."): seenPoint = true
                    case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        if leading && c == UInt8(ascii: "0") {
                            if seenPoint { decimalPoint -= 1 }
                        } else {
                            leading = false
                            if count < 24 { out[count] = c; count += 1 }
                            if !seenPoint { decimalPoint += 1 }
                        }
                    default: break
                    }
                }
            }
            while count > 0 && out[count - 1] == UInt8(ascii: "0") { count -= 1 }
        }
        if exponentNegative { exponent = -exponent }
        if negative { buffer.put(UInt8(ascii: "-")) }
        if count == 0 { buffer.put("0.0"); return }
        decimalPoint += exponent
        withUnsafeBytes(of: digits) { d in
            if decimalPoint > -4 && decimalPoint <= 16 {
                if decimalPoint <= 0 {
                    buffer.put("0.")
                    for _ in 0..<(-decimalPoint) { buffer.put(UInt8(ascii: "0")) }
                    for i in 0..<count { buffer.put(d[i]) }
                } else if decimalPoint >= count {
                    for i in 0..<count { buffer.put(d[i]) }
                    for _ in 0..<(decimalPoint - count) { buffer.put(UInt8(ascii: "0")) }
                    buffer.put(".0")
                } else {
                    for i in 0..<decimalPoint { buffer.put(d[i]) }
                    buffer.put(UInt8(ascii: "."))
                    for i in decimalPoint..<count { buffer.put(d[i]) }
                }
            } else {
                buffer.put(d[0])
                if count > 1 {
                    buffer.put(UInt8(ascii: "."))
                    for i in 1..<count { buffer.put(d[i]) }
                }
                let e = decimalPoint - 1
                buffer.put(UInt8(ascii: "e"))
                buffer.put(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let magnitude = abs(e)
                if magnitude < 10 { buffer.put(UInt8(ascii: "0")) }
                if magnitude >= 100 { buffer.put(UInt8(ascii: "0") + UInt8(magnitude / 100)) }
                if magnitude >= 10 { buffer.put(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10)) }
                buffer.put(UInt8(ascii: "0") + UInt8(magnitude % 10))
            }
        }
    }

    /// `repr(value)` as a string.
    public static func repr(_ value: Double) -> String {
        var buffer: [UInt8] = []
        appendRepr(value, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// The Swift runtime's `Double.description` digits (SwiftDtoa's shortest round-trip form), written into a
/// caller's buffer of at least 32 bytes: `description` itself would build a `String` per value.
/// - Returns: The number of bytes written.
@_silgen_name("swift_float64ToString")
func _swiftFloat64ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ bufferLength: UInt, _ value: Float64, _ debug: Bool) -> UInt64
