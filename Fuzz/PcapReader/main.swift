// The capture file readers on whole files: CaptureFileReader(bytes:) on any bytes (pcap or pcapng by the magic),
// every record read until the end or an error.
import FuzzSupport
import PacketSocket

fuzz { bytes in
    guard let reader = try? CaptureFileReader(bytes: Array(bytes)) else { return }
    while let header = try? reader.withNextRecord({ header, data in
        require(data.count == header.capturedLength, "record of \(data.count) bytes, header says \(header.capturedLength)")
        return header
    }) { _ = header }
}
