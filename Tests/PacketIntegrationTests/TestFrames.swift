#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import ToolkitTestSupport

/// Ethernet frames the tests send, with a private EtherType (0x88B5, IEEE local experimental) and a marker.
enum TestFrames {
    static let etherType: EtherType = 0x88B5

    /// A frame from `source` to `destination`: EtherType 0x88B5, then `tag`, the sequence number, and filler
    /// up to `length` bytes in all.
    static func frame(from source: String, to destination: String, tag: UInt8 = 1, sequence: UInt32 = 0,
                      etherType: EtherType = etherType, length: Int = 64) -> [UInt8] {
        var frame = HardwareAddress(destination)!.bytes + HardwareAddress(source)!.bytes
        frame += [UInt8(etherType.rawValue >> 8), UInt8(etherType.rawValue & 0xFF), tag]
        frame += withUnsafeBytes(of: sequence.bigEndian) { Array($0) }
        while frame.count < length { frame.append(UInt8(truncatingIfNeeded: frame.count)) }
        return frame
    }

    /// The same frame with an 802.1Q tag after the addresses.
    static func tagged(_ frame: [UInt8], tci: UInt16, tpid: UInt16 = 0x8100) -> [UInt8] {
        Array(frame[0..<12]) + [UInt8(tpid >> 8), UInt8(tpid & 0xFF), UInt8(tci >> 8), UInt8(tci & 0xFF)] + Array(frame[12...])
    }

    /// The wall clock now, in seconds.
    static var now: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }
}

/// A minimal classic pcap reader for the tests (the toolkit's own reader lives in the packet codecs branch).
struct PcapRecords {
    let nanosecond: Bool
    let linkType: UInt32
    let records: [(seconds: UInt32, fraction: UInt32, originalLength: UInt32, bytes: [UInt8])]

    init?(path: String) {
        let data = Subprocess.readBytes(path)
        guard data.count >= 24 else { return nil }
        func u32(_ offset: Int) -> UInt32 {
            data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        }
        switch u32(0) {
        case 0xA1B2_C3D4: nanosecond = false
        case 0xA1B2_3C4D: nanosecond = true
        default: return nil
        }
        linkType = u32(20)
        var records: [(UInt32, UInt32, UInt32, [UInt8])] = []
        var offset = 24
        while offset + 16 <= data.count {
            let captured = Int(u32(offset + 8))
            guard offset + 16 + captured <= data.count else { return nil }
            records.append((u32(offset), u32(offset + 4), u32(offset + 12), Array(data[(offset + 16)..<(offset + 16 + captured)])))
            offset += 16 + captured
        }
        guard offset == data.count else { return nil }
        self.records = records
    }
}
