import SocketBase

/// Writes a pcapng file: one Section Header Block, an Interface Description Block per interface (`if_name`,
/// `if_tsresol`, snap length) and an Enhanced Packet Block per packet, with `epb_flags` (direction, reception
/// type) when given. Buffered like ``PcapWriter``: ``flush()`` makes everything so far readable, ``close()``
/// completes the file. tshark, capinfos and tcpdump read what it writes.
///
///     let writer = try PcapNGWriter(path: "out.pcapng", interfaces: [PcapNGInterface(linkType: .ethernet, name: "eth0")])
///     try writer.write(timestamp: .now, bytes: frame, flags: PcapNGPacketFlags(direction: .inbound))
///     try writer.close()
public final class PcapNGWriter {
    public let path: String
    /// The interfaces described so far; a packet names one by its index.
    public private(set) var interfaces: [PcapNGInterface] = []
    /// Records written so far.
    /// Counted per record from the writer's one thread: no runtime exclusivity checks.
    @exclusivity(unchecked) public private(set) var recordCount = 0
    /// The file's size once everything buffered is written: what `ftell` gives for a stdio file.
    @exclusivity(unchecked) public private(set) var fileSize = 0
    /// The file and its write buffer; a full disk cuts the file back to its last whole block.
    private let output: OutputFile

    /// Creates (truncates) `path`, mode 0644, and writes the Section Header Block and one IDB per interface.
    /// - Parameters:
    ///   - interfaces: The interfaces described at the start (more can follow with ``addInterface(_:)``).
    ///   - application: The `shb_userappl` option, e.g. `pktdump-swift`; none when nil.
    /// - Throws: ``SystemCallError`` naming the path.
    public init(path: String, interfaces: [PcapNGInterface] = [], application: String? = nil) throws {
        self.path = path
        output = try OutputFile(creating: path)
        var options: [UInt8] = []
        if let application { Self.appendOption(4, Array(application.utf8), to: &options) }
        if !options.isEmpty { Self.appendOption(0, [], to: &options) }
        let start = beginBlock(0x0A0D_0D0A)
        append32(0x1A2B_3C4D)
        append16(1)
        append16(0)
        append64(UInt64.max) // section length: not given
        output.buffer += options
        endBlock(start)
        for interface in interfaces { describe(interface) }
        try output.flush() // on failure the descriptor closes as `output` goes
    }

    deinit {
        try? output.close()
    }

    /// Describes one more interface (an IDB); packets name it by the index returned.
    @discardableResult
    public func addInterface(_ interface: PcapNGInterface) -> Int {
        describe(interface)
        return interfaces.count - 1
    }

    /// Appends one record on its ``PcapRecord/interfaceIndex`` with its flags.
    /// - Throws: ``InvalidArgumentError`` for an interface not described, ``SystemCallError`` when a full buffer
    ///   cannot be written out.
    public func write(_ record: PcapRecord) throws {
        try record.bytes.withUnsafeBytes { bytes in
            try write(timestamp: record.timestamp, bytes: bytes, originalLength: record.originalLength,
                      interface: record.interfaceIndex, flags: record.flags)
        }
    }

    /// Appends one Enhanced Packet Block from bytes in place; bytes past the interface's snap length are cut,
    /// the original length is kept.
    /// - Parameters:
    ///   - timestamp: When the packet was captured; written in the interface's `if_tsresol` units.
    ///   - bytes: The packet's bytes.
    ///   - originalLength: The packet's length on the wire (defaults to `bytes.count`).
    ///   - interface: The index of an interface described before.
    ///   - flags: The `epb_flags` option; none when nil.
    /// - Throws: ``InvalidArgumentError`` for an interface not described, ``SystemCallError`` when a full buffer
    ///   cannot be written out.
    public func write(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int? = nil,
                      interface: Int = 0, flags: PcapNGPacketFlags? = nil) throws {
        guard interfaces.indices.contains(interface) else {
            throw InvalidArgumentError("interface", value: String(interface),
                                       reason: "\(path) describes \(interfaces.count) interface\(interfaces.count == 1 ? "" : "s")")
        }
        let description = interfaces[interface]
        let snap = description.snapLength == 0 ? bytes.count : Int(description.snapLength)
        let captured = min(bytes.count, snap)
        let ticks = description.timestampResolution.ticks(of: timestamp)
        let start = beginBlock(6)
        append32(UInt32(interface))
        append32(UInt32(truncatingIfNeeded: ticks >> 32))
        append32(UInt32(truncatingIfNeeded: ticks))
        append32(UInt32(captured))
        append32(UInt32(truncatingIfNeeded: originalLength ?? bytes.count))
        if captured > 0 { output.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<captured])) }
        pad()
        if let flags {
            append16(2)
            append16(4)
            append32(flags.rawValue)
            append32(0) // opt_endofopt
        }
        endBlock(start)
        recordCount += 1
        try output.flushIfFull(1 << 16)
    }

    /// Writes everything buffered to the file (`write(2)` until all is written, EINTR retried). When the disk is
    /// full, the file is cut back to its last whole block, so what it holds stays readable.
    /// - Throws: ``SystemCallError`` naming the path.
    public func flush() throws {
        try output.flush()
    }

    /// Flushes and closes the file; later calls do nothing. The descriptor is closed even when the flush fails.
    /// - Throws: ``SystemCallError`` naming the path.
    public func close() throws {
        try output.close()
    }

    // MARK: Blocks

    private func describe(_ interface: PcapNGInterface) {
        var options: [UInt8] = []
        if let name = interface.name { Self.appendOption(2, Array(name.utf8), to: &options) }
        if let text = interface.interfaceDescription { Self.appendOption(3, Array(text.utf8), to: &options) }
        Self.appendOption(9, [interface.timestampResolution.code], to: &options)
        if interface.timestampOffset != 0 {
            Self.appendOption(14, withUnsafeBytes(of: interface.timestampOffset) { Array($0) }, to: &options)
        }
        Self.appendOption(0, [], to: &options)
        let start = beginBlock(1)
        append16(UInt16(truncatingIfNeeded: interface.linkType.rawValue))
        append16(0)
        append32(interface.snapLength)
        output.buffer += options
        endBlock(start)
        interfaces.append(interface)
    }

    /// Appends a block's type and a length to fill in; returns where the block starts in the buffer.
    private func beginBlock(_ type: UInt32) -> Int {
        let start = output.buffer.count
        append32(type)
        append32(0)
        return start
    }

    /// Writes the block's total length at its start and end.
    private func endBlock(_ start: Int) {
        let length = UInt32(output.buffer.count - start + 4)
        append32(length)
        withUnsafeBytes(of: length) { raw in
            for i in 0..<4 { output.buffer[start + 4 + i] = raw[i] }
        }
        fileSize += Int(length)
    }

    private func pad() {
        while output.buffer.count % 4 != 0 { output.buffer.append(0) }
    }

    private static func appendOption(_ code: UInt16, _ value: [UInt8], to options: inout [UInt8]) {
        withUnsafeBytes(of: code) { options.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt16(value.count)) { options.append(contentsOf: $0) }
        options += value
        while options.count % 4 != 0 { options.append(0) }
    }

    private func append16(_ value: UInt16) { output.append(value) }
    private func append32(_ value: UInt32) { output.append(value) }
    private func append64(_ value: UInt64) { output.append(value) }
}
