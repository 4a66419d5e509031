/// Everything an ISO-TP socket is configured with before it is bound: `CAN_ISOTP_OPTS`, `CAN_ISOTP_RECV_FC`,
/// `CAN_ISOTP_TX_STMIN`, `CAN_ISOTP_RX_STMIN` and `CAN_ISOTP_LL_OPTS`.
///
/// The kernel refuses every ISO-TP `setsockopt` after `bind` (EISCONN), so these are a value handed to
/// ``ISOTPSocket/init(interface:receiveID:transmitID:options:)``, which sets them all and then binds.
///
/// ```swift
/// var options = ISOTPOptions()
/// options.flags.insert(.transmitPadding)        // pad with transmitPadding (0xCC by default)
/// options.extendedAddress = 0x12                // sets CAN_ISOTP_EXTEND_ADDR
/// options.linkLayer = .fd(dataLength: 64)       // CAN FD frames
/// ```
public struct ISOTPOptions: Hashable, Sendable {
    /// `can_isotp_options.flags`. Flags implied by other fields (extended addresses, forced STmin) are added
    /// by ``effectiveFlags``.
    public var flags: ISOTPFlags = []
    /// `can_isotp_options.frame_txtime`: the gap between sent frames.
    public var frameTransmitTime: ISOTPFrameTransmitTime = .kernelDefault
    /// The address byte sent first in each frame (`ext_address`); setting it enables `CAN_ISOTP_EXTEND_ADDR`.
    /// With 29-bit or 11-bit ids this is extended (N_TA) or mixed (N_AE) addressing.
    public var extendedAddress: UInt8? = nil
    /// A different address byte expected in received frames (`rx_ext_address`, `CAN_ISOTP_RX_EXT_ADDR`);
    /// needs ``extendedAddress``.
    public var receiveExtendedAddress: UInt8? = nil
    /// The byte sent frames are padded with when `CAN_ISOTP_TX_PADDING` is set (`txpad_content`).
    public var transmitPadding: UInt8 = 0xCC
    /// The padding byte expected with `CAN_ISOTP_RX_PADDING` and `CAN_ISOTP_CHK_PAD_DATA` (`rxpad_content`).
    public var receivePadding: UInt8 = 0xCC
    /// Flow control this socket sends as a receiver (`CAN_ISOTP_RECV_FC`).
    public var flowControl = ISOTPFlowControlOptions()
    /// Ignore the receiver's STmin and keep this gap in nanoseconds (`CAN_ISOTP_TX_STMIN` with
    /// `CAN_ISOTP_FORCE_TXSTMIN`).
    public var forcedTransmitSeparationTime: UInt32? = nil
    /// Drop consecutive frames arriving closer than this many nanoseconds (`CAN_ISOTP_RX_STMIN` with
    /// `CAN_ISOTP_FORCE_RXSTMIN`).
    public var forcedReceiveSeparationTime: UInt32? = nil
    /// The frame format (`CAN_ISOTP_LL_OPTS`); `nil` keeps the kernel's default, classic CAN.
    public var linkLayer: ISOTPLinkLayerOptions? = nil

    public init() {}

    /// The flags as set: ``flags`` plus those implied by the address and forced-STmin fields.
    public var effectiveFlags: ISOTPFlags {
        var result = flags
        if extendedAddress != nil { result.insert(.extendedAddressing) }
        if receiveExtendedAddress != nil { result.insert(.receiveExtendedAddress) }
        if forcedTransmitSeparationTime != nil { result.insert(.forceTransmitSeparationTime) }
        if forcedReceiveSeparationTime != nil { result.insert(.forceReceiveSeparationTime) }
        return result
    }

    /// Checks every value the kernel would refuse or read differently than meant, naming it.
    /// - Throws: ``ISOTPOptionsError``.
    public func validate() throws(ISOTPOptionsError) {
        let unknown = flags.rawValue & ~ISOTPFlags.known.rawValue
        guard unknown == 0 else { throw .unknownFlags(unknown) }
        let all = effectiveFlags
        if all.contains(.singleFrameBroadcast) && all.contains(.consecutiveFrameBroadcast) {
            throw .conflictingBroadcastFlags
        }
        if all.contains(.receiveExtendedAddress) && extendedAddress == nil {
            throw .receiveExtendedAddressWithoutExtendedAddressing
        }
        if flags.contains(.forceTransmitSeparationTime) && forcedTransmitSeparationTime == nil {
            throw .forcedSeparationTimeMismatch(flag: "CAN_ISOTP_FORCE_TXSTMIN")
        }
        if flags.contains(.forceReceiveSeparationTime) && forcedReceiveSeparationTime == nil {
            throw .forcedSeparationTimeMismatch(flag: "CAN_ISOTP_FORCE_RXSTMIN")
        }
        if case .nanoseconds(let ns) = frameTransmitTime, ns == 0 || ns == ISOTPFrameTransmitTime.zeroRawValue {
            throw .ambiguousFrameTransmitTime(ns)
        }
        try linkLayer?.validate()
    }

    /// The 12 bytes of `struct can_isotp_options` (host byte order): flags u32, frame_txtime u32, ext_address,
    /// txpad_content, rxpad_content, rx_ext_address.
    public var kernelBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12)
        withUnsafeBytes(of: effectiveFlags.rawValue) { bytes += $0 }
        withUnsafeBytes(of: frameTransmitTime.rawValue) { bytes += $0 }
        bytes += [extendedAddress ?? 0, transmitPadding, receivePadding, receiveExtendedAddress ?? 0]
        return bytes
    }
}
