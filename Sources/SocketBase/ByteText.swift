/// Appends text to a reused byte buffer without allocating (once the buffer has capacity): static strings,
/// decimals (optionally zero-padded, printf's `%0*lu`) and hex with one lookup table (upper case as can-utils
/// prints, lower case as tcpdump prints).
///
/// The one text appender of the package: CAN's candump and cansend forms, the CLIs' outputs and the packet
/// summaries all write through it. Nothing here touches the kernel; it lives in SocketBase because every
/// module depends on SocketBase.
package enum ByteText {
    /// Letter case of hex digits.
    package enum Case: Sendable {
        /// `0123456789ABCDEF` (can-utils, `%02X`).
        case upper
        /// `0123456789abcdef` (tcpdump, `%x`).
        case lower
    }

    /// Upper-case digits at 0..<16, lower-case at 16..<32; a static string, so reading it never allocates
    /// nor runs a lazy initializer.
    @usableFromInline
    static let digits: StaticString = "0123456789ABCDEF0123456789abcdef"

    /// The hex digit of the low four bits of `nibble`.
    @inlinable @inline(__always)
    package static func hexDigit<T: BinaryInteger>(_ nibble: T, _ letterCase: Case = .upper) -> UInt8 {
        digits.utf8Start[Int(truncatingIfNeeded: nibble) & 0xF | (letterCase == .lower ? 16 : 0)]
    }

    /// The value of a hex digit (`0`-`9`, `A`-`F`, `a`-`f`), nil for any other byte: the reading side of
    /// ``hexDigit(_:_:)``.
    @inlinable @inline(__always)
    package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Appends `text`'s UTF-8 bytes.
    @inlinable @inline(__always)
    package static func append(_ text: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a byte as two hex digits (`%02X` / `%02x`).
    @inlinable @inline(__always)
    package static func appendHexByte(_ byte: UInt8, _ letterCase: Case = .upper, to buffer: inout [UInt8]) {
        buffer.append(hexDigit(byte >> 4, letterCase))
        buffer.append(hexDigit(byte, letterCase))
    }

    /// Appends the low `digits` hex digits of `value`, zero-padded (`%0<digits>X`; bits above are dropped).
    @inlinable
    package static func appendHex<T: BinaryInteger>(_ value: T, digits: Int, _ letterCase: Case = .upper,
                                                    to buffer: inout [UInt8]) {
        let number = UInt64(truncatingIfNeeded: value)
        var index = digits - 1
        while index >= 0 {
            buffer.append(hexDigit(number >> UInt64(index * 4), letterCase))
            index -= 1
        }
    }

    /// Appends `value` in hex without leading zeros, at least one digit (printf's `%x` / `%X`).
    @inlinable
    package static func appendHex<T: BinaryInteger>(_ value: T, _ letterCase: Case = .upper, to buffer: inout [UInt8]) {
        let number = UInt64(truncatingIfNeeded: value)
        var digits = 1
        while digits < 16 && number >> UInt64(4 * digits) != 0 { digits += 1 }
        appendHex(number, digits: digits, letterCase, to: &buffer)
    }

    /// Appends `value` in decimal, zero-padded to at least `minimumDigits` (`%0*lu`; `%d` for negatives, the
    /// sign before the digits).
    @inlinable
    package static func appendDecimal<T: BinaryInteger>(_ value: T, minimumDigits: Int = 1, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        appendDecimal(UInt64(truncatingIfNeeded: value.magnitude), minimumDigits: minimumDigits, to: &buffer)
    }

    /// Appends `value` in decimal, zero-padded to at least `minimumDigits`. The digits are written backwards into
    /// a stack buffer, two at a time from a table (division by the constant 100 is a multiplication), and
    /// appended at once: the loop of divisions by a running power of ten it replaces was a seventh of
    /// candump-swift's instructions per `-L` line (callgrind).
    @inlinable
    package static func appendDecimal(_ value: UInt64, minimumDigits: Int = 1, to buffer: inout [UInt8]) {
        if minimumDigits > 20 { appendZeros(minimumDigits - 20, to: &buffer) }
        var room: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &room) { raw in
            let pairs = decimalPairs.utf8Start
            var start = raw.count
            var rest = value
            while rest >= 100 {
                let pair = Int(truncatingIfNeeded: rest % 100) &* 2
                rest /= 100
                start -= 2
                raw[start] = pairs[pair]
                raw[start + 1] = pairs[pair + 1]
            }
            if rest >= 10 {
                let pair = Int(truncatingIfNeeded: rest) &* 2
                start -= 2
                raw[start] = pairs[pair]
                raw[start + 1] = pairs[pair + 1]
            } else {
                start -= 1
                raw[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
            }
            let padded = raw.count - min(minimumDigits, 20)
            while start > padded { start -= 1; raw[start] = UInt8(ascii: "0") }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start...]))
        }
    }

    /// `00` to `99`, two digits a lookup.
    @usableFromInline
    static let decimalPairs: StaticString = """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    /// The number of decimal digits of `value` (1 for 0).
    @inlinable
    package static func decimalDigitCount(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 { rest /= 10; digits += 1 }
        return digits
    }

    @inlinable
    static func appendZeros(_ count: Int, to buffer: inout [UInt8]) {
        var left = count
        while left > 0 { buffer.append(UInt8(ascii: "0")); left -= 1 }
    }

    /// Appends `bytes` as two hex digits each (`%02X` / `%02x`), with `separator` between them if given: written
    /// into a temporary buffer and appended at once (one capacity check for the whole run).
    @inlinable
    package static func appendHexBytes(_ bytes: UnsafeRawBufferPointer, separator: UInt8? = nil, _ letterCase: Case = .upper,
                                       to buffer: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let width = separator == nil ? 2 : 3
        let count = bytes.count * width - (separator == nil ? 0 : 1)
        let table = digits.utf8Start + (letterCase == .lower ? 16 : 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { out in  // on the stack up to 1 KiB
            var at = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                out[at] = table[Int(byte >> 4)]
                out[at + 1] = table[Int(byte & 0x0F)]
                if let separator, i + 1 < bytes.count { out[at + 2] = separator }
                at += width
            }
            buffer.append(contentsOf: UnsafeBufferPointer(out))
        }
    }

    /// Appends `count` spaces (nothing when `count` is not positive).
    @inlinable
    package static func appendSpaces(_ count: Int, to buffer: inout [UInt8]) {
        var left = count
        while left > 0 { buffer.append(UInt8(ascii: " ")); left -= 1 }
    }

    /// printf's `%*s`: `text` right-aligned in `width` columns (never truncated).
    @inlinable
    package static func appendRightAligned(_ text: StaticString, width: Int, to buffer: inout [UInt8]) {
        appendSpaces(width - text.utf8CodeUnitCount, to: &buffer)
        append(text, to: &buffer)
    }

    /// printf's `%*s`: `text` right-aligned in `width` columns (never truncated).
    @inlinable
    package static func appendRightAligned(_ text: String, width: Int, to buffer: inout [UInt8]) {
        appendSpaces(width - text.utf8.count, to: &buffer)
        buffer.append(contentsOf: text.utf8)
    }
}
