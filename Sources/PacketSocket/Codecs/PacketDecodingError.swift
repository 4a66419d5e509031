/// Why a packet could not be decoded: the layer, the byte offset in the buffer, and what was wrong.
///
/// Reads like `IPv4 at offset 14: header length 4 words is below the minimum 5`.
public struct PacketDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The protocol layer whose header was being decoded.
    public enum Layer: Hashable, Sendable, CustomStringConvertible {
        case ethernet, vlan, arp, ipv4, ipv6, ipv6Extension, udp, tcp, tcpOption, icmp, icmpv6

        public var description: String {
            switch self {
            case .ethernet: return "Ethernet"
            case .vlan: return "VLAN tag"
            case .arp: return "ARP"
            case .ipv4: return "IPv4"
            case .ipv6: return "IPv6"
            case .ipv6Extension: return "IPv6 extension header"
            case .udp: return "UDP"
            case .tcp: return "TCP"
            case .tcpOption: return "TCP option"
            case .icmp: return "ICMP"
            case .icmpv6: return "ICMPv6"
            }
        }
    }

    /// What was wrong.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The header needs `needed` bytes from its offset; only `available` remain.
        case truncated(needed: Int, available: Int)
        /// A field holds a value the protocol does not allow; the text names the field and the value.
        case invalidField(String)

        public var description: String {
            switch self {
            case let .truncated(needed, available):
                return "truncated: needs \(needed) bytes, only \(available) remain"
            case let .invalidField(text):
                return text
            }
        }
    }

    /// The layer whose header could not be decoded.
    public let layer: Layer
    /// Offset of the header (or of the offending field) from the start of the decoded buffer.
    public let offset: Int
    /// What was wrong.
    public let reason: Reason

    /// An error in `layer` at byte `offset` of the decoded buffer.
    public init(_ layer: Layer, at offset: Int, _ reason: Reason) {
        self.layer = layer
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(layer) at offset \(offset): \(reason)" }
}
