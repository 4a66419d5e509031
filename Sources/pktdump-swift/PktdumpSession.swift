import PacketSocket
import SocketBase
import ToolSupport

/// One run of pktdump-swift: capture (ring or recvmmsg) or read a file, then print lines or write a pcap file.
final class PktdumpSession {
    let configuration: PktdumpConfiguration
    let output = OutputFile.standardOutput()
    private var writer: RotatingCaptureFile?
    /// Whether packets go to a `-w` file (rather than to the terminal).
    var writesFile: Bool { writer != nil }
    private var summary: PacketSummaryFormatter
    var captured = 0
    /// Room for a frame with its VLAN tag put back, or a packet behind its LINUX_SLL2 header.
    private let scratch: UnsafeMutableRawBufferPointer
    private var timestamps: TimestampPrinter
    /// `-i any`: a cooked capture written as LINKTYPE_LINUX_SLL2, as tcpdump does.
    let cooked: Bool
    /// What each captured packet becomes; on `any` it gains the filter the kernel cannot run (``liveFilter(on:)``).
    private(set) var records: CaptureRecordBuilder
    /// The capture ended because its interface was deleted (already said, with the counts).
    private var interfaceDisappeared = false

    /// A failure already reported on stderr: the exit status is 1, nothing more is printed.
    private struct ReportedFailure: Error {}

    init(_ configuration: PktdumpConfiguration) {
        self.configuration = configuration
        let printing = configuration.printing
        summary = PacketSummaryFormatter(printsLinkLevelHeader: configuration.linkLevelHeader, isQuiet: printing.quiet,
                                         verbosity: printing.verbosity)
        summary.printsUnknownPayloads = printing.printsUnknownPayloads
        timestamps = TimestampPrinter(printing.timestamps)
        scratch = .allocate(byteCount: configuration.snapLength + CaptureRecordBuilder.extraRoom, alignment: 16)
        cooked = configuration.readFile == nil && configuration.interface == "any"
        records = CaptureRecordBuilder(cooked: cooked, outgoingOnly: configuration.direction == .out, userFilter: nil)
    }

    deinit { scratch.deallocate() }

    /// Runs to the end; returns the exit status.
    func run() -> Int32 {
        Signals.install()
        do {
            if let path = configuration.readFile {
                try read(path)
            } else {
                try capture(filter: try liveFilter(on: configuration.interface!))
            }
            return 0
        } catch is ReportedFailure {
            return 1
        } catch let error as BPFCompileError {
            printError("pktdump-swift: \(error.message)")
        } catch let error as SystemCallError {
            printError("pktdump-swift: \(describe(error))")
        } catch {
            printError("pktdump-swift: \(error)")
        }
        try? output.flush()
        try? writer?.close()
        return 1
    }

    /// The message for a failed call, in tcpdump's words where it has them.
    private func describe(_ error: SystemCallError) -> String {
        let interface = configuration.interface ?? "any"
        if error.errno == .noSuchDevice {
            return "\(interface): No such device exists (\(error))"
        }
        if error.errno == .notPermitted || error.errno == .permissionDenied {
            return "\(interface): You don't have permission to capture on that device (\(error); needs CAP_NET_RAW)"
        }
        return error.description
    }

    // MARK: Capture

    /// The filter compiled as libpcap compiles it for this live capture (the kernel's VLAN metadata, tcpdump's
    /// `ldb [vlanp]`). On `any` it is compiled for LINUX_SLL2 records and moved to the cooked socket as libpcap
    /// moves it; when it reads a header field the kernel cannot give, it runs on each record instead.
    private func liveFilter(on interface: String) throws -> BPFProgram? {
        if configuration.expression.isEmpty { return nil }
        guard cooked else {
            return try BPFProgram(compiling: configuration.expression, forCapturingOn: interface, snapLength: configuration.snapLength)
        }
        let program = try BPFProgram(compiling: configuration.expression, forCapturingOn: interface, linkType: .linuxSLL2,
                                     snapLength: configuration.snapLength)
        guard let moved = program.movedToCookedSocket(linkType: .linuxSLL2) else {
            // libpcap's fallback: the filter runs on each SLL2 record.
            records = CaptureRecordBuilder(cooked: cooked, outgoingOnly: records.outgoingOnly, userFilter: program,
                                          loopbackIndex: records.loopbackIndex)
            return nil
        }
        return moved
    }

