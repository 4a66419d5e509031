import CANSocket
import PcapFile

/// `--pcap FILE`: frames as LINKTYPE_CAN_SOCKETCAN records, as libpcap writes what it captures on a CAN interface:
///
/// - classic and FD frames: the kernel's `can_frame`/`canfd_frame` with the CAN id in network byte order;
/// - CAN XL frames: the kernel's `canxl_frame` header and data (12 + `len` bytes) with the priority/VCID word in
///   big-endian and the payload length and acceptance field in little-endian byte order, whatever the host's
///   (tcpdump's LINKTYPE_CAN_SOCKETCAN page: "The Priority ID/VCID field is big-endian, but the payload length
///   and acceptance field are little-endian"). The flags byte is the kernel's (XLF, SEC, RRS).
final class CANPcapOutput {
    private let writer: PcapWriter
    /// One record's bytes, reused: room for the largest, a `canxl_frame` (`CANXL_MTU`).
    private var record = [UInt8](repeating: 0, count: CANXLFrame.mtu)

    init(path: String) throws {
        writer = try PcapWriter(path: path, linkType: .canSocketCAN, precision: .microseconds)
    }

    func write(_ received: CANReceivedAnyFrame) throws {
        try record.withUnsafeMutableBytes { raw in
            let count: Int
            switch received.frame {
            case .can(let frame):
                count = frame.encode(into: raw)
                raw.storeBytes(of: frame.rawID.bigEndian, toByteOffset: 0, as: UInt32.self)
            case .xl(let frame):
                count = frame.encode(into: raw)
                raw.storeBytes(of: frame.kernelPriority.bigEndian, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: UInt16(frame.data.count).littleEndian, toByteOffset: 6, as: UInt16.self)
                raw.storeBytes(of: frame.acceptanceField.littleEndian, toByteOffset: 8, as: UInt32.self)
            }
            try writer.write(timestamp: received.timestamp, bytes: UnsafeRawBufferPointer(rebasing: raw[..<count]))
        }
    }

    func flush() throws { try writer.flush() }
    func close() throws { try writer.close() }
}
