/// Why a packet could not be decoded: the layer, the byte offset in the buffer, and what was wrong.
///
/// Reads like `IPv4 at offset 14: header length 4 words is below the minimum 5`.
public struct PacketDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The protocol layer whose header was being decoded.
    public struct Layer: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let ethernet = Layer(rawValue: "Ethernet")
        public static let vlan = Layer(rawValue: "VLAN tag")
        public static let arp = Layer(rawValue: "ARP")
        public static let ipv4 = Layer(rawValue: "IPv4")
        public static let ipv6 = Layer(rawValue: "IPv6")
        public static let ipv6Extension = Layer(rawValue: "IPv6 extension header")
        public static let udp = Layer(rawValue: "UDP")
        public static let tcp = Layer(rawValue: "TCP")
        public static let tcpOption = Layer(rawValue: "TCP option")
        public static let icmp = Layer(rawValue: "ICMP")
        public static let icmpv6 = Layer(rawValue: "ICMPv6")
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

    public let layer: Layer
    /// Offset of the header (or of the offending field) from the start of the decoded buffer.
    public let offset: Int
    public let reason: Reason

    public init(_ layer: Layer, at offset: Int, _ reason: Reason) {
        self.layer = layer
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(layer) at offset \(offset): \(reason)" }
}
