extension CapturedPacket {
    /// The length of a LINKTYPE_LINUX_SLL2 header.
    public static let linuxSLL2HeaderLength = 20

    /// The packet as a LINKTYPE_LINUX_SLL2 record, as libpcap builds it for a cooked capture (`-i any`): the
    /// EtherType (`sll_protocol`), 2 zero bytes, the interface index, the hardware type, the packet type, the
    /// address length and 8 address bytes, then the packet from its network header. Writes into `buffer` (at
    /// least `bytes.count + 20`) and returns the part used; libpcap puts no stripped VLAN tag back in this link
    /// type, and neither does this.
    public func linuxSLL2Record(into buffer: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        let length = Self.linuxSLL2HeaderLength
        precondition(buffer.count >= bytes.count + length, "buffer too small for the SLL2 record")
        let base = buffer.baseAddress!
        base.storeBytes(of: etherType.rawValue.bigEndian, toByteOffset: 0, as: UInt16.self)
        base.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
        base.storeBytes(of: UInt32(bitPattern: interfaceIndex).bigEndian, toByteOffset: 4, as: UInt32.self)
        base.storeBytes(of: hardwareType.rawValue.bigEndian, toByteOffset: 8, as: UInt16.self)
        base.storeBytes(of: packetType.rawValue, toByteOffset: 10, as: UInt8.self)
        base.storeBytes(of: UInt8(sourceAddress.count), toByteOffset: 11, as: UInt8.self)
        withUnsafeBytes(of: sourceAddress.storage) { (base + 12).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        if let start = bytes.baseAddress, !bytes.isEmpty { (base + length).copyMemory(from: start, byteCount: bytes.count) }
        return UnsafeRawBufferPointer(start: base, count: length + bytes.count)
    }
}
