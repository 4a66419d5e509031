/// Python's `repr(float)`: the shortest digits that read back as the same Double (as Swift's `description`),
/// laid out the way Python does: fixed notation when the decimal exponent is in -4 < e <= 16 ("2104.5",
/// "0.0001", "1e+16" beyond), ".0" after whole numbers, exponents with a sign and at least two digits ("1e-05").
/// `cantools decode` prints physical values this way.
public enum PythonFloat {
    /// Appends `repr(value)` to `buffer`.
    public static func appendRepr(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN { buffer.append(contentsOf: "nan".utf8); return }
        if value.isInfinite { buffer.append(contentsOf: (value < 0 ? "-inf" : "inf").utf8); return }
        // Swift's description has the shortest round-trip digits; only the layout differs from Python's.
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
            var text = value.description
            text.withUTF8 { utf8 in
                for c in utf8 {
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
        if negative { buffer.append(UInt8(ascii: "-")) }
        if count == 0 { buffer.append(contentsOf: "0.0".utf8); return }
        decimalPoint += exponent
        withUnsafeBytes(of: digits) { d in
            if decimalPoint > -4 && decimalPoint <= 16 {
                if decimalPoint <= 0 {
                    buffer.append(contentsOf: "0.".utf8)
                    for _ in 0..<(-decimalPoint) { buffer.append(UInt8(ascii: "0")) }
                    for i in 0..<count { buffer.append(d[i]) }
                } else if decimalPoint >= count {
                    for i in 0..<count { buffer.append(d[i]) }
                    for _ in 0..<(decimalPoint - count) { buffer.append(UInt8(ascii: "0")) }
                    buffer.append(contentsOf: ".0".utf8)
                } else {
                    for i in 0..<decimalPoint { buffer.append(d[i]) }
                    buffer.append(UInt8(ascii: "."))
                    for i in decimalPoint..<count { buffer.append(d[i]) }
                }
            } else {
                buffer.append(d[0])
                if count > 1 {
                    buffer.append(UInt8(ascii: "."))
                    for i in 1..<count { buffer.append(d[i]) }
                }
                let e = decimalPoint - 1
                buffer.append(UInt8(ascii: "e"))
                buffer.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let magnitude = abs(e)
                if magnitude < 10 { buffer.append(UInt8(ascii: "0")) }
                if magnitude >= 100 { buffer.append(UInt8(ascii: "0") + UInt8(magnitude / 100)) }
                if magnitude >= 10 { buffer.append(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10)) }
                buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
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
