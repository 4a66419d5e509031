/// A CAN socket operation refused before or instead of a system call, with what was wrong.
public enum CANSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An FD frame was sent on a socket without `CAN_RAW_FD_FRAMES`.
    case fdFramesNotEnabled(interface: String)
    /// An FD frame was sent on an interface whose MTU only carries classic frames.
    case frameTooLong(interface: String, mtu: Int)
    /// A libsocketcan call that needs a real CAN controller was made on a virtual interface (vcan, vxcan).
    case notSupportedOnVirtualInterface(interface: String, operation: String)
    /// A libsocketcan call failed.
    case interfaceControlFailed(interface: String, operation: String, errno: Int32)
    /// The interface went down or disappeared while receiving.
    case interfaceDown(interface: String)
    /// A sysfs flags file did not hold a hexadecimal number.
    case unreadableInterfaceFlags(path: String, text: String)

    public var description: String {
        switch self {
        case .fdFramesNotEnabled(let interface):
            "send(\(interface)): CAN FD frame on a socket without CAN_RAW_FD_FRAMES (enable fdFrames)"
        case .frameTooLong(let interface, let mtu):
            "send(\(interface)): CAN FD frame too long for the interface's MTU \(mtu) (CAN FD needs MTU 72)"
        case .notSupportedOnVirtualInterface(let interface, let operation):
            "\(operation)(\(interface)): not supported on a virtual CAN interface"
        case .interfaceControlFailed(let interface, let operation, let errno):
            "\(operation)(\(interface)): failed (errno \(errno))"
        case .unreadableInterfaceFlags(let path, let text):
            "\(path): expected a hexadecimal number like 0x1003, read '\(text)'"
        case .interfaceDown(let interface):
            "\(interface): interface went down"
        }
    }
}
