#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import PacketSocket

/// The per-packet path pktdump runs (decode, then format into a reused buffer), repeated
/// `PACKETSOCKET_PROBE_ITERATIONS` times (default 200). Run under `valgrind` with two counts to see that the
/// number of heap allocations does not grow with the number of packets (see the notes).
@Suite struct HotPathProbeTests {
    @Test func decodeAndFormatRepeatedly() {
        let iterations = getenv("PACKETSOCKET_PROBE_ITERATIONS").flatMap { Int(String(cString: $0)) } ?? 200
        let mode = getenv("PACKETSOCKET_PROBE_MODE").map { String(cString: $0) } ?? "both"
        // Frames whose decoding throws are left out: Swift Testing hooks swift_willThrow and allocates for every
        // error thrown in the test process (a standalone program throwing the same typed error allocates nothing).
        var frames = SummaryComparisonTests.cases.map(\.frame).filter { DecodedPacket(decodingEthernetFrame: $0).error == nil }
        if let only = getenv("PACKETSOCKET_PROBE_FRAME").flatMap({ Int(String(cString: $0)) }) { frames = [frames[only]] }
        var formatter = PacketSummaryFormatter(printsLinkLevelHeader: true)
        var line: [UInt8] = []
        line.reserveCapacity(4096)
        var decodedTransports = 0
        var characters = 0
        var perRound = 0
        // The frames copied once into raw buffers, so the loop itself does nothing that could allocate.
        let buffers = frames.map { frame -> UnsafeRawBufferPointer in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: frame.count, alignment: 8)
            copy.copyBytes(from: frame)
            return UnsafeRawBufferPointer(copy)
        }
        defer { buffers.forEach { $0.deallocate() } }
        let decode = mode != "none", format = mode == "both"
        for round in 0...iterations {
            if round == 1 { perRound = decodedTransports; decodedTransports = 0; characters = 0 } // round 0 warms up
            for index in 0..<buffers.count {
                let raw = buffers[index]
                if decode {
                    let packet = DecodedPacket(decodingEthernetFrame: raw)
                    if packet.transport != nil { decodedTransports += 1 }
                }
                line.removeAll(keepingCapacity: true)
                if format { formatter.appendEthernetFrame(raw, to: &line) }
                characters += line.count
            }
        }
        #expect(perRound > 30 && decodedTransports == iterations * perRound)
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, ethertype Unknown (0x88b5)"))
        #expect(characters > iterations * frames.count * 40)
    }
}
