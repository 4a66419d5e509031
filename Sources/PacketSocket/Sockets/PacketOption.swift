#if canImport(Glibc)
import Glibc
#endif
import CPacketShims
import SocketBase

/// AF_PACKET socket options (level `SOL_PACKET`, 263) and the classic BPF socket options (`SOL_SOCKET`).
public enum PacketOption {
    /// The `SOL_PACKET` level.
    public static let level = CInt(SOL_PACKET)

    /// Capture and send on a multicast group, or enable promiscuous / all-multicast mode while the socket is open.
    /// The corresponding C constant is `PACKET_ADD_MEMBERSHIP`.
    public static let addMembership = CInt(PACKET_ADD_MEMBERSHIP)
    /// Leave what `PACKET_ADD_MEMBERSHIP` joined. The corresponding C constant is `PACKET_DROP_MEMBERSHIP`.
    public static let dropMembership = CInt(PACKET_DROP_MEMBERSHIP)
    /// The receive ring (`struct tpacket_req3` for TPACKET_V3). The corresponding C constant is `PACKET_RX_RING`.
    public static let receiveRing = CInt(PACKET_RX_RING)
    /// Packets and drops since the last read, which resets them. The corresponding C constant is `PACKET_STATISTICS`.
    public static let statistics = CInt(PACKET_STATISTICS)

    /// Deliver a `struct tpacket_auxdata` control message with each packet. The corresponding C constant is `PACKET_AUXDATA`.
    public static var auxiliaryData: SocketOption<CInt> { .init(level: level, name: CInt(PACKET_AUXDATA), label: "PACKET_AUXDATA") }
    /// The ring's header version (`TPACKET_V3` = 2). The corresponding C constant is `PACKET_VERSION`.
    public static var version: SocketOption<CInt> { .init(level: level, name: CInt(PACKET_VERSION), label: "PACKET_VERSION") }
    /// Send without the interface's queueing discipline. The corresponding C constant is `PACKET_QDISC_BYPASS`.
    public static var qdiscBypass: SocketOption<CInt> { .init(level: level, name: CInt(PACKET_QDISC_BYPASS), label: "PACKET_QDISC_BYPASS") }
    /// Don't receive packets this host sends. The corresponding C constant is `PACKET_IGNORE_OUTGOING`.
    public static var ignoreOutgoing: SocketOption<CInt> { .init(level: level, name: CInt(PACKET_IGNORE_OUTGOING), label: "PACKET_IGNORE_OUTGOING") }

    /// Attach a classic BPF program (`struct sock_fprog`). The corresponding C constant is `SO_ATTACH_FILTER`.
    public static let attachFilter = CInt(SO_ATTACH_FILTER)
    /// Remove the attached program. The corresponding C constant is `SO_DETACH_FILTER`.
    public static let detachFilter = CInt(SO_DETACH_FILTER)
    /// Forbid changing the attached program. The corresponding C constant is `SO_LOCK_FILTER`.
    public static var lockFilter: SocketOption<CInt> { .init(level: SOL_SOCKET, name: CInt(SO_LOCK_FILTER), label: "SO_LOCK_FILTER") }
}
