/// An ISO-TP socket operation refused before the system call, with what was wrong.
public enum ISOTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A PDU larger than the kernel carries (the kernel would answer EINVAL).
    case pduTooLarge(count: Int, maximum: Int)
    /// An empty PDU (the kernel would answer EINVAL).
    case emptyPDU
    /// A received PDU larger than the buffer given; the rest of it was discarded.
    case pduTruncated(count: Int, capacity: Int)
    /// CAN FD link layer options on an interface whose MTU only carries classic frames.
    case interfaceNotFD(interface: String, mtu: Int)
    /// The kernel accepted fewer bytes than the PDU has.
    case partialSend(sent: Int, count: Int)

    public var description: String {
        switch self {
        case .pduTooLarge(let count, let maximum):
            "PDU of \(count) bytes is larger than the kernel's ISO-TP limit of \(maximum) bytes"
        case .emptyPDU:
            "an ISO-TP PDU needs at least 1 byte"
        case .pduTruncated(let count, let capacity):
            "received PDU of \(count) bytes does not fit the \(capacity)-byte buffer (truncated)"
        case .interfaceNotFD(let interface, let mtu):
            "\(interface) has MTU \(mtu): CAN FD link layer options (mtu 72) need an interface with MTU 72"
        case .partialSend(let sent, let count):
            "the kernel took \(sent) of the PDU's \(count) bytes"
        }
    }
}
