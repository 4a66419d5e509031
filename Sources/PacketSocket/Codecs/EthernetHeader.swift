/// An Ethernet II header: destination and source MAC addresses and the EtherType (`struct ethhdr`).
public struct EthernetHeader: Hashable, Sendable {
    /// Bytes in the header. The corresponding C constant is `ETH_HLEN`.
    public static let length = 14

    /// The destination MAC address (`h_dest`).
    public var destination: MACAddress
    /// The source MAC address (`h_source`).
    public var source: MACAddress
    /// The EtherType field: the payload's protocol, or a VLAN tag's TPID.
    public var etherType: EtherType

    /// A header to build.
    public init(destination: MACAddress, source: MACAddress, etherType: EtherType) {
        self.destination = destination
        self.source = source
        self.etherType = etherType
    }

    /// Decodes the header at `offset`.
    /// - Throws: ``PacketDecodingError`` when fewer than 14 bytes remain.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int = 0) throws(PacketDecodingError) {
        try buffer.require(Self.length, at: offset, .ethernet)
        destination = MACAddress(buffer, at: offset)
        source = MACAddress(buffer, at: offset + 6)
        etherType = EtherType(buffer.u16(offset + 12))
    }

    /// Whether the type field is an IEEE 802.3 length (below 0x0600) rather than an EtherType.
    public var isLengthField: Bool { etherType.rawValue < 0x0600 }

    /// Appends the 14 header bytes.
    public func append(to buffer: inout [UInt8]) {
        destination.append(to: &buffer)
        source.append(to: &buffer)
        buffer.appendBigEndian(etherType.rawValue)
    }
}
