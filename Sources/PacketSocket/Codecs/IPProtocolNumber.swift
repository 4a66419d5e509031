/// An IP protocol number: IPv4's protocol field, IPv6's next header (`IPPROTO_*` in `<netinet/in.h>`).
public struct IPProtocolNumber: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// IPv6 hop-by-hop options header. The corresponding C constant is `IPPROTO_HOPOPTS`.
    public static let hopByHopOptions = IPProtocolNumber(0)
    /// The corresponding C constant is `IPPROTO_ICMP`.
    public static let icmp = IPProtocolNumber(1)
    /// The corresponding C constant is `IPPROTO_IGMP`.
    public static let igmp = IPProtocolNumber(2)
    /// The corresponding C constant is `IPPROTO_TCP`.
    public static let tcp = IPProtocolNumber(6)
    /// The corresponding C constant is `IPPROTO_UDP`.
    public static let udp = IPProtocolNumber(17)
    /// IPv6 routing header. The corresponding C constant is `IPPROTO_ROUTING`.
    public static let routing = IPProtocolNumber(43)
    /// IPv6 fragment header. The corresponding C constant is `IPPROTO_FRAGMENT`.
    public static let fragment = IPProtocolNumber(44)
    /// The corresponding C constant is `IPPROTO_ESP`.
    public static let esp = IPProtocolNumber(50)
    /// The corresponding C constant is `IPPROTO_AH`.
    public static let authenticationHeader = IPProtocolNumber(51)
    /// The corresponding C constant is `IPPROTO_ICMPV6`.
    public static let icmpv6 = IPProtocolNumber(58)
    /// The corresponding C constant is `IPPROTO_NONE`.
    public static let noNextHeader = IPProtocolNumber(59)
    /// IPv6 destination options header. The corresponding C constant is `IPPROTO_DSTOPTS`.
    public static let destinationOptions = IPProtocolNumber(60)
    /// The corresponding C constant is `IPPROTO_SCTP`.
    public static let sctp = IPProtocolNumber(132)

    /// Whether this is an IPv6 extension header the decoder walks past (hop-by-hop, routing, fragment,
    /// destination options).
    public var isIPv6ExtensionHeader: Bool { rawValue == 0 || rawValue == 43 || rawValue == 44 || rawValue == 60 }

    /// The name tcpdump prints (`UDP`, `TCP`, `ICMP`...), nil when it has none here.
    public var name: StaticString? {
        switch rawValue {
        case 0: return "HBH"
        case 1: return "ICMP"
        case 2: return "IGMP"
        case 6: return "TCP"
        case 17: return "UDP"
        case 43: return "Routing"
        case 44: return "frag"
        case 50: return "ESP"
        case 51: return "AH"
        case 58: return "ICMPv6"
        case 59: return "none"
        case 60: return "DSTOPT"
        case 132: return "SCTP"
        default: return nil
        }
    }

    public var description: String {
        if let name { return "\(name) (\(rawValue))" }
        return "\(rawValue)"
    }
}
