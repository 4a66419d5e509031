/// The gap the kernel leaves between sent frames (`can_isotp_options.frame_txtime`, N_As), in nanoseconds.
///
/// In the C struct 0 means "keep the kernel's default" (50 µs on 6.1) and `CAN_ISOTP_FRAME_TXTIME_ZERO`
/// (0xFFFFFFFF) means zero; this type names the three cases so a zero is never set by accident.
public enum ISOTPFrameTransmitTime: Hashable, Sendable, CustomStringConvertible {
    /// Keep the kernel's default (the C value 0).
    case kernelDefault
    /// No gap at all (the C value `CAN_ISOTP_FRAME_TXTIME_ZERO`, 0xFFFFFFFF).
    case zero
    /// A gap of 1...0xFFFFFFFE nanoseconds.
    case nanoseconds(UInt32)

    /// The C value of `CAN_ISOTP_FRAME_TXTIME_ZERO`.
    public static let zeroRawValue: UInt32 = 0xFFFF_FFFF

    /// The case for a raw `frame_txtime` as isotpsend's `-t` takes it: 0 is the default, 0xFFFFFFFF zero.
    public init(rawValue: UInt32) {
        switch rawValue {
        case 0: self = .kernelDefault
        case Self.zeroRawValue: self = .zero
        default: self = .nanoseconds(rawValue)
        }
    }

    /// The value for `can_isotp_options.frame_txtime`.
    public var rawValue: UInt32 {
        switch self {
        case .kernelDefault: 0
        case .zero: Self.zeroRawValue
        case .nanoseconds(let ns): ns
        }
    }

    public var description: String {
        switch self {
        case .kernelDefault: "kernel default"
        case .zero: "zero"
        case .nanoseconds(let ns): "\(ns) ns"
        }
    }
}
