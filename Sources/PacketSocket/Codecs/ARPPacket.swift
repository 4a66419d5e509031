/// An ARP packet for Ethernet and IPv4 (RFC 826; `struct ether_arp` in `<netinet/if_ether.h>`).
public struct ARPPacket: Hashable, Sendable {
    /// Bytes in an Ethernet/IPv4 ARP packet.
    public static let length = 28

    /// The ARP opcode. The corresponding C constants are `ARPOP_*`.
    public struct Operation: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// `ARPOP_REQUEST`.
        public static let request = Operation(rawValue: 1)
        /// `ARPOP_REPLY`.
        public static let reply = Operation(rawValue: 2)
        /// `ARPOP_RREQUEST`.
        public static let reverseRequest = Operation(rawValue: 3)
        /// `ARPOP_RREPLY`.
        public static let reverseReply = Operation(rawValue: 4)
    }

    /// Request, reply, or a reverse ARP operation.
    public var operation: Operation
    /// The sender's MAC address (SHA).
    public var senderHardwareAddress: MACAddress
    /// The sender's IPv4 address (SPA).
    public var senderProtocolAddress: IPv4Address
    /// The target's MAC address (THA); zero in a request.
    public var targetHardwareAddress: MACAddress
    /// The target's IPv4 address (TPA).
    public var targetProtocolAddress: IPv4Address

    /// An ARP packet to build; the hardware and protocol types and lengths are always Ethernet and IPv4.
    public init(operation: Operation, senderHardwareAddress: MACAddress, senderProtocolAddress: IPv4Address,
                targetHardwareAddress: MACAddress = .zero, targetProtocolAddress: IPv4Address) {
        self.operation = operation
        self.senderHardwareAddress = senderHardwareAddress
        self.senderProtocolAddress = senderProtocolAddress
        self.targetHardwareAddress = targetHardwareAddress
        self.targetProtocolAddress = targetProtocolAddress
    }

    /// Decodes the packet at `offset`.
    /// - Throws: ``PacketDecodingError`` when truncated, or when the hardware/protocol types or address lengths
    ///   are not Ethernet (1, 6) and IPv4 (0x0800, 4).
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int) throws(PacketDecodingError) {
        try buffer.require(8, at: offset, .arp)
        let hardwareType = buffer.u16(offset), protocolType = buffer.u16(offset + 2)
        let hardwareLength = buffer.u8(offset + 4), protocolLength = buffer.u8(offset + 5)
        guard hardwareType == 1, hardwareLength == 6 else {
            throw PacketDecodingError(.arp, at: offset, .invalidField(
                "hardware type \(hardwareType) with address length \(hardwareLength) is not Ethernet (1, 6)"))
        }
        guard protocolType == 0x0800, protocolLength == 4 else {
            throw PacketDecodingError(.arp, at: offset + 2, .invalidField(
                "protocol type 0x\(String(protocolType, radix: 16)) with address length \(protocolLength) is not IPv4 (0x800, 4)"))
        }
        try buffer.require(Self.length, at: offset, .arp)
        operation = Operation(rawValue: buffer.u16(offset + 6))
        senderHardwareAddress = MACAddress(buffer, at: offset + 8)
        senderProtocolAddress = IPv4Address(buffer, at: offset + 14)
        targetHardwareAddress = MACAddress(buffer, at: offset + 18)
        targetProtocolAddress = IPv4Address(buffer, at: offset + 24)
    }

    /// Appends the 28 bytes.
    public func append(to buffer: inout [UInt8]) {
        buffer.appendBigEndian(UInt16(1))
        buffer.appendBigEndian(EtherType.ipv4.rawValue)
        buffer.append(6)
        buffer.append(4)
        buffer.appendBigEndian(operation.rawValue)
        senderHardwareAddress.append(to: &buffer)
        senderProtocolAddress.append(to: &buffer)
        targetHardwareAddress.append(to: &buffer)
        targetProtocolAddress.append(to: &buffer)
    }
}
