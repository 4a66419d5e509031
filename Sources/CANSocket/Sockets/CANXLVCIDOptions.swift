/// How a CAN_RAW socket handles CAN XL virtual CAN network ids (`CAN_RAW_XL_VCID_OPTS`, Linux 6.9 and later),
/// the kernel's `struct can_raw_vcid_options` { flags, tx_vcid, rx_vcid, rx_vcid_mask } (4 bytes).
///
/// Without these options the kernel sends every XL frame untagged (VCID 0) and delivers only untagged ones.
public struct CANXLVCIDOptions: Hashable, Sendable {
    /// Tag every sent frame with this VCID (`CAN_RAW_XL_VCID_TX_SET`, `tx_vcid`); it overrides pass-through.
    public var transmitVCID: UInt8?
    /// Send each frame's own ``CANXLFrame/vcid`` (`CAN_RAW_XL_VCID_TX_PASS`), e.g. to replay traffic.
    public var passTransmitVCID: Bool
    /// Deliver frames whose `vcid & mask == value & mask` (`CAN_RAW_XL_VCID_RX_FILTER`, `rx_vcid`,
    /// `rx_vcid_mask`); mask 0 delivers every VCID. `nil`: only untagged frames, the kernel's default.
    public var receiveFilter: (value: UInt8, mask: UInt8)?

    public init(transmitVCID: UInt8? = nil, passTransmitVCID: Bool = false, receiveFilter: (value: UInt8, mask: UInt8)? = nil) {
        self.transmitVCID = transmitVCID
        self.passTransmitVCID = passTransmitVCID
        self.receiveFilter = receiveFilter
    }

    /// Send each frame's VCID and receive every VCID: what a tool that shows or replays all traffic wants.
    public static let passAll = CANXLVCIDOptions(passTransmitVCID: true, receiveFilter: (0, 0))

    /// The kernel's 4 bytes: flags (TX_SET 0x01, TX_PASS 0x02, RX_FILTER 0x04), tx_vcid, rx_vcid, rx_vcid_mask.
    public var kernelBytes: [UInt8] {
        var flags: UInt8 = 0
        if transmitVCID != nil { flags |= 0x01 }
        if passTransmitVCID { flags |= 0x02 }
        if receiveFilter != nil { flags |= 0x04 }
        return [flags, transmitVCID ?? 0, receiveFilter?.value ?? 0, receiveFilter?.mask ?? 0]
    }

    public static func == (a: Self, b: Self) -> Bool { a.kernelBytes == b.kernelBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(kernelBytes) }
}
