import SocketBase

extension SocketProtocol {
    /// An AF_PACKET protocol: an EtherType in network byte order, as `socket(AF_PACKET, …, htons(type))` wants.
    public static func etherType(_ type: EtherType) -> SocketProtocol {
        SocketProtocol(rawValue: CInt(type.rawValue.bigEndian))
    }
    /// Every protocol. The corresponding C constant is `htons(ETH_P_ALL)`.
    public static let allEtherTypes = etherType(.all)
}