    private func capture(filter: BPFProgram?) throws {
        let interface = configuration.interface!
        var options = LinkLayerSocket.Options()
        options.filter = filter
        options.snapLength = configuration.snapLength
        options.promiscuous = configuration.promiscuous && interface != "any"
        if cooked { options.mode = .cooked }
        options.ignoreOutgoing = configuration.direction == .in
        if let path = configuration.writeFile, !configuration.filePerThread {
            writer = try RotatingCaptureFile(
                template: path, rotation: configuration.rotation, format: configuration.pcapng ? .pcapng : .pcap,
                interfaces: fileInterfaces(interface), precision: configuration.nanosecondFile ? .nanoseconds : .microseconds)
        }
        let statistics: PacketStatistics
        if configuration.threads > 1 || configuration.filePerThread {
            statistics = try captureWithRingGroup(interface: interface, options: options)
        } else if configuration.useRing && !configuration.immediate {
            let ring = try PacketRing(interface: interface, options: options,
                                      configuration: .init(libpcapGeometryFor: configuration.bufferBytes,
                                                           snapLength: configuration.snapLength))
            let selector = try waiter(for: ring.socket.socket)
            var watch = CaptureInterfaceWatch(ring.socket)
            announce(interface)
            // Read what the kernel handed over; when nothing is, write out what was printed and wait for a block
            // (or a stop signal, or the interface going away).
            try endingIfInterfaceDisappears {
                if !cooked, let file = writer?.unrotatedPcapWriter {
                    return try write(ring, into: file, selector: selector, watch: &watch)
                }
                while !countReached && !Signals.stopRequested {
                    if let packet = ring.nextAvailablePacket() {
                        try handle(packet)
                        continue
                    }
                    try output.flush()
                    if case .stopped = try selector.wait(until: watch.waitLimit.map { .now + $0 }) { break }
                    try watch.check()
                }
            }
            statistics = try ring.socket.statistics()
            try ring.close()
        } else {
            options.receiveBufferSize = configuration.bufferBytes
            let socket = try LinkLayerSocket(interface: interface, options: options)
            let batch = PacketBatch(capacity: 32, packetSize: min(configuration.snapLength, 65_536))
            let selector = try waiter(for: socket.socket)
            var watch = CaptureInterfaceWatch(socket)
            announce(interface)
            try endingIfInterfaceDisappears {
                receiving: while !countReached && !Signals.stopRequested {
                    let received: IOResult<Int>
                    do {
                        received = try socket.receiveAvailable(into: batch)
                    } catch let error as SystemCallError {
                        try watch.noteReceiveFailure(error)
                        continue
                    }
                    guard case .processed(let n) = received else {
                        try output.flush()
                        switch try selector.wait(until: watch.waitLimit.map { .now + $0 }) {
                        case .stopped: break receiving
                        case .timedOut: try watch.check()
                        case .ready: break
                        }
                        continue
                    }
                    for i in 0..<n {
                        try handle(batch[i])
                        if countReached { break receiving }
                    }
                }
            }
            statistics = try socket.statistics()
            try socket.close()
        }
        try output.flush()
        try writer?.close()
        printError("\(captured) packet\(captured == 1 ? "" : "s") captured")
        printError("\(statistics.packets) packet\(statistics.packets == 1 ? "" : "s") received by filter")
        printError("\(statistics.drops) packet\(statistics.drops == 1 ? "" : "s") dropped by kernel")
        if interfaceDisappeared { throw ReportedFailure() }
    }

