#if canImport(Glibc)
import Glibc
#endif
import CCANShims
import SocketBase

/// A SocketCAN address (`struct sockaddr_can`): an interface, or every interface, plus the ISO-TP id pair.
public struct CANSocketAddress: SocketAddress, Hashable {
    /// The interface index; 0 means every CAN interface (candump's `any`).
    public let interfaceIndex: CInt
    /// The interface name, or `any`.
    public let interfaceName: String
    /// ISO-TP only: the id this socket receives on (`can_addr.tp.rx_id`), with `CAN_EFF_FLAG` for extended ids.
    public var receiveID: UInt32
    /// ISO-TP only: the id this socket sends with (`can_addr.tp.tx_id`).
    public var transmitID: UInt32

    /// Every CAN interface (`ifindex` 0), for receiving from all and sending with ``CANRawSocket/send(_:on:)``.
    public static let any = CANSocketAddress(interfaceIndex: 0, interfaceName: "any")

    /// The address of a named interface; `any` (or empty) means every interface.
    /// - Throws: ``SystemCallError`` like `if_nametoindex(vcan9): No such device (errno 19)`.
    public init(interface name: String) throws {
        if name == "any" || name.isEmpty {
            self = .any
        } else {
            let interface = try NetworkInterface(named: name)
            self.init(interfaceIndex: interface.index, interfaceName: interface.name)
        }
    }

    /// An address for an interface index and name already known.
    public init(interfaceIndex: CInt, interfaceName: String, receiveID: UInt32 = 0, transmitID: UInt32 = 0) {
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
        self.receiveID = receiveID
        self.transmitID = transmitID
    }

    public init?(_ any: AnySocketAddress) {
        guard any.family == .can else { return nil }
        let raw = any.load(as: sockaddr_can.self)
        let name = raw.can_ifindex == 0 ? "any" : ((try? NetworkInterface(index: raw.can_ifindex))?.name ?? "if\(raw.can_ifindex)")
        self.init(interfaceIndex: raw.can_ifindex, interfaceName: name,
                  receiveID: raw.can_addr.tp.rx_id, transmitID: raw.can_addr.tp.tx_id)
    }

    public var family: AddressFamily { .can }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var raw = sockaddr_can()
        raw.can_family = sa_family_t(AF_CAN)
        raw.can_ifindex = interfaceIndex
        raw.can_addr.tp.rx_id = receiveID
        raw.can_addr.tp.tx_id = transmitID
        return try Self.withSockAddr(of: raw, body)
    }

    public var description: String { interfaceName }
}
