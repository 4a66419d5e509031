/// The flags byte of a CAN XL frame (`canxl_frame.flags`).
@frozen
public struct CANXLFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Marks a CAN XL frame; the kernel refuses XL frames without it, so ``CANXLFrame`` always sets it.
    /// The corresponding C constant is `CANXL_XLF`.
    public static let xlFormat = CANXLFlags(rawValue: 0x80)
    /// Simple Extended Content (security or segmentation). The corresponding C constant is `CANXL_SEC`.
    public static let simpleExtendedContent = CANXLFlags(rawValue: 0x01)
    /// Remote Request Substitution (the bit CAN XL sends where classic CAN has RTR; Linux 6.3 and later define it).
    /// The corresponding C constant is `CANXL_RRS`.
    public static let remoteRequestSubstitution = CANXLFlags(rawValue: 0x02)

    /// Every bit the kernel defines; the others are reserved and must be zero.
    public static let defined: CANXLFlags = [.xlFormat, .simpleExtendedContent, .remoteRequestSubstitution]
}
