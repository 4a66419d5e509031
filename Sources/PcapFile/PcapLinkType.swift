import SocketBase

/// A pcap link-layer header type (`LINKTYPE_*`), the `network` field of a pcap file header.
public struct PcapLinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Ethernet II frames. `LINKTYPE_ETHERNET`.
    public static let ethernet = PcapLinkType(rawValue: 1)
    /// Raw IPv4 or IPv6 packets, no link-layer header. `LINKTYPE_RAW`.
    public static let raw = PcapLinkType(rawValue: 101)
    /// Linux cooked capture v1. `LINKTYPE_LINUX_SLL`.
    public static let linuxSLL = PcapLinkType(rawValue: 113)
    /// SocketCAN `can_frame`/`canfd_frame` with the CAN id in network byte order. `LINKTYPE_CAN_SOCKETCAN`.
    public static let canSocketCAN = PcapLinkType(rawValue: 227)
    /// Linux cooked capture v2. `LINKTYPE_LINUX_SLL2`.
    public static let linuxSLL2 = PcapLinkType(rawValue: 276)

    /// BSD loopback (a 4-byte address family in host order). `LINKTYPE_NULL`.
    public static let null = PcapLinkType(rawValue: 0)

    /// The names and descriptions tcpdump prints.
    package static let names: [Self: String] = [
        .null: "NULL (BSD loopback)",
        .ethernet: "EN10MB (Ethernet)",
        .raw: "RAW (Raw IP)",
        .linuxSLL: "LINUX_SLL (Linux cooked v1)",
        .canSocketCAN: "CAN_SOCKETCAN (CAN-bus with SocketCAN headers)",
        .linuxSLL2: "LINUX_SLL2 (Linux cooked v2)",
    ]

    /// The name and description tcpdump prints for the type (`EN10MB (Ethernet)`, as in "reading from file
    /// f.pcap, link-type EN10MB (Ethernet), …"); the number for types not listed here.
    public var tcpdumpName: String { knownName ?? String(rawValue) }

    public var description: String { tcpdumpName }
}
