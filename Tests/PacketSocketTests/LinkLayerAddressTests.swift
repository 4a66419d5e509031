import PacketSocket
import SocketBase
import Testing

/// `sockaddr_ll` encoding, hardware addresses and VLAN reinsertion, without a kernel.
@Suite struct LinkLayerAddressTests {
    @Test func encodesSockaddrLL() {
        let address = LinkLayerAddress(interfaceIndex: 7, etherType: 0x88B5, hardwareType: .ethernet, packetType: .otherHost,
                                       hardwareAddress: HardwareAddress([0x02, 0, 0, 0, 0, 0x2A]))
        let bytes = address.withSockAddr { pointer, length in
            Array(UnsafeRawBufferPointer(start: pointer, count: Int(length)))
        }
        #expect(bytes.count == 20)
        #expect(bytes[0..<2] == [17, 0])            // AF_PACKET, host order
        #expect(bytes[2..<4] == [0x88, 0xB5])        // protocol, big-endian
        #expect(bytes[4..<8] == [7, 0, 0, 0])        // ifindex
        #expect(bytes[8..<10] == [1, 0])             // ARPHRD_ETHER
        #expect(bytes[10] == 3)                      // PACKET_OTHERHOST
        #expect(bytes[11] == 6)                      // halen
        #expect(Array(bytes[12..<20]) == [0x02, 0, 0, 0, 0, 0x2A, 0, 0])
        let decoded = LinkLayerAddress(AnySocketAddress(address))
        #expect(decoded == address)
        #expect(LinkLayerAddress(AnySocketAddress(IPv4SocketAddress.loopback(port: 1))) == nil)
    }

    @Test func hardwareAddressText() {
        #expect(HardwareAddress("02:00:0a:ff:00:01")?.bytes == [2, 0, 0x0A, 0xFF, 0, 1])
        #expect(HardwareAddress("02:00:0a:ff:00:01")?.description == "02:00:0a:ff:00:01")
        #expect(HardwareAddress("02:00:0g:ff:00:01") == nil)
        #expect(HardwareAddress("1:2:3:4:5:6:7:8:9") == nil)
        #expect(HardwareAddress("") == nil)
        #expect(HardwareAddress.broadcast.description == "ff:ff:ff:ff:ff:ff")
        #expect(HardwareAddress.none.count == 0)
    }

    @Test func reinsertsVLANTag() {
        let frame: [UInt8] = Array(repeating: 0xAA, count: 6) + Array(repeating: 0xBB, count: 6) + [0x08, 0x00, 1, 2, 3]
        var scratch = [UInt8](repeating: 0, count: 64)
        let out = frame.withUnsafeBytes { bytes in
            scratch.withUnsafeMutableBytes { buffer in
                let packet = CapturedPacket(
                    bytes: bytes, originalLength: bytes.count, interfaceIndex: 1, interfaceName: "x", etherType: 0x0800,
                    packetType: .host, hardwareType: .ethernet, sourceAddress: .none,
                    timestamp: .init(seconds: 0, nanoseconds: 0),
                    vlan: VLANTag(controlInformation: 0x6005, etherType: .ipv4))
                #expect(packet.vlan?.id == 5)
                #expect(packet.vlan?.priority == 3)
                return Array(packet.reinsertingVLANTag(into: buffer))
            }
        }
        #expect(out == Array(frame[0..<12]) + [0x81, 0x00, 0x60, 0x05, 0x08, 0x00, 1, 2, 3])
    }
}
