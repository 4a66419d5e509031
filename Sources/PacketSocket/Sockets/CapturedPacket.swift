import SocketBase

/// A packet as an AF_PACKET socket or ring received it: a view of its bytes plus the kernel's link-layer metadata.
///
/// The bytes point into the receiving buffer (a ``PacketBatch`` slot, the caller's buffer, or a ``PacketRing``
/// block) and are valid only until the next receive from the same source. Copy them (`Array(packet.bytes)`)
/// to keep them. Nothing in this value is allocated per packet.
public struct CapturedPacket {
    /// The captured bytes: from the link-layer header on a raw socket, from the network header on a cooked one.
    public let bytes: UnsafeRawBufferPointer
    /// The packet's length on the wire (`tp_len`); more than `bytes.count` when the snap length cut it.
    public let originalLength: Int
    /// The interface it was received on or sent from (`sll_ifindex`).
    public let interfaceIndex: CInt
    /// That interface's name.
    public let interfaceName: String
    /// Its EtherType (`sll_protocol`); with a stripped VLAN tag, the EtherType after the tag.
    public let etherType: EtherType
    /// Who it was for, and whether this host sent it (`sll_pkttype`).
    public let packetType: LinkLayerAddress.PacketType
    /// The interface's hardware type (`sll_hatype`).
    public let hardwareType: LinkLayerAddress.HardwareType
    /// The sender's hardware address (`sll_addr`); for outgoing packets this host's.
    public let sourceAddress: HardwareAddress
    /// The kernel's receive timestamp (`SO_TIMESTAMPNS` or the ring's `tp_sec`/`tp_nsec`).
    public let timestamp: KernelTimestamp
    /// The VLAN tag the kernel (or the device) stripped from the frame, if any (`TP_STATUS_VLAN_VALID`): its
    /// TPID (`tp_vlan_tpid`, 0x8100 when the kernel did not say), TCI (`tp_vlan_tci`), and as the EtherType
    /// after it the packet's ``etherType``.
    public let vlan: VLANTag?

    public init(bytes: UnsafeRawBufferPointer, originalLength: Int, interfaceIndex: CInt, interfaceName: String,
                etherType: EtherType, packetType: LinkLayerAddress.PacketType, hardwareType: LinkLayerAddress.HardwareType,
                sourceAddress: HardwareAddress, timestamp: KernelTimestamp, vlan: VLANTag?) {
        self.bytes = bytes
        self.originalLength = originalLength
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
        self.etherType = etherType
        self.packetType = packetType
        self.hardwareType = hardwareType
        self.sourceAddress = sourceAddress
        self.timestamp = timestamp
        self.vlan = vlan
    }

    /// The number of bytes captured.
    public var capturedLength: Int { bytes.count }
    /// Whether the snap length (or the buffer) cut the packet (`MSG_TRUNC`).
    public var isTruncated: Bool { bytes.count < originalLength }
}

extension CapturedPacket {
    /// The frame as it was on the wire: a raw Ethernet frame with its stripped VLAN tag put back after the two
    /// addresses, as libpcap does. Writes into `buffer` (at least `bytes.count + 4`) and returns the part used.
    public func reinsertingVLANTag(into buffer: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let vlan else { return bytes }
        return Self.inserting(tagProtocol: vlan.tagProtocol.rawValue, controlInformation: vlan.controlInformation,
                              into: bytes, in: buffer)
    }

    /// `bytes`, an Ethernet frame, with the tag (TPID, TCI) after its two addresses, written into `buffer`;
    /// `bytes` itself when shorter than the addresses or `buffer` has no room for it and the tag.
    static func inserting(tagProtocol: UInt16, controlInformation: UInt16, into bytes: UnsafeRawBufferPointer,
                          in buffer: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        guard bytes.count >= 12, buffer.count >= bytes.count + 4 else { return bytes }
        let base = buffer.baseAddress!
        base.copyMemory(from: bytes.baseAddress!, byteCount: 12)
        base.storeBytes(of: tagProtocol.bigEndian, toByteOffset: 12, as: UInt16.self)
        base.storeBytes(of: controlInformation.bigEndian, toByteOffset: 14, as: UInt16.self)
        (base + 16).copyMemory(from: bytes.baseAddress! + 12, byteCount: bytes.count - 12)
        return UnsafeRawBufferPointer(start: base, count: bytes.count + 4)
    }
}
