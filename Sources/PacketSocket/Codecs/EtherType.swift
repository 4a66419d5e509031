/// An EtherType: the protocol of an Ethernet II payload (`ETH_P_*` in `<linux/if_ether.h>`), in host byte
/// order; the one type for it in codecs, AF_PACKET addresses, socket options and filters. An integer literal
/// is one (`let type: EtherType = 0x88B5`).
public struct EtherType: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt16) { rawValue = value }

    /// Every protocol: for AF_PACKET sockets and addresses only, never on the wire.
    /// The corresponding C constant is `ETH_P_ALL`.
    public static let all = EtherType(0x0003)

    /// The corresponding C constant is `ETH_P_IP`.
    public static let ipv4 = EtherType(0x0800)
    /// The corresponding C constant is `ETH_P_ARP`.
    public static let arp = EtherType(0x0806)
    /// The corresponding C constant is `ETH_P_8021Q`.
    public static let vlan = EtherType(0x8100)
    /// The corresponding C constant is `ETH_P_8021AD` (802.1ad service tag, "QinQ").
    public static let serviceVLAN = EtherType(0x88A8)
    /// The corresponding C constant is `ETH_P_IPV6`.
    public static let ipv6 = EtherType(0x86DD)

    /// Whether a VLAN tag follows (802.1Q, 802.1ad, and the older 0x9100 QinQ).
    public var isVLANTag: Bool { rawValue == 0x8100 || rawValue == 0x88A8 || rawValue == 0x9100 }

    /// tcpdump's name for the type (`IPv4`, `ARP`, `802.1Q`...), nil when it has none here.
    public var name: StaticString? {
        switch rawValue {
        case 0x0800: return "IPv4"
        case 0x0806: return "ARP"
        case 0x8035: return "Reverse ARP"
        case 0x8100: return "802.1Q"
        case 0x88A8: return "802.1Q-QinQ"
        case 0x9100: return "802.1Q-9100"
        case 0x86DD: return "IPv6"
        case 0x8847: return "MPLS unicast"
        case 0x8848: return "MPLS multicast"
        case 0x888E: return "EAPOL"
        case 0x88CC: return "LLDP"
        case 0x88F7: return "PTP"
        case 0x8863: return "PPPoE D"
        case 0x8864: return "PPPoE S"
        case 0x0842: return "Wake-on-LAN"
        default: return nil
        }
    }

    public var description: String {
        var text: [UInt8] = []
        if let name { TextBuffer.append(name, to: &text) } else { TextBuffer.append("Unknown", to: &text) }
        TextBuffer.append(" (0x", to: &text)
        TextBuffer.appendHex(rawValue, width: 4, to: &text)
        text.append(UInt8(ascii: ")"))
        return String(decoding: text, as: UTF8.self)
    }
}
