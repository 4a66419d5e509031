#if canImport(Glibc)
import Glibc
#endif
import CSocketShims

/// A kernel timestamp at nanosecond resolution: seconds and nanoseconds since the epoch (`CLOCK_REALTIME`, the
/// clock of `SO_TIMESTAMPNS` and of the AF_PACKET ring), or since an arbitrary start for hardware clocks.
///
/// The one timestamp of the package: CAN frames (`SO_TIMESTAMPNS`, `SO_TIMESTAMPING`), captured packets
/// (`SO_TIMESTAMPNS`, `tp_sec`/`tp_nsec`), candump log lines and pcap records all carry it. It converts to
/// and from `struct timespec` and `struct timeval`, to the microseconds pcap (magic 0xA1B2C3D4) and candump
/// print and the nanoseconds a nanosecond pcap file (0xA1B23C4D) and `candump -N` print.
///
/// The value is kept as seconds plus a nanosecond fraction rather than one 64-bit count of nanoseconds, so
/// any seconds a file or a log line can hold (a 10-digit candump second, a `UInt32` pcap second) fits
/// without overflow. The fraction is always normalized to `0..<1_000_000_000`.
@frozen
public struct KernelTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Whole seconds.
    public let seconds: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public let nanoseconds: Int32

    /// Nanoseconds in one second.
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// The time `seconds` plus `nanoseconds`; a fraction outside `0..<1_000_000_000` carries into the seconds.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int64) {
        let (carry, fraction) = nanoseconds.quotientAndRemainder(dividingBy: Self.nanosecondsPerSecond)
        self.seconds = Self.clampedSum(seconds, carry + (fraction < 0 ? -1 : 0))
        self.nanoseconds = Int32(fraction < 0 ? fraction + Self.nanosecondsPerSecond : fraction)
    }

    /// The time `seconds` plus `nanoseconds`, from any integer type.
    @inlinable
    public init(seconds: Int64, nanoseconds: some BinaryInteger) {
        self.init(seconds: seconds, nanoseconds: Int64(clamping: nanoseconds))
    }

    /// The time `seconds` plus `microseconds` (what `SO_TIMESTAMP`, candump and a microsecond pcap record hold).
    @inlinable
    public init(seconds: Int64, microseconds: some BinaryInteger) {
        let (carry, fraction) = Int64(clamping: microseconds).quotientAndRemainder(dividingBy: 1_000_000)
        self.init(seconds: Self.clampedSum(seconds, carry), nanoseconds: fraction * 1000)
    }

    /// The time a `struct timespec` holds (`SO_TIMESTAMPNS`, `clock_gettime`).
    @inlinable
    public init(_ time: timespec) {
        self.init(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec))
    }

    /// The time a `struct timeval` holds (`SO_TIMESTAMP`, `gettimeofday`).
    @inlinable
    public init(_ time: timeval) {
        self.init(seconds: Int64(time.tv_sec), microseconds: Int64(time.tv_usec))
    }

    /// `0.000000000`: the epoch, or "no timestamp" where the kernel gave none.
    public static let zero = KernelTimestamp(seconds: 0, nanoseconds: 0)

    /// The microseconds within the second, truncated as the kernel's `SO_TIMESTAMP` and candump do.
    @inlinable
    public var microseconds: Int32 { nanoseconds / 1000 }

    /// The fraction of the second in units of `10^-digits` s, truncated: 6 digits for candump and µs pcap,
    /// 9 for `candump -N` and ns pcap.
    /// - Parameter digits: 0...9.
    public func fraction(digits: Int) -> Int32 {
        precondition((0...9).contains(digits), "KernelTimestamp.fraction: 0...9 digits")
        var divisor: Int32 = 1
        for _ in digits..<9 { divisor *= 10 }
        return nanoseconds / divisor
    }

    /// The value as a `struct timespec`.
    public var timespec: Glibc.timespec {
        Glibc.timespec(tv_sec: Int(truncatingIfNeeded: seconds), tv_nsec: Int(nanoseconds))
    }

    /// The value as a `struct timeval`, the fraction truncated to microseconds.
    public var timeval: Glibc.timeval {
        Glibc.timeval(tv_sec: Int(truncatingIfNeeded: seconds), tv_usec: Int(microseconds))
    }

    /// The current wall-clock time (`clock_gettime(CLOCK_REALTIME)`, the clock `SO_TIMESTAMPNS` uses).
    public static var now: KernelTimestamp {
        KernelTimestamp(Sys.realtimeNow())
    }

    /// The time from `earlier` to this one.
    public func since(_ earlier: KernelTimestamp) -> Duration {
        .seconds(seconds &- earlier.seconds) + .nanoseconds(Int64(nanoseconds) - Int64(earlier.nanoseconds))
    }

    @inlinable
    public static func < (a: Self, b: Self) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    // MARK: Decimal text

    /// Appends `S.F` as candump prints it (`%0<w>lu.%06lu`, or `%09lu` with `-N`): the seconds zero-padded to
    /// `secondsWidth` digits, `.`, then `fractionDigits` digits of the fraction, truncated. Negative seconds
    /// print as 0, as an unsigned `%lu` of a pre-1970 time never occurs in a log.
    /// - Parameters:
    ///   - secondsWidth: The least number of second digits (10 in candump's log format).
    ///   - fractionDigits: 6 (microseconds) or 9 (nanoseconds); any of 1...9.
    public func appendDecimal(secondsWidth: Int = 10, fractionDigits: Int = 6, to buffer: inout [UInt8]) {
        precondition((1...9).contains(fractionDigits), "KernelTimestamp.appendDecimal: 1...9 digits")
        Self.appendDecimal(UInt64(max(0, seconds)), width: secondsWidth, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        Self.appendDecimal(UInt64(fraction(digits: fractionDigits)), width: fractionDigits, to: &buffer)
    }

    /// `S.FFFFFF` with 6 fraction digits and the seconds unpadded, e.g. `1700000000.123456`.
    public var description: String { text(secondsWidth: 1, fractionDigits: 6) }

    /// The decimal text of ``appendDecimal(secondsWidth:fractionDigits:to:)``.
    public func text(secondsWidth: Int = 10, fractionDigits: Int = 6) -> String {
        var buffer: [UInt8] = []
        appendDecimal(secondsWidth: secondsWidth, fractionDigits: fractionDigits, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Parses `S.F` with 6 (microseconds, candump) or 9 (nanoseconds, `candump -N`) fraction digits, e.g.
    /// `1700000000.123456` or `1700000000.123456789`; nil for anything else (no sign, no spaces, at most 18
    /// second digits).
    public init?(decimal text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), (1...18).contains(dot) else { return nil }
        let fractionDigits = bytes.count - dot - 1
        guard fractionDigits == 6 || fractionDigits == 9 else { return nil }
        var seconds: Int64 = 0
        for byte in bytes[..<dot] {
            guard let digit = Self.digit(byte) else { return nil }
            seconds = seconds * 10 + Int64(digit)
        }
        var fraction: Int64 = 0
        for byte in bytes[(dot + 1)...] {
            guard let digit = Self.digit(byte) else { return nil }
            fraction = fraction * 10 + Int64(digit)
        }
        self.init(seconds: seconds, nanoseconds: fractionDigits == 6 ? fraction * 1000 : fraction)
    }

    /// `a + b`, held at the bounds instead of overflowing (no file or log can reach them honestly).
    @usableFromInline
    static func clampedSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    /// Appends `value` in decimal, zero-padded to `width` digits.
    @inline(__always)
    private static func appendDecimal(_ value: UInt64, width: Int, to buffer: inout [UInt8]) {
        ByteText.appendDecimal(value, minimumDigits: width, to: &buffer)
    }
}
