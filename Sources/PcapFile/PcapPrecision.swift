import SocketBase

/// The timestamp resolution of a pcap file, chosen by its magic number.
public enum PcapPrecision: Hashable, Sendable {
    /// Magic 0xA1B2C3D4: the record's second fraction is in microseconds (`ts_usec`).
    case microseconds
    /// Magic 0xA1B23C4D: the record's second fraction is in nanoseconds.
    case nanoseconds

    /// The file's magic number in host order.
    public var magic: UInt32 { self == .microseconds ? 0xA1B2_C3D4 : 0xA1B2_3C4D }

    /// The record header's fraction field for `timestamp`, truncated to this precision.
    @inline(__always)
    public func fraction(of timestamp: KernelTimestamp) -> UInt32 {
        // One division at most (this runs per written record), not `fraction(digits:)`'s loop and check.
        UInt32(self == .microseconds ? timestamp.microseconds : timestamp.nanoseconds)
    }

    /// The timestamp a record header holds: `ts_sec` and the fraction in this precision's unit. A fraction of
    /// a second or more (never written by libpcap) carries into the seconds.
    public func timestamp(seconds: UInt32, fraction: UInt32) -> KernelTimestamp {
        self == .microseconds
            ? KernelTimestamp(seconds: Int64(seconds), microseconds: fraction)
            : KernelTimestamp(seconds: Int64(seconds), nanoseconds: fraction)
    }
}
