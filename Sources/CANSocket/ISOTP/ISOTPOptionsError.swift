/// An ISO-TP option value the kernel would refuse or misread, found before any system call.
public enum ISOTPOptionsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Bits in `flags` that no `CAN_ISOTP_*` flag has.
    case unknownFlags(UInt32)
    /// `CAN_ISOTP_SF_BROADCAST` and `CAN_ISOTP_CF_BROADCAST` together (the kernel refuses the pair).
    case conflictingBroadcastFlags
    /// `CAN_ISOTP_RX_EXT_ADDR` without `CAN_ISOTP_EXTEND_ADDR`.
    case receiveExtendedAddressWithoutExtendedAddressing
    /// A FORCE_TXSTMIN / FORCE_RXSTMIN flag without the time it forces (or the reverse).
    case forcedSeparationTimeMismatch(flag: String)
    /// `.nanoseconds(0)` or `.nanoseconds(0xFFFFFFFF)`, which the kernel reads as "default" and "zero".
    case ambiguousFrameTransmitTime(UInt32)
    /// A reserved STmin byte (valid: 0x00-0x7F milliseconds, 0xF1-0xF9 for 100-900 µs).
    case invalidSeparationTime(UInt8)
    /// Microseconds STmin cannot encode (100, 200, ... 900).
    case invalidSeparationTimeMicroseconds(Int)
    /// A link layer MTU other than 16 (CAN_MTU) or 72 (CANFD_MTU).
    case invalidMTU(UInt8)
    /// A `tx_dl` no CAN frame has (valid: 8, 12, 16, 20, 24, 32, 48, 64).
    case invalidTransmitDataLength(UInt8)
    /// A `tx_dl` above 8 with MTU 16 (classic CAN).
    case transmitDataLengthNeedsFD(UInt8)
    /// `tx_flags` with MTU 16 (classic CAN has no FD flags).
    case transmitFlagsNeedFD(UInt8)
    /// `tx_flags` bits other than CANFD_BRS, CANFD_ESI, CANFD_FDF.
    case invalidTransmitFlags(UInt8)

    public var description: String {
        func hex(_ v: some BinaryInteger) -> String { "0x" + String(v, radix: 16, uppercase: true) }
        return switch self {
        case .unknownFlags(let bits): "ISO-TP flags \(hex(bits)) are not CAN_ISOTP_* flags (known: 0x1FFF)"
        case .conflictingBroadcastFlags: "CAN_ISOTP_SF_BROADCAST and CAN_ISOTP_CF_BROADCAST cannot be set together"
        case .receiveExtendedAddressWithoutExtendedAddressing: "CAN_ISOTP_RX_EXT_ADDR needs CAN_ISOTP_EXTEND_ADDR (set an extended address)"
        case .forcedSeparationTimeMismatch(let flag): "\(flag) and its forced separation time must be set together"
        case .ambiguousFrameTransmitTime(let v): "frame_txtime \(v) ns is ambiguous (0 keeps the default, 0xFFFFFFFF means zero): use .kernelDefault or .zero"
        case .invalidSeparationTime(let v): "STmin \(hex(v)) is reserved (valid: 0x00-0x7F ms, 0xF1-0xF9 for 100-900 µs)"
        case .invalidSeparationTimeMicroseconds(let us): "STmin of \(us) µs cannot be encoded (100, 200, ... 900 µs)"
        case .invalidMTU(let mtu): "link layer MTU \(mtu) is neither 16 (CAN) nor 72 (CAN FD)"
        case .invalidTransmitDataLength(let dl): "tx_dl \(dl) is not a CAN frame length (8, 12, 16, 20, 24, 32, 48, 64)"
        case .transmitDataLengthNeedsFD(let dl): "tx_dl \(dl) needs MTU 72 (CAN FD); classic CAN (MTU 16) sends 8"
        case .transmitFlagsNeedFD(let flags): "tx_flags \(hex(flags)) need MTU 72 (CAN FD)"
        case .invalidTransmitFlags(let flags): "tx_flags \(hex(flags)) has bits other than BRS 0x01, ESI 0x02, FDF 0x04"
        }
    }
}
