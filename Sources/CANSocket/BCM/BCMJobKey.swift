/// What identifies a broadcast-manager job, as the kernel keys it: the `can_id` word, the interface, and
/// whether the job carries CAN FD frames (`CAN_FD_FRAME`).
///
/// A second `TX_SETUP` (or `RX_SETUP`) with the same key updates the job instead of adding one; a classic and
/// an FD job with the same id are two jobs. Transmit and receive jobs are kept apart by the kernel.
///
/// Keys come from the socket (the `start…` calls and ``BCMEvent/key``), which knows the interface.
public struct BCMJobKey: Hashable, Sendable, CustomStringConvertible {
    /// The kernel's `can_id` word: identifier bits plus `CAN_EFF_FLAG` (and `CAN_RTR_FLAG` for a remote-reply job).
    public var rawID: UInt32
    /// The interface index (`sockaddr_can.can_ifindex`).
    public var interfaceIndex: CInt
    /// Whether the job's frames are CAN FD (`CAN_FD_FRAME`).
    public var isFD: Bool

    /// The identifier, without the RTR flag.
    public var id: CANID { CANID(kernelID: rawID) }

    /// Whether the job is a remote-request responder (`CAN_RTR_FLAG` in its id).
    public var isRemoteReply: Bool { rawID & CANFrame.remoteFlag != 0 }

    /// e.g. `123@3`, `12345678@3 FD`, `123R@3`.
    public var description: String {
        "\(id)\(isRemoteReply ? "R" : "")@\(interfaceIndex)\(isFD ? " FD" : "")"
    }
}
