#if canImport(Glibc)
import Glibc
#endif
import CPacketShims
import SocketBase

/// An AF_PACKET address (`struct sockaddr_ll`, 20 bytes): an interface, an EtherType, and for received packets
/// the hardware type, packet type and the sender's hardware address.
public struct LinkLayerAddress: SocketAddress, Hashable {
    /// The EtherType (`sll_protocol` holds it big-endian); ``EtherType/all`` (`ETH_P_ALL`) for every one.
    public var etherType: EtherType
    /// The interface index (`sll_ifindex`); 0 means every interface.
    public var interfaceIndex: CInt
    /// The interface's hardware type (`sll_hatype`, `ARPHRD_*`).
    public var hardwareType: HardwareType
    /// Who the packet was for (`sll_pkttype`, `PACKET_*`).
    public var packetType: PacketType
    /// The hardware address (`sll_addr`, `sll_halen` bytes): the source for received packets, the destination
    /// for cooked sends.
    public var hardwareAddress: HardwareAddress

    /// An address to bind to or send on.
    /// - Parameters:
    ///   - interfaceIndex: The interface (``NetworkInterface/index``); 0 for every interface.
    ///   - etherType: The EtherType to receive or send; every one (`ETH_P_ALL`) by default.
    ///   - hardwareAddress: The destination for cooked (`SOCK_DGRAM`) sends.
    public init(interfaceIndex: CInt, etherType: EtherType = .all,
                hardwareType: HardwareType = .ethernet, packetType: PacketType = .host,
                hardwareAddress: HardwareAddress = .none) {
        self.etherType = etherType
        self.interfaceIndex = interfaceIndex
        self.hardwareType = hardwareType
        self.packetType = packetType
        self.hardwareAddress = hardwareAddress
    }

    /// Decodes the 20 bytes of a `sockaddr_ll` at `pointer`.
    init(kernel pointer: UnsafeRawPointer) {
        let raw = pointer.loadUnaligned(as: sockaddr_ll.self)
        self.init(interfaceIndex: raw.sll_ifindex, etherType: EtherType(UInt16(bigEndian: raw.sll_protocol)),
                  hardwareType: HardwareType(rawValue: raw.sll_hatype), packetType: PacketType(rawValue: raw.sll_pkttype),
                  hardwareAddress: HardwareAddress(copying: pointer + MemoryLayout<sockaddr_ll>.offset(of: \.sll_addr)!,
                                                   count: min(Int(raw.sll_halen), 8)))
    }

    public init?(_ address: AnySocketAddress) {
        guard address.family == .packet else { return nil }
        self = address.withSockAddr { pointer, _ in LinkLayerAddress(kernel: UnsafeRawPointer(pointer)) }
    }

    public var family: AddressFamily { .packet }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var raw = sockaddr_ll()
        raw.sll_family = UInt16(AF_PACKET)
        raw.sll_protocol = etherType.rawValue.bigEndian
        raw.sll_ifindex = interfaceIndex
        raw.sll_hatype = hardwareType.rawValue
        raw.sll_pkttype = packetType.rawValue
        raw.sll_halen = UInt8(hardwareAddress.count)
        hardwareAddress.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &raw.sll_addr) { $0.copyMemory(from: source) }
        }
        return try Self.withSockAddr(of: raw, body)
    }

    public var description: String {
        var text = "if\(interfaceIndex) ethertype 0x\(String(etherType.rawValue, radix: 16, uppercase: false))"
        if hardwareAddress.count > 0 { text += " \(hardwareAddress)" }
        return text + " \(packetType)"
    }
}

extension LinkLayerAddress {
    /// Who a received packet was addressed to (`sll_pkttype`), which also tells incoming from outgoing.
    public struct PacketType: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// To this host. The corresponding C constant is `PACKET_HOST`.
        public static let host = PacketType(rawValue: 0)
        /// To everyone (link-layer broadcast). The corresponding C constant is `PACKET_BROADCAST`.
        public static let broadcast = PacketType(rawValue: 1)
        /// To a multicast group. The corresponding C constant is `PACKET_MULTICAST`.
        public static let multicast = PacketType(rawValue: 2)
        /// To another host, seen in promiscuous mode. The corresponding C constant is `PACKET_OTHERHOST`.
        public static let otherHost = PacketType(rawValue: 3)
        /// Sent by this host. The corresponding C constant is `PACKET_OUTGOING`.
        public static let outgoing = PacketType(rawValue: 4)

        /// Whether this host sent the packet.
        public var isOutgoing: Bool { self == .outgoing }

        /// The names packets are described with.
        package static let names: [Self: String] = [
            .host: "host",
            .broadcast: "broadcast",
            .multicast: "multicast",
            .otherHost: "other-host",
            .outgoing: "outgoing",
        ]

        public var description: String { knownName ?? "packet-type-\(rawValue)" }
    }

    /// An interface's hardware type (`sll_hatype`, `ARPHRD_*` from `<linux/if_arp.h>`).
    public struct HardwareType: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Ethernet (also veth, bridges). The corresponding C constant is `ARPHRD_ETHER`.
        public static let ethernet = HardwareType(rawValue: 1)
        /// The loopback device. The corresponding C constant is `ARPHRD_LOOPBACK`.
        public static let loopback = HardwareType(rawValue: 772)
        /// No header (tun, some tunnels). The corresponding C constant is `ARPHRD_NONE`.
        public static let none = HardwareType(rawValue: 0xFFFE)
        /// CAN. The corresponding C constant is `ARPHRD_CAN`.
        public static let can = HardwareType(rawValue: 280)

        /// The names hardware types are described with.
        package static let names: [Self: String] = [
            .ethernet: "ethernet",
            .loopback: "loopback",
            .none: "none",
            .can: "can",
        ]

        public var description: String { knownName ?? "hatype-\(rawValue)" }
    }
}
