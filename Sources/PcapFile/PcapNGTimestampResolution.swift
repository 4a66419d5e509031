import SocketBase

/// The unit of a pcapng interface's timestamps: the `if_tsresol` option, 10^-n or 2^-n seconds.
public struct PcapNGTimestampResolution: Hashable, Sendable, CustomStringConvertible {
    /// The option's byte: the exponent n, with bit 7 set for a power of two.
    public let code: UInt8
    /// Timestamp units in one second.
    public let unitsPerSecond: UInt64

    /// The resolution an `if_tsresol` byte stands for; nil when its units do not fit 64 bits (10^-20, 2^-64 and
    /// finer).
    public init?(code: UInt8) {
        let exponent = UInt64(code & 0x7F)
        if code & 0x80 != 0 {
            guard exponent < 64 else { return nil }
            unitsPerSecond = 1 << exponent
        } else {
            guard exponent <= 19 else { return nil }
            var units: UInt64 = 1
            for _ in 0..<exponent { units *= 10 }
            unitsPerSecond = units
        }
        self.code = code
    }

    /// Microseconds, the default when an interface has no `if_tsresol` option.
    public static let microseconds = PcapNGTimestampResolution(code: 6)!
    /// Nanoseconds (`if_tsresol` 9), what tshark writes.
    public static let nanoseconds = PcapNGTimestampResolution(code: 9)!

    /// The moment `ticks` units after the epoch (plus `offset` seconds, `if_tsoffset`), cut to nanoseconds.
    public func timestamp(ticks: UInt64, offset: Int64 = 0) -> KernelTimestamp {
        let seconds = ticks / unitsPerSecond, remainder = ticks % unitsPerSecond
        // remainder × 10^9 / units without overflow: the product needs up to 94 bits.
        let product = remainder.multipliedFullWidth(by: 1_000_000_000)
        let nanoseconds = unitsPerSecond.dividingFullWidth((product.high, product.low)).quotient
        return KernelTimestamp(seconds: Int64(truncatingIfNeeded: seconds) &+ offset, nanoseconds: Int64(nanoseconds))
    }

    /// The ticks of `timestamp` in this unit (truncated; 0 before the epoch, the largest value past the range).
    public func ticks(of timestamp: KernelTimestamp) -> UInt64 {
        guard timestamp.seconds >= 0 else { return 0 }
        let whole = UInt64(timestamp.seconds).multipliedReportingOverflow(by: unitsPerSecond)
        let product = UInt64(timestamp.nanoseconds).multipliedFullWidth(by: unitsPerSecond)
        let part = UInt64(1_000_000_000).dividingFullWidth((product.high, product.low)).quotient
        let sum = whole.partialValue.addingReportingOverflow(part)
        return whole.overflow || sum.overflow ? .max : sum.partialValue
    }

    public var description: String {
        code & 0x80 != 0 ? "2^-\(code & 0x7F) s" : "10^-\(code) s"
    }
}
