import CCANShims

/// The flags byte of a CAN FD frame (`canfd_frame.flags`).
@frozen
public struct CANFDFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bit rate switch: the data phase runs at the second bit rate. The corresponding C constant is `CANFD_BRS`.
    public static let bitRateSwitch = CANFDFlags(rawValue: UInt8(CANFD_BRS))
    /// Error state indicator: the sender is error passive. The corresponding C constant is `CANFD_ESI`.
    public static let errorStateIndicator = CANFDFlags(rawValue: UInt8(CANFD_ESI))
    /// Marks a CAN FD frame in the kernel's `canfd_frame` (set on every FD frame received on both kernels tested here, Debian's 6.1 and 6.12).
    /// The corresponding C constant is `CANFD_FDF`.
    public static let fdFormat = CANFDFlags(rawValue: UInt8(CANFD_FDF))
}
