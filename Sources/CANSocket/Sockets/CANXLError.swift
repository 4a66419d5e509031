/// A CAN XL operation refused before or instead of a system call, saying what was wrong.
public enum CANXLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The running kernel lacks a CAN XL socket option (it answered ENOPROTOOPT).
    /// - Parameters: `option` the C name, `minimum` the first Linux version with it, `running` `uname -r`.
    case notSupportedByKernel(option: String, minimum: String, running: String)
    /// A CAN XL frame was sent on a socket without `CAN_RAW_XL_FRAMES`.
    case xlFramesNotEnabled(interface: String)
    /// A CAN XL frame was sent on an interface whose MTU does not carry CAN XL (76...2060).
    case interfaceNotXL(interface: String, mtu: Int)

    public var description: String {
        switch self {
        case .notSupportedByKernel(let option, let minimum, let running):
            "setsockopt(\(option)): not supported by this kernel (Linux \(running); CAN XL \(option == "CAN_RAW_XL_VCID_OPTS" ? "VCIDs need" : "needs") Linux \(minimum) or later)"
        case .xlFramesNotEnabled(let interface):
            "send(\(interface)): CAN XL frame on a socket without CAN_RAW_XL_FRAMES (enable xlFrames)"
        case .interfaceNotXL(let interface, let mtu):
            "send(\(interface)): CAN XL frame on an interface with MTU \(mtu) (CAN XL needs an MTU of 76 to 2060, e.g. ip link set \(interface) mtu 2060)"
        }
    }
}
