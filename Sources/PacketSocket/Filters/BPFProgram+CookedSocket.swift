extension BPFProgram {
    /// The program moved from a cooked capture's record to what the kernel runs it on, libpcap's `fix_program`:
    /// a `SOCK_DGRAM` socket's filter sees the packet from the network header, so loads past the
    /// LINKTYPE_LINUX_SLL2 (20 bytes) or LINUX_SLL (16) header move back by its length and loads of its
    /// protocol, interface index and packet type become the ancillary loads `SKF_AD_PROTOCOL`, `SKF_AD_IFINDEX`
    /// and `SKF_AD_PKTTYPE`.
    /// - Parameter linkType: ``PcapLinkType/linuxSLL2`` or ``PcapLinkType/linuxSLL``.
    /// - Returns: The program for the socket; `nil` when it reads a header field the kernel has no load for
    ///   (then libpcap filters in user space on the record, and so should the caller: ``run(on:originalLength:)``).
    public func movedToCookedSocket(linkType: PcapLinkType) -> BPFProgram? {
        let ancillary: UInt32 = 0xFFFF_F000      // SKF_AD_OFF (-0x1000)
        let protocolLoad = ancillary + 0, packetTypeLoad = ancillary + 4, interfaceLoad = ancillary + 8
        let headerLength: UInt32 = linkType == .linuxSLL2 ? 20 : 16
        var moved = instructions
        for index in moved.indices {
            let code = moved[index].code
            // BPF_LD or BPF_LDX, with BPF_ABS (0x20), BPF_IND (0x40) or BPF_MSH (0xa0).
            guard code & 0x07 == 0x00 || code & 0x07 == 0x01 else { continue }
            let mode = code & 0xE0
            guard mode == 0x20 || mode == 0x40 || mode == 0xA0 else { continue }
            let k = moved[index].k
            if k >= ancillary { continue }
            if k >= headerLength {
                moved[index].k = k - headerLength
            } else if linkType == .linuxSLL2 {
                switch k {
                case 0: moved[index].k = protocolLoad
                case 4: moved[index].k = interfaceLoad
                case 10: moved[index].k = packetTypeLoad
                default: if Int32(bitPattern: k) > 0 { return nil }
                }
            } else {
                switch k {
                case 0: moved[index].k = packetTypeLoad
                case 14: moved[index].k = protocolLoad
                default: if Int32(bitPattern: k) > 0 { return nil }
                }
            }
        }
        return BPFProgram(moved)
    }
}
