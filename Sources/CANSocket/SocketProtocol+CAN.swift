import SocketBase

extension SocketProtocol {
    /// Raw CAN frames. The corresponding C constant is `CAN_RAW`.
    public static let canRaw = SocketProtocol(rawValue: 1)
    /// The broadcast manager. The corresponding C constant is `CAN_BCM`.
    public static let canBCM = SocketProtocol(rawValue: 2)
    /// ISO 15765-2 transport. The corresponding C constant is `CAN_ISOTP`.
    public static let canISOTP = SocketProtocol(rawValue: 6)
    /// SAE J1939. The corresponding C constant is `CAN_J1939`.
    public static let canJ1939 = SocketProtocol(rawValue: 7)
}
