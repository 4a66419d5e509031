extension PcapNGPacketFlags {
    /// The `epb_flags` for a packet the kernel classed as `packetType` (`sll_pkttype`): outbound for
    /// `PACKET_OUTGOING`, inbound with the reception type for the others (`PACKET_OTHERHOST` is promiscuous).
    public init(packetType: LinkLayerAddress.PacketType) {
        switch packetType {
        case .outgoing: self.init(direction: .outbound)
        case .host: self.init(direction: .inbound, reception: .unicast)
        case .broadcast: self.init(direction: .inbound, reception: .broadcast)
        case .multicast: self.init(direction: .inbound, reception: .multicast)
        case .otherHost: self.init(direction: .inbound, reception: .promiscuous)
        default: self.init(direction: .unknown)
        }
    }
}
