/// The CAN frames an ISO-TP socket sends and accepts (`struct can_isotp_ll_options`, set with `CAN_ISOTP_LL_OPTS`).
public struct ISOTPLinkLayerOptions: Hashable, Sendable {
    /// 16 for classic CAN frames (`CAN_MTU`), 72 for CAN FD (`CANFD_MTU`).
    public var mtu: UInt8
    /// The data length of sent frames: 8 for classic; 8, 12, 16, 20, 24, 32, 48 or 64 for CAN FD (`tx_dl`).
    public var transmitDataLength: UInt8
    /// The flags of sent CAN FD frames, e.g. bit rate switch (`tx_flags`); none for classic.
    public var transmitFlags: CANFDFlags

    /// The data lengths a CAN FD frame can have from 8 up.
    public static let validDataLengths: [UInt8] = [8, 12, 16, 20, 24, 32, 48, 64]

    /// Classic CAN frames with 8 data bytes: the kernel's default.
    public static let classic = ISOTPLinkLayerOptions(mtu: 16, transmitDataLength: 8, transmitFlags: [])

    /// CAN FD frames of up to `dataLength` bytes.
    public static func fd(dataLength: UInt8 = 64, flags: CANFDFlags = []) -> ISOTPLinkLayerOptions {
        ISOTPLinkLayerOptions(mtu: 72, transmitDataLength: dataLength, transmitFlags: flags)
    }

    /// The raw fields, as isotpsend's `-L <mtu>:<tx_dl>:<tx_flags>` gives them; ``validate()`` checks them.
    public init(mtu: UInt8, transmitDataLength: UInt8, transmitFlags: CANFDFlags) {
        self.mtu = mtu
        self.transmitDataLength = transmitDataLength
        self.transmitFlags = transmitFlags
    }

    /// Whether sent frames are CAN FD frames.
    public var isFD: Bool { mtu == 72 }

    /// Checks what the kernel would refuse with EINVAL, naming the field.
    /// - Throws: ``ISOTPOptionsError`` for an MTU other than 16/72, a `tx_dl` no frame has, or FD flags on classic.
    public func validate() throws(ISOTPOptionsError) {
        guard mtu == 16 || mtu == 72 else { throw .invalidMTU(mtu) }
        guard Self.validDataLengths.contains(transmitDataLength) else { throw .invalidTransmitDataLength(transmitDataLength) }
        if mtu == 16 {
            guard transmitDataLength == 8 else { throw .transmitDataLengthNeedsFD(transmitDataLength) }
            guard transmitFlags.isEmpty else { throw .transmitFlagsNeedFD(transmitFlags.rawValue) }
        }
        let allowed: CANFDFlags = [.bitRateSwitch, .errorStateIndicator, .fdFormat]
        guard transmitFlags.subtracting(allowed).isEmpty else { throw .invalidTransmitFlags(transmitFlags.rawValue) }
    }

    /// The 3 bytes of `struct can_isotp_ll_options`: mtu, tx_dl, tx_flags.
    public var kernelBytes: [UInt8] { [mtu, transmitDataLength, transmitFlags.rawValue] }
}
