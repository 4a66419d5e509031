/// The `flags` word of `struct can_isotp_options` (`CAN_ISOTP_*`), set with `CAN_ISOTP_OPTS`.
@frozen
public struct ISOTPFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Listen only: receive without sending flow control frames. The corresponding C constant is `CAN_ISOTP_LISTEN_MODE`.
    public static let listenMode = ISOTPFlags(rawValue: 0x001)
    /// Extended addressing: the first data byte is an address. The corresponding C constant is `CAN_ISOTP_EXTEND_ADDR`.
    public static let extendedAddressing = ISOTPFlags(rawValue: 0x002)
    /// Pad sent frames to full length. The corresponding C constant is `CAN_ISOTP_TX_PADDING`.
    public static let transmitPadding = ISOTPFlags(rawValue: 0x004)
    /// Received frames are padded. The corresponding C constant is `CAN_ISOTP_RX_PADDING`.
    public static let receivePadding = ISOTPFlags(rawValue: 0x008)
    /// Check the length of received padded frames. The corresponding C constant is `CAN_ISOTP_CHK_PAD_LEN`.
    public static let checkPaddingLength = ISOTPFlags(rawValue: 0x010)
    /// Check the content of received padding. The corresponding C constant is `CAN_ISOTP_CHK_PAD_DATA`.
    public static let checkPaddingData = ISOTPFlags(rawValue: 0x020)
    /// Half duplex error state handling. The corresponding C constant is `CAN_ISOTP_HALF_DUPLEX`.
    public static let halfDuplex = ISOTPFlags(rawValue: 0x040)
    /// Ignore the received STmin and use `CAN_ISOTP_TX_STMIN`. The corresponding C constant is `CAN_ISOTP_FORCE_TXSTMIN`.
    public static let forceTransmitSeparationTime = ISOTPFlags(rawValue: 0x080)
    /// Drop consecutive frames arriving faster than `CAN_ISOTP_RX_STMIN`. The corresponding C constant is `CAN_ISOTP_FORCE_RXSTMIN`.
    public static let forceReceiveSeparationTime = ISOTPFlags(rawValue: 0x100)
    /// A separate extended address for receiving. The corresponding C constant is `CAN_ISOTP_RX_EXT_ADDR`.
    public static let receiveExtendedAddress = ISOTPFlags(rawValue: 0x200)
    /// `send` returns only when the PDU is on the bus. The corresponding C constant is `CAN_ISOTP_WAIT_TX_DONE`.
    public static let waitTransmitDone = ISOTPFlags(rawValue: 0x400)
    /// 1-to-N functional addressing with single frames only. The corresponding C constant is `CAN_ISOTP_SF_BROADCAST`.
    public static let singleFrameBroadcast = ISOTPFlags(rawValue: 0x800)
    /// 1-to-N transmission without flow control. The corresponding C constant is `CAN_ISOTP_CF_BROADCAST`.
    public static let consecutiveFrameBroadcast = ISOTPFlags(rawValue: 0x1000)

    /// Every flag the 6.1 kernel knows.
    public static let known = ISOTPFlags(rawValue: 0x1FFF)
}
