/// The timestamp of a candump log line, `(SSSSSSSSSS.UUUUUU)` or with `-N` `(SSSSSSSSSS.NNNNNNNNN)`: the one
/// place that reads and writes it, so the timestamp type behind it can change without touching the line codec.
///
/// can-utils 2020.11 writes 6 fraction digits (`%010lu.%06lu`); current can-utils (`candump -N`) writes 9.
/// Anything else is rejected: canplayer 2020.11 reads the fraction with `%lu`, so `(1700000001.5)` would replay
/// at 1700000001.000005 (5 µs, not half a second), and current `log2asc` refuses such lines. A log edited by
/// hand or written by a tool that prints a float gets an error that says so instead of a silently shifted time.
public enum CandumpLogTimestamp {
    /// How many fraction digits a line carries.
    public enum Precision: Sendable, Hashable {
        /// 6 digits, microseconds: candump's default.
        case microseconds
        /// 9 digits, nanoseconds: `candump -N` (can-utils after v2025.01).
        case nanoseconds
    }

    /// Parses `(seconds.fraction)` at the start of `bytes`.
    /// - Returns: The timestamp, its precision and the index just past the `)`.
    /// - Throws: ``CANTextParseError`` with the 1-based column of the problem.
    public static func parse(_ bytes: [UInt8]) throws(CANTextParseError) -> (KernelTimestamp, Precision, Int) {
        guard bytes.first == UInt8(ascii: "(") else { throw CANTextParseError("expected '(' to open the timestamp", column: 1) }
        var index = 1
        var seconds: Int64 = 0
        var digits = 0
        while index < bytes.count, let d = digit(bytes[index]) {
            seconds = seconds * 10 + Int64(d); index += 1; digits += 1
            guard seconds <= maximumSeconds else {
                throw CANTextParseError("timestamp seconds beyond \(maximumSeconds) (April 2262, where the kernel's 64-bit nanosecond ktime_t ends)", column: 2)
            }
        }
        guard digits > 0 else { throw CANTextParseError("expected timestamp seconds", column: index + 1) }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else {
            throw CANTextParseError("expected '.' in the timestamp", column: index + 1)
        }
        index += 1
        let fractionStart = index
        var fraction: Int64 = 0
        while index < bytes.count, let d = digit(bytes[index]) {
            if index - fractionStart < 9 { fraction = fraction * 10 + Int64(d) }
            index += 1
        }
        let fractionDigits = index - fractionStart
        let precision: Precision
        switch fractionDigits {
        case 6: precision = .microseconds; fraction *= 1000
        case 9: precision = .nanoseconds
        default:
            throw CANTextParseError(
                "timestamp needs 6 (microseconds) or 9 (nanoseconds) digits after '.', found \(fractionDigits)"
                    + (fractionDigits > 0 && fractionDigits < 6
                        ? " ('.\(String(decoding: bytes[fractionStart..<index], as: UTF8.self))' is not taken as a decimal fraction: canplayer would read it as \(fraction) µs)"
                        : ""),
                column: fractionStart + 1)
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ")") else {
            throw CANTextParseError("expected ')' to close the timestamp", column: index + 1)
        }
        return (KernelTimestamp(seconds: seconds, nanoseconds: Int32(fraction)), precision, index + 1)
    }

    /// Appends `(%010lu.%06lu)` or, for nanoseconds, `(%010lu.%09lu)`.
    @inline(__always)
    public static func append(_ timestamp: KernelTimestamp, precision: Precision = .microseconds, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "("))
        CANFrameText.appendDecimal(UInt64(max(0, timestamp.seconds)), width: 10, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        switch precision {
        case .microseconds: CANFrameText.appendDecimal(UInt64(timestamp.microseconds), width: 6, to: &buffer)
        case .nanoseconds: CANFrameText.appendDecimal(UInt64(timestamp.nanoseconds), width: 9, to: &buffer)
        }
        buffer.append(UInt8(ascii: ")"))
    }

    /// The latest second a log line may carry: the kernel's `ktime_t` (signed 64-bit nanoseconds) ends there.
    public static let maximumSeconds: Int64 = 9_223_372_035

    @inline(__always)
    static func digit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }
}
