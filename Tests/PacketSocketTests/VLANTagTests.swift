import Testing

@testable import PacketSocket
import SocketBase

/// The one VLAN tag: decoded from a frame, built in code, or reported by the kernel beside the bytes.
@Suite struct VLANTagTests {
    @Test(arguments: [UInt16(0x0000), 0x0FFF, 0x1005, 0x6005, 0xE001, 0xFFFF])
    func controlInformationRoundTrips(tci: UInt16) throws {
        let tag = VLANTag(controlInformation: tci, tagProtocol: .serviceVLAN, etherType: .ipv6)
        #expect(tag.controlInformation == tci)
        #expect(tag.id == tci & 0x0FFF && tag.priority == UInt8(tci >> 13) && tag.dropEligible == (tci & 0x1000 != 0))
        // The same tag as the codec reads it from the wire, and as built from its fields.
        var wire: [UInt8] = []
        tag.append(to: &wire)
        let parsed = try wire.withUnsafeBytes { try VLANTag(parsing: $0, at: 0, tagProtocol: .serviceVLAN) }
        #expect(parsed == tag)
        #expect(VLANTag(tagProtocol: .serviceVLAN, priority: tag.priority, dropEligible: tag.dropEligible, id: tag.id,
                        etherType: .ipv6) == tag)
    }

    /// A tag the kernel stripped is put back where it was, TPID and TCI from the tag.
    @Test func capturedPacketReinsertsItsTag() {
        let frame: [UInt8] = Array(repeating: 0xAA, count: 6) + Array(repeating: 0xBB, count: 6) + [0x86, 0xDD, 9]
        var scratch = [UInt8](repeating: 0, count: 64)
        let wire = frame.withUnsafeBytes { bytes in
            scratch.withUnsafeMutableBytes { buffer in
                let packet = CapturedPacket(
                    bytes: bytes, originalLength: bytes.count, interfaceIndex: 1, interfaceName: "x", etherType: .ipv6,
                    packetType: .host, hardwareType: .ethernet, sourceAddress: .none, timestamp: .zero,
                    vlan: VLANTag(controlInformation: 0xA00B, tagProtocol: .serviceVLAN, etherType: .ipv6))
                return Array(packet.reinsertingVLANTag(into: buffer))
            }
        }
        #expect(wire == Array(frame[0..<12]) + [0x88, 0xA8, 0xA0, 0x0B] + Array(frame[12...]))
        let decoded = wire.withUnsafeBytes { DecodedPacket(decodingEthernetFrame: $0) }
        #expect(Array(decoded.vlanTags) == [VLANTag(controlInformation: 0xA00B, tagProtocol: .serviceVLAN, etherType: .ipv6)])
    }
}

@Suite struct EtherTypeTests {
    @Test func literalsAndTheSocketWildcard() {
        let literal: EtherType = 0x88B5
        #expect(literal == EtherType(rawValue: 0x88B5))
        #expect(EtherType.all.rawValue == 0x0003)
        #expect(SocketProtocol.etherType(.ipv4).rawValue == CInt(UInt16(0x0800).bigEndian))
        #expect(SocketProtocol.allEtherTypes == SocketProtocol.etherType(.all))
        #expect(LinkLayerAddress(interfaceIndex: 2).etherType == .all)
        #expect(LinkLayerSocket.Options().etherType == .all)
    }
}
