#if canImport(Glibc)
import Glibc
#endif
import CPacketShims
import SocketBase

extension PacketRing {
    /// A packet as the ring holds it (`struct tpacket3_hdr`): its bytes, lengths, timestamp, direction and
    /// stripped VLAN tag, without what ``CapturedPacket`` adds from the `sockaddr_ll` after the header (the
    /// interface's name, the hardware address and type).
    ///
    /// A trivial value: nothing in it is reference counted or needs destroying, so a loop that only stores
    /// packets (pktdump-swift `-w`) pays for none of that per packet. A view into the ring, valid until the
    /// ring's next call (``PacketRing/nextAvailableFrame()``).
    public struct Frame {
        /// The captured bytes from the link-layer header on (`tp_mac`, `tp_snaplen`), at most the socket's snap
        /// length.
        public let bytes: UnsafeRawBufferPointer
        /// The packet's length on the wire (`tp_len`); at least `bytes.count`.
        public let originalLength: Int
        /// The kernel's receive timestamp (`tp_sec`, `tp_nsec`).
        public let timestamp: KernelTimestamp
        /// The header's `tpacket3_hdr`; its `sockaddr_ll` follows.
        private let header: UnsafeRawPointer
        /// The stripped tag as the kernel reports it (`tp_vlan_tci`; `tp_vlan_tpid`, 0x8100 when the kernel did
        /// not say), when `TP_STATUS_VLAN_VALID`.
        let strippedTag: (controlInformation: UInt16, tagProtocol: UInt16)?

        @inline(__always)
        init(_ header: UnsafeRawPointer, snapLength: Int) {
            let packet = header.load(as: tpacket3_hdr.self)
            self.header = header
            let captured = Int(packet.tp_snaplen)
            bytes = UnsafeRawBufferPointer(start: header + Int(packet.tp_mac), count: min(captured, snapLength))
            originalLength = max(Int(packet.tp_len), captured)
            timestamp = KernelTimestamp(seconds: Int64(packet.tp_sec), nanoseconds: Int32(bitPattern: packet.tp_nsec))
            if packet.tp_status & UInt32(TP_STATUS_VLAN_VALID) != 0 {
                let tpid = packet.tp_status & UInt32(TP_STATUS_VLAN_TPID_VALID) != 0 ? packet.hv1.tp_vlan_tpid : UInt16(ETH_P_8021Q)
                strippedTag = (UInt16(truncatingIfNeeded: packet.hv1.tp_vlan_tci), tpid)
            } else {
                strippedTag = nil
            }
        }

        /// The `sockaddr_ll` the kernel wrote after the header.
        var address: UnsafeRawPointer { header + Int(cps_tpacket3_address_offset()) }

        /// Who the packet was for, and whether this host sent it (`sll_pkttype`).
        public var packetType: LinkLayerAddress.PacketType {
            LinkLayerAddress.PacketType(rawValue: address.loadUnaligned(as: sockaddr_ll.self).sll_pkttype)
        }

        /// The interface the packet was captured on (`sll_ifindex`).
        public var interfaceIndex: CInt {
            address.loadUnaligned(as: sockaddr_ll.self).sll_ifindex
        }

        /// Whether the kernel (or the device) stripped a VLAN tag from the frame (`TP_STATUS_VLAN_VALID`).
        public var hasStrippedVLANTag: Bool { strippedTag != nil }

        /// The frame as it was on the wire, its stripped VLAN tag put back after the two addresses (as
        /// ``CapturedPacket/reinsertingVLANTag(into:)``): written into `buffer` (at least `bytes.count + 4`),
        /// the part used returned; ``bytes`` when no tag was stripped.
        @inline(__always)
        public func reinsertingVLANTag(into buffer: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
            guard let strippedTag else { return bytes }
            return CapturedPacket.inserting(tagProtocol: strippedTag.tagProtocol, controlInformation: strippedTag.controlInformation,
                                            into: bytes, in: buffer)
        }
    }
}
