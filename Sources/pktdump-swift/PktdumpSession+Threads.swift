import Dispatch
import PacketSocket
import PcapFile
import SocketBase
import ToolSupport

extension PktdumpSession {
    /// `--threads N`: N rings in one fanout group, each drained by its own thread (``PktdumpRingReader``), written
    /// into one file (or printed) in timestamp order by this thread, or with `--file-per-thread` into NAME.0,
    /// NAME.1, … by the ring threads themselves.
    /// - Returns: The kernel's statistics, added up over the rings.
    func captureWithRingGroup(interface: String, options: LinkLayerSocket.Options) throws -> PacketStatistics {
        let group = try PacketRingGroup(
            interface: interface, options: options,
            configuration: .init(libpcapGeometryFor: configuration.bufferBytes, snapLength: configuration.snapLength),
            count: configuration.threads, fanout: .init(mode: configuration.fanoutMode))
        defer { try? group.close() }
        let published = DispatchSemaphore(value: 0)
        var readers: [PktdumpRingReader] = []
        var files: [CaptureFileWriter] = []
        defer { for file in files { try? file.close() } }
        let budget = configuration.filePerThread ? configuration.count.map(PacketBudget.init) : nil
        for (i, ring) in group.rings.enumerated() {
            var file: CaptureFileWriter?
            if configuration.filePerThread, let path = configuration.writeFile {
                file = try CaptureFileWriter(path: "\(path).\(i)", format: configuration.pcapng ? .pcapng : .pcap,
                                             interfaces: fileInterfaces(interface),
                                             precision: configuration.nanosecondFile ? .nanoseconds : .microseconds,
                                             application: "pktdump-swift")
                files.append(file!)
            }
            readers.append(try PktdumpRingReader(index: i, ring: ring, records: records, published: published, writer: file,
                                                 budget: budget))
        }
        announce(interface)
        for reader in readers { reader.start() }

        var failure: Error?
        if configuration.filePerThread {
            for reader in readers { reader.waitUntilFinished() }
            var queue: [PacketChunk] = []
            for reader in readers {
                if let error = reader.take(into: &queue).failure { failure = failure ?? error }
                captured += reader.written
            }
            for file in files {
                do { try file.close() } catch { failure = failure ?? error }
            }
        } else {
            do {
                try merge(readers, published: published)
            } catch {
                failure = error
            }
            for reader in readers { reader.stop() }
            for reader in readers { reader.waitUntilFinished() }
        }
        let statistics = try group.statistics()
        if let failure { throw failure }
        return statistics
    }

    /// Writes the rings' packets in timestamp order until every ring thread has ended (a stop signal) or the
    /// count is reached.
    private func merge(_ readers: [PktdumpRingReader], published: DispatchSemaphore) throws {
        var merge = PktdumpRingMerge(sources: readers.count)
        let limit = configuration.count ?? .max
        while true {
            for reader in readers { try merge.collect(from: reader) }
            let done = merge.isDone
            let going = try merge.release(all: done, readers: readers) { timestamp, bytes, originalLength, flags in
                captured += 1
                if cooked && !writesFile {
                    try printCookedRecord(timestamp: timestamp, bytes: bytes, originalLength: originalLength)
                } else {
                    try emit(timestamp: timestamp, bytes: bytes, originalLength: originalLength, flags: flags)
                }
                return captured < limit
            }
            if !going {
                // The count: what else the rings hold is not wanted.
                for reader in readers { reader.stop() }
                merge.discard(readers: readers)
                return
            }
            if done { return }
            try output.flush()
            _ = published.wait(timeout: .now() + .milliseconds(20))
        }
    }
}
