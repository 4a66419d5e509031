import PacketSocket
import SocketBase
import ToolSupport

/// One run of pktdump-swift: capture (ring or recvmmsg) or read a file, then print lines or write a pcap file.
final class PktdumpSession {
    let configuration: PktdumpConfiguration
    let output = OutputFile.standardOutput()
    private var writer: PcapWriter?
    private var summary: PacketSummaryFormatter
    var captured = 0
    /// Room for a frame with its VLAN tag put back.
    private let scratch: UnsafeMutableRawBufferPointer
    private var clock = LocalClock()

    init(_ configuration: PktdumpConfiguration) {
        self.configuration = configuration
        summary = PacketSummaryFormatter(printsLinkLevelHeader: configuration.linkLevelHeader)
        scratch = .allocate(byteCount: configuration.snapLength + 4, alignment: 16)
    }

    deinit { scratch.deallocate() }

    /// Runs to the end; returns the exit status.
    func run() -> Int32 {
        Signals.install()
        do {
            let program = configuration.expression.isEmpty ? nil
                : try BPFProgram(compiling: configuration.expression, snapLength: configuration.snapLength)
            if let path = configuration.readFile {
                try read(path, filter: program)
            } else {
                try capture(filter: program)
            }
            return 0
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

    private func capture(filter: BPFProgram?) throws {
        let interface = configuration.interface!
        var options = LinkLayerSocket.Options()
        options.filter = filter
        options.snapLength = configuration.snapLength
        options.promiscuous = configuration.promiscuous && interface != "any"
        if let path = configuration.writeFile, !configuration.filePerThread {
            writer = try PcapWriter(path: path, linkType: .ethernet, snapLength: UInt32(configuration.snapLength),
                                    precision: configuration.nanosecondFile ? .nanoseconds : .microseconds)
        }
        let statistics: PacketStatistics
        if configuration.threads > 1 || configuration.filePerThread {
            statistics = try captureWithRingGroup(interface: interface, options: options)
        } else if configuration.useRing {
            let ring = try PacketRing(interface: interface, options: options,
                                      configuration: .init(libpcapGeometryFor: configuration.bufferBytes,
                                                           snapLength: configuration.snapLength))
            let selector = try waiter(for: ring.socket.socket)
            announce(interface)
            // Read what the kernel handed over; when nothing is, write out what was printed and wait for a block
            // (or a stop signal).
            while !countReached && !Signals.stopRequested {
                if let packet = ring.nextAvailablePacket() {
                    try handle(packet)
                    continue
                }
                try output.flush()
                guard case .ready = try selector.wait(until: nil) else { break }
            }
            statistics = try ring.socket.statistics()
            try ring.close()
        } else {
            options.receiveBufferSize = configuration.bufferBytes
            let socket = try LinkLayerSocket(interface: interface, options: options)
            let batch = PacketBatch(capacity: 32, packetSize: min(configuration.snapLength, 65_536))
            let selector = try waiter(for: socket.socket)
            announce(interface)
            receiving: while !countReached && !Signals.stopRequested {
                guard case .processed(let n) = try socket.receiveAvailable(into: batch) else {
                    try output.flush()
                    guard case .ready = try selector.wait(until: nil) else { break }
                    continue
                }
                for i in 0..<n {
                    try handle(batch[i])
                    if countReached { break receiving }
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
    }

    /// A selector on the capture socket that a stop signal also wakes.
    private func waiter(for socket: Socket) throws -> Selector {
        let selector = try Selector(capacity: 1)
        try selector.register(socket, token: 0)
        try selector.stopOnSignals()
        return selector
    }

    private var countReached: Bool {
        if let count = configuration.count { return captured >= count }
        return false
    }

    func announce(_ interface: String) {
        let verbose = configuration.writeFile == nil
            ? "pktdump-swift: verbose output suppressed, use -v[v]... for full protocol decode\n" : ""
        printError("\(verbose)pktdump-swift: listening on \(interface), link-type EN10MB (Ethernet), snapshot length \(configuration.snapLength) bytes")
    }

    /// Writes or prints one captured packet, its stripped VLAN tag put back as tcpdump does.
    @inline(__always)
    private func handle(_ packet: CapturedPacket) throws {
        captured += 1
        let tagged = packet.vlan != nil
        let bytes = tagged ? packet.reinsertingVLANTag(into: scratch) : packet.bytes
        let originalLength = packet.originalLength + (tagged ? 4 : 0)
        try emit(timestamp: packet.timestamp, bytes: bytes, originalLength: originalLength)
    }

    func emit(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int) throws {
        if let writer {
            try writer.write(timestamp: timestamp, bytes: bytes, originalLength: originalLength)
            return
        }
        clock.appendTime(seconds: timestamp.seconds, microseconds: Int(timestamp.microseconds), to: &output.buffer)
        output.buffer.append(UInt8(ascii: " "))
        summary.appendEthernetFrame(bytes, originalLength: originalLength, to: &output.buffer)
        output.buffer.append(UInt8(ascii: "\n"))
        try output.flushIfFull()
    }

    // MARK: Reading

    private func read(_ path: String, filter: BPFProgram?) throws {
        let reader = try PcapReader(path: path)
        defer { reader.close() }
        printError("reading from file \(path), link-type \(reader.linkType), snapshot length \(reader.snapLength)")
        if let output = configuration.writeFile {
            writer = try PcapWriter(path: output, linkType: reader.linkType, snapLength: reader.snapLength,
                                    precision: configuration.nanosecondFile ? .nanoseconds : reader.precision)
        }
        while !countReached, try reader.withNextRecord({ header, bytes in
            if let filter, filter.run(on: bytes, originalLength: header.originalLength) == 0 { return }
            captured += 1
            try emit(timestamp: header.timestamp, bytes: bytes, originalLength: header.originalLength)
        }) != nil {}
        try output.flush()
        try writer?.close()
    }
}
