import SocketBase

/// Writes a pcap or a pcapng file through one interface: ``PcapWriter`` for pcap (the first interface's link
/// type and snap length), ``PcapNGWriter`` for pcapng (every interface described, flags kept).
public final class CaptureFileWriter {
    private enum Sink {
        case pcap(PcapWriter)
        case pcapng(PcapNGWriter)
    }

    private let sink: Sink
    public let path: String
    public let format: CaptureFileFormat

    /// Creates (truncates) `path` and writes the file's headers.
    /// - Parameters:
    ///   - format: pcap or pcapng.
    ///   - interfaces: What the packets are; a pcap file takes the first's link type and snap length, a pcapng
    ///     file describes them all. Must not be empty.
    ///   - precision: The timestamp unit: the pcap magic, or every pcapng interface's `if_tsresol`.
    ///   - application: pcapng's `shb_userappl`.
    /// - Throws: ``InvalidArgumentError`` for no interfaces, ``SystemCallError`` naming the path.
    public init(path: String, format: CaptureFileFormat, interfaces: [PcapNGInterface],
                precision: PcapPrecision = .microseconds, application: String? = nil) throws {
        guard let first = interfaces.first else {
            throw InvalidArgumentError("interfaces", value: "[]", reason: "a capture file needs at least one interface")
        }
        self.path = path
        self.format = format
        switch format {
        case .pcap:
            sink = .pcap(try PcapWriter(path: path, linkType: first.linkType, snapLength: first.snapLength == 0 ? 262_144 : first.snapLength,
                                         precision: precision))
        case .pcapng:
            let resolution: PcapNGTimestampResolution = precision == .nanoseconds ? .nanoseconds : .microseconds
            let described = interfaces.map { interface in
                var interface = interface
                interface.timestampResolution = resolution
                return interface
            }
            sink = .pcapng(try PcapNGWriter(path: path, interfaces: described, application: application))
        }
    }

    /// Appends one packet; bytes past the snap length are cut, the original length is kept. A pcap file has no
    /// room for the interface and the flags.
    /// - Throws: ``InvalidArgumentError`` for a pcapng interface not described, ``SystemCallError`` when a full
    ///   buffer cannot be written out.
    @inline(__always)
    public func write(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int? = nil,
                      interface: Int = 0, flags: PcapNGPacketFlags? = nil) throws {
        switch sink {
        case .pcap(let writer):
            try writer.write(timestamp: timestamp, bytes: bytes, originalLength: originalLength)
        case .pcapng(let writer):
            try writer.write(timestamp: timestamp, bytes: bytes, originalLength: originalLength, interface: interface, flags: flags)
        }
    }

    /// The ``PcapWriter`` of a pcap file (nil for pcapng), for a per-packet loop that holds it: writing to it
    /// directly skips this type's dispatch and the reference counting of its sink on every record.
    public var pcapWriter: PcapWriter? {
        if case .pcap(let writer) = sink { writer } else { nil }
    }

    /// The file's size once everything buffered is written (what `ftell` gives a stdio writer).
    public var fileSize: Int {
        switch sink {
        case .pcap(let writer): writer.fileSize
        case .pcapng(let writer): writer.fileSize
        }
    }

    /// Records written so far.
    public var recordCount: Int {
        switch sink {
        case .pcap(let writer): writer.recordCount
        case .pcapng(let writer): writer.recordCount
        }
    }

    /// Writes everything buffered to the file.
    /// - Throws: ``SystemCallError`` naming the path.
    public func flush() throws {
        switch sink {
        case .pcap(let writer): try writer.flush()
        case .pcapng(let writer): try writer.flush()
        }
    }

    /// Flushes and closes the file; later calls do nothing.
    /// - Throws: ``SystemCallError`` naming the path.
    public func close() throws {
        switch sink {
        case .pcap(let writer): try writer.close()
        case .pcapng(let writer): try writer.close()
        }
    }
}