    /// The ring into one plain pcap file (`-w` without `-C`, `-G`, `-i any`): what ``handle(_:)`` and
    /// ``write(timestamp:bytes:originalLength:interface:flags:)`` do per packet, on the ring's frames (no
    /// interface name or address decoded) with the file's writer, the count and the options in locals, so that
    /// no reference is counted and no rotation checked per packet.
    private func write(_ ring: PacketRing, into file: PcapWriter, selector: Selector,
                       watch: inout CaptureInterfaceWatch) throws {
        let limit = configuration.count ?? .max
        let records = records
        let flushesEach = configuration.packetBuffered
        let scratch = scratch
        var count = captured
        defer { captured = count }
        while count < limit && !Signals.stopRequested {
            guard let frame = ring.nextAvailableFrame() else {
                if case .stopped = try selector.wait(until: watch.waitLimit.map { .now + $0 }) { break }
                try watch.check()
                continue
            }
            guard let record = records.record(frame, in: scratch) else { continue }
            count += 1
            try file.write(timestamp: frame.timestamp, bytes: record.bytes, originalLength: record.originalLength)
            if flushesEach { try file.flush() }
        }
    }

    /// Runs a capture loop; when the interface is deleted under it, says so as tcpdump does (before the counts)
    /// and returns, so that the files are completed and the counts printed before the exit status 1.
    private func endingIfInterfaceDisappears(_ loop: () throws -> Void) throws {
        do {
            try loop()
        } catch let error as CaptureInterfaceDisappearedError {
            printError("pktdump-swift: \(error)")
            interfaceDisappeared = true
        }
    }

    /// A selector on the capture socket that a stop signal also wakes.
    private func waiter(for socket: Socket) throws -> Selector {
        let selector = try Selector(capacity: 1)
        try selector.register(socket, token: 0)
        try selector.stopOnSignals()
        return selector
    }

    private var countReached: Bool {
        if writer?.limitReached == true { return true }
        if let count = configuration.count { return captured >= count }
        return false
    }

    func announce(_ interface: String) {
        let verbose = configuration.writeFile == nil && configuration.printing.verbosity == .normal
            ? "pktdump-swift: verbose output suppressed, use -v[v]... for full protocol decode\n" : ""
        let linkType = cooked ? "LINUX_SLL2 (Linux cooked v2)" : "EN10MB (Ethernet)"
        if cooked { printError("pktdump-swift: data link type LINUX_SLL2") }
        printError("\(verbose)pktdump-swift: listening on \(interface), link-type \(linkType), snapshot length \(configuration.snapLength) bytes")
    }

    /// Writes or prints one captured packet as ``records`` makes it: on `any` printed as tcpdump prints
    /// LINUX_SLL2 (the interface name and direction, `veth0 In  `, then the network layer's line).
    @inline(__always)
    private func handle(_ packet: CapturedPacket) throws {
        guard let record = records.record(packet, in: scratch) else { return }
        captured += 1
        if cooked && writer == nil {
            return try printCooked(timestamp: packet.timestamp, record: record.bytes, originalLength: record.originalLength,
                                   interface: packet.interfaceName)
        }
        try emit(timestamp: packet.timestamp, bytes: record.bytes, originalLength: record.originalLength, flags: record.flags)
    }

    /// The interfaces a capture file of `interface` describes: the one captured on, Ethernet or LINUX_SLL2.
    func fileInterfaces(_ interface: String) -> [PcapNGInterface] {
        [PcapNGInterface(linkType: cooked ? .linuxSLL2 : .ethernet, snapLength: UInt32(configuration.snapLength), name: interface)]
    }

    /// One LINUX_SLL2 line: the time, then the record as tcpdump prints that link type.
    private func printCooked(timestamp: KernelTimestamp, record: UnsafeRawBufferPointer, originalLength: Int,
                             interface: String) throws {
        timestamps.append(seconds: timestamp.seconds, microseconds: Int(timestamp.microseconds), to: &output.buffer)
        summary.appendLinuxSLL2Record(record, originalLength: originalLength, interfaceName: interface, to: &output.buffer)
        output.buffer.append(UInt8(ascii: "\n"))
        if configuration.lineBuffered { try output.flush() } else { try output.flushIfFull() }
    }

    /// Interface names by index for SLL2 records read from a file (`if_indextoname` now, `?` when gone, as tcpdump).
    private var interfaceNames: [UInt32: String] = [:]

    /// A LINUX_SLL2 record from a file, printed as tcpdump prints it.
    func printCookedRecord(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int) throws {
        let index = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
        let name: String
        if let known = interfaceNames[index] {
            name = known
        } else {
            name = (try? NetworkInterface(index: CInt(bitPattern: index)).name) ?? "?"
            interfaceNames[index] = name
        }
        try printCooked(timestamp: timestamp, record: bytes, originalLength: originalLength, interface: name)
    }

