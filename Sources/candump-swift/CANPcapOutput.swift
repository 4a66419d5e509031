import CANSocket
import PcapFile

/// `--pcap FILE`: frames as LINKTYPE_CAN_SOCKETCAN records, the kernel's `can_frame`/`canfd_frame` with the
/// CAN id in network byte order (as libpcap writes what it captures on a CAN interface).
final class CANPcapOutput {
    private let writer: PcapWriter
    private var record = [UInt8](repeating: 0, count: CANFrame.fdSize)

    init(path: String) throws {
        writer = try PcapWriter(path: path, linkType: .canSocketCAN, precision: .microseconds)
    }

    func write(_ received: CANReceivedFrame) throws {
        try record.withUnsafeMutableBytes { raw in
            let count = received.frame.encode(into: raw)
            raw.storeBytes(of: received.frame.rawID.bigEndian, toByteOffset: 0, as: UInt32.self)
            try writer.write(timestamp: received.timestamp, bytes: UnsafeRawBufferPointer(rebasing: raw[..<count]))
        }
    }

    func flush() throws { try writer.flush() }
    func close() throws { try writer.close() }
}
