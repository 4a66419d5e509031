/// What the kernel counted for an AF_PACKET socket (`PACKET_STATISTICS`).
///
/// The kernel resets its counters on every read; ``LinkLayerSocket/statistics()`` adds them up, so these are
/// totals since the socket was opened.
public struct PacketStatistics: Hashable, Sendable {
    /// Packets that passed the filter, whether queued or dropped (`tp_packets`): libpcap's "received by filter".
    public var packets: UInt64
    /// Packets dropped because the receive buffer or ring was full (`tp_drops`): "dropped by kernel".
    public var drops: UInt64
    /// How often the TPACKET_V3 ring was frozen for lack of a free block (`tp_freeze_q_cnt`); 0 without a ring.
    public var freezeCount: UInt64

    public init(packets: UInt64 = 0, drops: UInt64 = 0, freezeCount: UInt64 = 0) {
        self.packets = packets
        self.drops = drops
        self.freezeCount = freezeCount
    }
}