    /// One record into the `-w` file(s): flushed at once with `-U`; tcpdump's words when -G and -W end the
    /// capture (the packet that found the limit is counted, not written).
    private func write(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int,
                       interface: Int = 0, flags: PcapNGPacketFlags? = nil) throws {
        guard let writer else { return }
        try writer.write(timestamp: timestamp, bytes: bytes, originalLength: originalLength, interface: interface, flags: flags)
        if configuration.packetBuffered { try writer.flush() }
        if writer.limitReached { printError("Maximum file limit reached: \(configuration.rotation.files)") }
    }

    func emit(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int,
                      interface: Int = 0, flags: PcapNGPacketFlags? = nil) throws {
        if writer != nil {
            try write(timestamp: timestamp, bytes: bytes, originalLength: originalLength, interface: interface, flags: flags)
            return
        }
        timestamps.append(seconds: timestamp.seconds, microseconds: Int(timestamp.microseconds), to: &output.buffer)
        summary.appendEthernetFrame(bytes, originalLength: originalLength, to: &output.buffer)
        configuration.printing.dump?.append(bytes, linkLayerHeaderLength: summary.linkLayerHeaderLength, to: &output.buffer)
        output.buffer.append(UInt8(ascii: "\n"))
        if configuration.lineBuffered { try output.flush() } else { try output.flushIfFull() }
    }

    // MARK: Reading

    /// The DLT_ value libpcap's compiler takes for a file's LINKTYPE_ value: the same number except where they
    /// differ on Linux (`linktype_to_dlt`): LINKTYPE_ATM_RFC1483 100, RAW 101, SLIP_BSDOS 102, PPP_BSDOS 103.
    private static func compilerLinkType(_ linkType: PcapLinkType) -> PcapLinkType {
        switch linkType.rawValue {
        case 100: return PcapLinkType(rawValue: 11)
        case 101: return PcapLinkType(rawValue: 12)
        case 102: return PcapLinkType(rawValue: 15)
        case 103: return PcapLinkType(rawValue: 16)
        default: return linkType
        }
    }

    private func read(_ path: String) throws {
        let reader = try CaptureFileReader(path: path)
        defer { reader.close() }
        printError("reading from file \(path), link-type \(reader.linkType), snapshot length \(reader.snapLength)")
        // A file's packets carry no socket metadata: offline semantics (`vlan` reads offset 12), for the file's
        // link type. Compiled even without an expression, as tcpdump does: a link type libpcap does not know
        // ends the run with its message (`unknown data link type 9999 (min 104, max 289)`).
        let program = try BPFProgram(compiling: configuration.expression, linkType: Self.compilerLinkType(reader.linkType),
                                     snapLength: configuration.snapLength)
        let filter = configuration.expression.isEmpty ? nil : program
        if let output = configuration.writeFile {
            writer = try RotatingCaptureFile(
                template: output, rotation: configuration.rotation, format: configuration.pcapng ? .pcapng : .pcap,
                interfaces: reader.interfaces, precision: configuration.nanosecondFile ? .nanoseconds : reader.precision)
        }
        while !countReached, try reader.withNextRecord({ header, bytes in
            if let filter, filter.run(on: bytes, originalLength: header.originalLength) == 0 { return }
            if writer == nil, let line = PktdumpRecordCheck.invalidHeaderLine(capturedLength: bytes.count,
                                                                            originalLength: header.originalLength) {
                captured += 1
                output.buffer.append(contentsOf: line.utf8)
                return
            }
            if writer == nil, reader.linkType == .linuxSLL2, bytes.count >= CapturedPacket.linuxSLL2HeaderLength {
                captured += 1
                return try printCookedRecord(timestamp: header.timestamp, bytes: bytes, originalLength: header.originalLength)
            }
            captured += 1
            try emit(timestamp: header.timestamp, bytes: bytes, originalLength: header.originalLength,
                     interface: header.interfaceIndex, flags: header.flags)
        }) != nil {}
        try output.flush()
        try writer?.close()
    }
}
