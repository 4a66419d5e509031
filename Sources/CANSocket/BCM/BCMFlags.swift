/// The `flags` word of `struct bcm_msg_head` (`<linux/can/bcm.h>`).
@frozen
public struct BCMFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Take `count`, `ival1` and `ival2` from this message. The corresponding C constant is `SETTIMER`.
    public static let setTimer = BCMFlags(rawValue: 0x0001)
    /// Start (or restart) the job's timer now; on TX it also sends the first frame at once.
    /// The corresponding C constant is `STARTTIMER`.
    public static let startTimer = BCMFlags(rawValue: 0x0002)
    /// Send `TX_EXPIRED` when `count` frames have been sent. The corresponding C constant is `TX_COUNTEVT`.
    public static let countEvent = BCMFlags(rawValue: 0x0004)
    /// Send the (changed) data at once, not only on the next timer expiry. The corresponding C constant is `TX_ANNOUNCE`.
    public static let announce = BCMFlags(rawValue: 0x0008)
    /// Copy the message's `can_id` into every frame of the job. The corresponding C constant is `TX_CP_CAN_ID`.
    public static let copyID = BCMFlags(rawValue: 0x0010)
    /// Filter by CAN id only, no content comparison. The corresponding C constant is `RX_FILTER_ID`.
    public static let filterID = BCMFlags(rawValue: 0x0020)
    /// A change of the data length counts as a change too. The corresponding C constant is `RX_CHECK_DLC`.
    public static let checkDLC = BCMFlags(rawValue: 0x0040)
    /// Do not restart timeout monitoring on each reception. The corresponding C constant is `RX_NO_AUTOTIMER`.
    public static let noAutoTimer = BCMFlags(rawValue: 0x0080)
    /// After an `RX_TIMEOUT`, report the next frame as changed even if it is not.
    /// The corresponding C constant is `RX_ANNOUNCE_RESUME`.
    public static let announceResume = BCMFlags(rawValue: 0x0100)
    /// Restart a multiplexed job at its first frame. The corresponding C constant is `TX_RESET_MULTI_IDX`.
    public static let resetMultiplexIndex = BCMFlags(rawValue: 0x0200)
    /// Answer remote requests for the id with the job's frame. The corresponding C constant is `RX_RTR_FRAME`.
    public static let remoteReply = BCMFlags(rawValue: 0x0400)
    /// The job's frames are `canfd_frame`s (72 bytes each). The corresponding C constant is `CAN_FD_FRAME`.
    public static let fdFrames = BCMFlags(rawValue: 0x0800)

    /// The C names joined by `|`, e.g. `SETTIMER|STARTTIMER`; unknown bits in hex.
    public var description: String {
        let names = ["SETTIMER", "STARTTIMER", "TX_COUNTEVT", "TX_ANNOUNCE", "TX_CP_CAN_ID", "RX_FILTER_ID",
                     "RX_CHECK_DLC", "RX_NO_AUTOTIMER", "RX_ANNOUNCE_RESUME", "TX_RESET_MULTI_IDX", "RX_RTR_FRAME",
                     "CAN_FD_FRAME"]
        var parts = names.indices.filter { rawValue & (1 << $0) != 0 }.map { names[$0] }
        let unknown = rawValue & ~0xFFF
        if unknown != 0 { parts.append("0x" + String(unknown, radix: 16, uppercase: true)) }
        return parts.isEmpty ? "[]" : parts.joined(separator: "|")
    }
}
