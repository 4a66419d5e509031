#if canImport(Glibc)
import Glibc
#endif
import CPacketShims
import SocketBase

/// How a `PACKET_FANOUT` group shares the packets of one interface among its sockets: each packet goes to exactly
/// one member, picked by the group's mode.
///
/// Sockets join with `setsockopt(PACKET_FANOUT)` and an `int` of group id (low 16 bits), mode and flags (high 16
/// bits). Every member must be bound to the same interface and EtherType and ask for the same mode and flags.
/// ``PacketRingGroup`` sets a group up.
public struct PacketFanout: Hashable, Sendable {
    /// Which member gets a packet.
    public struct Mode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// By the packet's flow hash (`skb_get_hash`): every packet of one flow (addresses, ports) goes to the same
        /// member. The corresponding C constant is `PACKET_FANOUT_HASH`.
        public static let hash = Mode(rawValue: UInt16(PACKET_FANOUT_HASH))
        /// Round robin. The corresponding C constant is `PACKET_FANOUT_LB`.
        public static let loadBalance = Mode(rawValue: UInt16(PACKET_FANOUT_LB))
        /// By the CPU that receives the packet. The corresponding C constant is `PACKET_FANOUT_CPU`.
        public static let cpu = Mode(rawValue: UInt16(PACKET_FANOUT_CPU))
        /// The first member whose queue has room. The corresponding C constant is `PACKET_FANOUT_ROLLOVER`.
        public static let rollover = Mode(rawValue: UInt16(PACKET_FANOUT_ROLLOVER))
        /// At random. The corresponding C constant is `PACKET_FANOUT_RND`.
        public static let random = Mode(rawValue: UInt16(PACKET_FANOUT_RND))
        /// By the device's receive queue (`skb_get_rx_queue`). The corresponding C constant is `PACKET_FANOUT_QM`.
        public static let queueMapping = Mode(rawValue: UInt16(PACKET_FANOUT_QM))

        public var description: String {
            switch self {
            case .hash: "hash"
            case .loadBalance: "lb"
            case .cpu: "cpu"
            case .rollover: "rollover"
            case .random: "random"
            case .queueMapping: "qm"
            default: "mode \(rawValue)"
            }
        }
    }

    /// The mode.
    public var mode: Mode
    /// The group's id; `nil` lets the kernel pick one no other group uses (`PACKET_FANOUT_FLAG_UNIQUEID`, Linux
    /// 4.12+), so a capture never joins somebody else's group by accident.
    public var groupID: UInt16?
    /// Reassemble IPv4 fragments before picking a member (`PACKET_FANOUT_FLAG_DEFRAG`), so all fragments of a
    /// datagram reach the same one. Off by default: the members then receive the reassembled datagram instead of
    /// the fragments on the wire, unlike a capture without fanout (tcpdump, libpcap).
    public var defragments = false
    /// Hand a packet to the next member when the chosen one's ring is full instead of dropping it
    /// (`PACKET_FANOUT_FLAG_ROLLOVER`). Off by default: it breaks the mode's guarantee (a flow on one member).
    public var rollsOver = false

    public init(mode: Mode = .hash, groupID: UInt16? = nil, defragments: Bool = false, rollsOver: Bool = false) {
        self.mode = mode
        self.groupID = groupID
        self.defragments = defragments
        self.rollsOver = rollsOver
    }

    /// The `PACKET_FANOUT` argument for joining group `id`; `unique` asks the kernel to pick the id (then `id` is 0).
    func argument(id: UInt16, unique: Bool) -> CInt {
        var typeAndFlags = CInt(mode.rawValue)
        if defragments { typeAndFlags |= CInt(PACKET_FANOUT_FLAG_DEFRAG) }
        if rollsOver { typeAndFlags |= CInt(PACKET_FANOUT_FLAG_ROLLOVER) }
        if unique { typeAndFlags |= CInt(PACKET_FANOUT_FLAG_UNIQUEID) }
        return CInt(id) | typeAndFlags << 16
    }
}

extension PacketOption {
    /// Join a fanout group (an `int`: group id | (mode | flags) << 16); reads back the group the socket is in.
    /// The corresponding C constant is `PACKET_FANOUT`.
    public static var fanout: SocketOption<CInt> { .init(level: level, name: CInt(PACKET_FANOUT), label: "PACKET_FANOUT") }
}

extension LinkLayerSocket {
    /// Joins the fanout group `fanout` describes (the socket must be bound): `setsockopt(PACKET_FANOUT)`.
    /// - Returns: The group's id: `fanout.groupID`, or the one the kernel picked.
    /// - Throws: ``SystemCallError``: `EINVAL` for a socket not bound or a group of other settings, `EALREADY`
    ///   for a socket already in a group.
    @discardableResult
    public func joinFanout(_ fanout: PacketFanout) throws -> UInt16 {
        try socket.setOption(PacketOption.fanout, fanout.argument(id: fanout.groupID ?? 0, unique: fanout.groupID == nil))
        return try fanoutGroupID()
    }

    /// The id of the fanout group the socket is in: `getsockopt(PACKET_FANOUT)`, whose low 16 bits are the id.
    /// The kernel reports 0 also for a socket in no group.
    public func fanoutGroupID() throws -> UInt16 {
        UInt16(truncatingIfNeeded: try socket.option(PacketOption.fanout))
    }
}
