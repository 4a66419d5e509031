import CCANShims

/// A CAN_RAW receive filter (`struct can_filter`): a frame matches when `received_id & mask == id & mask`,
/// or when they differ for an inverted filter (`CAN_INV_FILTER`).
///
/// `id` and `mask` are kernel `can_id` words: include `CAN_EFF_FLAG` / `CAN_RTR_FLAG` in both to match on
/// them (candump's `123:C00007FF` matches only standard data frames with id 123).
public struct CANFilter: Hashable, Sendable, CustomStringConvertible {
    /// The corresponding C constant is `CAN_INV_FILTER`.
    public static let invertFlag = UInt32(CAN_INV_FILTER)

    /// The id word to compare (without `CAN_INV_FILTER`).
    public var id: UInt32
    /// The mask applied to both sides.
    public var mask: UInt32
    /// Match frames that do *not* fit (`CAN_INV_FILTER`).
    public var inverted: Bool

    /// A filter on raw `can_id` words.
    public init(id: UInt32, mask: UInt32, inverted: Bool = false) {
        self.id = id
        self.mask = mask
        self.inverted = inverted
    }

    /// A filter on an identifier: standard filters match standard frames only, extended ones extended frames
    /// only (the EFF flag is part of the comparison), remote and data frames alike.
    public init(_ id: CANID, mask: UInt32? = nil, inverted: Bool = false) {
        let idMask = mask ?? (id.isExtended ? CANID.extendedMax : CANID.standardMax)
        self.init(id: id.kernelID, mask: idMask | CANFrame.extendedFlag, inverted: inverted)
    }

    /// The `can_id` field of `struct can_filter`, with `CAN_INV_FILTER` when inverted.
    public var kernelID: UInt32 { inverted ? id | Self.invertFlag : id & ~Self.invertFlag }
    /// The `can_mask` field of `struct can_filter`.
    public var kernelMask: UInt32 { mask }

    /// Whether the kernel would pass a frame with this `can_id` word, as `can_rcv_filter` in net/can/af_can.c
    /// decides: `rx & mask == id & mask` (or `!=` when inverted). Error frames (`CAN_ERR_FLAG`) never match an
    /// id filter: the socket's error mask selects them (``CANInterfaceFilterSpec/accepts(_:)``).
    public func matches(_ rawID: UInt32) -> Bool {
        if mask & CANFrame.errorFlag != 0 {
            // The kernel files such a filter under error frames, as an error class mask.
            return rawID & CANFrame.errorFlag != 0 && rawID & mask & CANFrame.errorMask != 0
        }
        guard rawID & CANFrame.errorFlag == 0 else { return false }
        let equal = (rawID & mask) == (id & ~Self.invertFlag & mask)
        return equal != inverted
    }

    /// Whether the kernel would pass `frame` (see ``matches(_:)``).
    public func matches(_ frame: CANFrame) -> Bool { matches(frame.rawID) }

    /// candump's syntax: `123:7FF`, `123~7FF` (inverted).
    public var description: String {
        "\(String(id & ~Self.invertFlag, radix: 16, uppercase: true))\(inverted ? "~" : ":")\(String(mask, radix: 16, uppercase: true))"
    }
}
