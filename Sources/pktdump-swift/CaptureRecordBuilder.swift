import PacketSocket
import PcapFile
import SocketBase

/// What a captured packet becomes in the file or on the terminal: the same rules for one ring, for the socket
/// without a ring, and for each ring of `--threads`. A packet going out on the loopback interface is left out, as
/// libpcap leaves it out (`linux_check_direction`: it comes back in, and would be seen twice); `-Q out` keeps only
/// what this host sent; a VLAN tag the kernel stripped is put back as libpcap puts it back; on `any` the packet
/// goes behind its LINUX_SLL2 header and through the filter the kernel could not run.
struct CaptureRecordBuilder: Sendable {
    /// `-i any`: LINKTYPE_LINUX_SLL2 records.
    let cooked: Bool
    /// `-Q out`.
    let outgoingOnly: Bool
    /// The filter run on each SLL2 record when the kernel cannot run it (libpcap's fallback).
    let userFilter: BPFProgram?
    /// The loopback interface's index (`lo`, looked up once as libpcap does); nil when there is none.
    let loopbackIndex: CInt?

    init(cooked: Bool, outgoingOnly: Bool, userFilter: BPFProgram?,
         loopbackIndex: CInt? = try? NetworkInterface(named: "lo").index) {
        self.cooked = cooked
        self.outgoingOnly = outgoingOnly
        self.userFilter = userFilter
        self.loopbackIndex = loopbackIndex
    }

    /// Whether a packet of this direction and interface is left out: `-Q out`, or going out on loopback.
    @inline(__always)
    func drops(_ type: LinkLayerAddress.PacketType, interfaceIndex: @autoclosure () -> CInt) -> Bool {
        if type == .outgoing { return interfaceIndex() == loopbackIndex }
        return outgoingOnly
    }

    /// The room a record needs beyond the snap length (an SLL2 header, or a tag put back).
    static let extraRoom = CapturedPacket.linuxSLL2HeaderLength + 4

    /// A record: its bytes (in the scratch buffer or in the ring), its length on the wire, and its direction for
    /// pcapng.
    typealias Record = (bytes: UnsafeRawBufferPointer, originalLength: Int, flags: PcapNGPacketFlags)

    /// The record of a packet, built in `scratch` (snap length + ``extraRoom`` bytes) when it changes; nil when
    /// the packet is not kept.
    @inline(__always)
    func record(_ packet: CapturedPacket, in scratch: UnsafeMutableRawBufferPointer) -> Record? {
        if drops(packet.packetType, interfaceIndex: packet.interfaceIndex) { return nil }
        let flags = PcapNGPacketFlags(packetType: packet.packetType)
        if cooked {
            let record = packet.linuxSLL2Record(into: scratch)
            let originalLength = packet.originalLength + CapturedPacket.linuxSLL2HeaderLength
            if let userFilter, userFilter.run(on: record, originalLength: originalLength) == 0 { return nil }
            return (record, originalLength, flags)
        }
        guard packet.vlan != nil else { return (packet.bytes, packet.originalLength, flags) }
        let bytes = packet.reinsertingVLANTag(into: scratch)
        return (bytes, packet.originalLength + (bytes.count - packet.bytes.count), flags)
    }

    /// The record of a ring frame, which has no SLL2 header to give (on `any`, read the ring's packets instead).
    @inline(__always)
    func record(_ frame: PacketRing.Frame, in scratch: UnsafeMutableRawBufferPointer) -> Record? {
        let type = frame.packetType
        if drops(type, interfaceIndex: frame.interfaceIndex) { return nil }
        let flags = PcapNGPacketFlags(packetType: type)
        guard frame.hasStrippedVLANTag else { return (frame.bytes, frame.originalLength, flags) }
        let bytes = frame.reinsertingVLANTag(into: scratch)
        return (bytes, frame.originalLength + (bytes.count - frame.bytes.count), flags)
    }
}
