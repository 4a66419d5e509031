/// An 802.1Q / 802.1ad VLAN tag: the TPID that announced it, priority (PCP), drop eligible (DEI), VLAN id, and
/// the EtherType that follows it (`struct vlan_hdr` in `<linux/if_vlan.h>` after the TPID).
public struct VLANTag: Hashable, Sendable {
    /// Bytes a tag adds after the MAC addresses. The corresponding C constant is `VLAN_HLEN`.
    public static let length = 4

    /// The EtherType that introduced the tag: ``EtherType/vlan`` (802.1Q) or ``EtherType/serviceVLAN`` (802.1ad).
    public var tagProtocol: EtherType
    /// Priority code point, 0...7.
    public var priority: UInt8
    /// Drop eligible indicator (formerly CFI).
    public var dropEligible: Bool
    /// VLAN identifier, 0...4095.
    public var id: UInt16
    /// The EtherType of what follows the tag.
    public var etherType: EtherType

    /// A tag to build: `id` 0...4095, `priority` 0...7.
    public init(tagProtocol: EtherType = .vlan, priority: UInt8 = 0, dropEligible: Bool = false, id: UInt16, etherType: EtherType) {
        precondition(priority < 8 && id < 4096, "VLANTag: priority 0...7, id 0...4095")
        self.tagProtocol = tagProtocol
        self.priority = priority
        self.dropEligible = dropEligible
        self.id = id
        self.etherType = etherType
    }

    /// A tag from its 16-bit tag control information, as the kernel reports a tag it stripped (`tp_vlan_tci`,
    /// `tp_vlan_tpid`; ``CapturedPacket/vlan``): every value is valid, nothing traps.
    /// - Parameters:
    ///   - controlInformation: PCP (3 bits), DEI (1), VID (12).
    ///   - tagProtocol: The TPID: ``EtherType/vlan`` (802.1Q, the kernel's default) or ``EtherType/serviceVLAN``.
    ///   - etherType: The EtherType of what follows the tag.
    public init(controlInformation: UInt16, tagProtocol: EtherType = .vlan, etherType: EtherType) {
        self.tagProtocol = tagProtocol
        priority = UInt8(controlInformation >> 13)
        dropEligible = controlInformation & 0x1000 != 0
        id = controlInformation & 0x0FFF
        self.etherType = etherType
    }

    /// The 16-bit tag control information: PCP (3 bits), DEI (1), VID (12).
    public var controlInformation: UInt16 {
        UInt16(priority) << 13 | (dropEligible ? 0x1000 : 0) | id
    }

    /// Decodes the tag control information and next EtherType at `offset` (just after the TPID).
    /// - Throws: ``PacketDecodingError`` when fewer than 4 bytes remain.
    public init(parsing buffer: UnsafeRawBufferPointer, at offset: Int, tagProtocol: EtherType) throws(PacketDecodingError) {
        try buffer.require(Self.length, at: offset, .vlan)
        let tci = buffer.u16(offset)
        self.tagProtocol = tagProtocol
        priority = UInt8(tci >> 13)
        dropEligible = tci & 0x1000 != 0
        id = tci & 0x0FFF
        etherType = EtherType(buffer.u16(offset + 2))
    }

    /// Appends the tag control information and the next EtherType (the TPID is the previous EtherType field).
    public func append(to buffer: inout [UInt8]) {
        buffer.appendBigEndian(controlInformation)
        buffer.appendBigEndian(etherType.rawValue)
    }
}
