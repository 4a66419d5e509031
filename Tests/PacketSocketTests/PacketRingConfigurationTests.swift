import PacketSocket
import Testing

/// The ring geometry pktdump-swift takes from libpcap's rules for -B and -s.
@Suite struct PacketRingConfigurationTests {
    @Test func tcpdumpDefaults() {
        let configuration = PacketRing.Configuration(libpcapGeometryFor: 2 << 20, snapLength: 262_144)
        #expect(configuration.frameSize == 262_240)
        #expect(configuration.blockSize == 512 << 10)
        #expect(configuration.blockCount == 7)
        #expect(configuration.totalSize == 7 * (512 << 10))
    }

    @Test(arguments: [(64, 1 << 20), (1500, 2 << 20), (9000, 4 << 20), (65535, 8 << 20)])
    func smallSnapLengthsPackPagesWithFrames(snapLength: Int, buffer: Int) {
        let configuration = PacketRing.Configuration(libpcapGeometryFor: buffer, snapLength: snapLength)
        #expect(configuration.frameSize % 16 == 0)
        #expect(configuration.frameSize >= snapLength + 82)
        #expect(configuration.blockSize >= configuration.frameSize)
        #expect(configuration.blockSize % 4096 == 0)
        #expect(configuration.blockSize & (configuration.blockSize - 1) == 0)
        #expect(configuration.blockSize / 2 < max(configuration.frameSize, 4096))
        // V3 packs packets, so libpcap's frame count only sizes the ring: at least the buffer, under twice it.
        #expect(configuration.totalSize >= buffer * 9 / 10)
        #expect(configuration.totalSize < buffer * 2 + configuration.blockSize)
    }

    @Test func ethernetSnapLengthByHand() {
        // frame = align16(96 + 1500) = 1600; block = 4096 (2 frames); 2 MiB / 1600 = 1310 frames = 655 blocks.
        let configuration = PacketRing.Configuration(libpcapGeometryFor: 2 << 20, snapLength: 1500)
        #expect(configuration.frameSize == 1600)
        #expect(configuration.blockSize == 4096)
        #expect(configuration.blockCount == 655)
    }

    @Test func totalBytesRoundsToWholeBlocks() {
        #expect(PacketRing.Configuration(totalBytes: 1 << 20, blockSize: 1 << 18).blockCount == 4)
        #expect(PacketRing.Configuration(totalBytes: 1, blockSize: 1 << 18).blockCount == 2)
    }
}
