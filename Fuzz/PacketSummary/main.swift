// The packet decoder and the summary formatter (pktdump-swift's line, tcpdump -n). Input: a mode byte (bit 0 -e,
// bit 1 -S, bit 2 a network-layer packet with a 2-byte EtherType, bit 3 a 2-byte extra original length), then
// length-prefixed packets printed by one formatter in turn (TCP conversations carry over between them).
import FuzzSupport
import PacketSocket

fuzz { bytes in
    var input = FuzzInput(bytes)
    let mode = input.byte()
    let etherType = EtherType(mode & 4 != 0 ? input.uint16() : 0)
    var formatter = PacketSummaryFormatter(printsLinkLevelHeader: mode & 1 != 0, printsAbsoluteSequenceNumbers: mode & 2 != 0)
    var line: [UInt8] = []
    while !input.isAtEnd {
        let extra = mode & 8 != 0 ? Int(input.uint16()) : 0
        let packet = input.chunk()
        line.removeAll(keepingCapacity: true)
        if mode & 4 != 0 {
            _ = DecodedPacket(decodingNetworkPacket: packet, etherType: etherType)
            formatter.appendNetworkPacket(packet, etherType: etherType, originalLength: packet.count + extra, to: &line)
        } else {
            _ = DecodedPacket(decodingEthernetFrame: packet)
            formatter.appendEthernetFrame(packet, originalLength: packet.count + extra, to: &line)
        }
    }
}
