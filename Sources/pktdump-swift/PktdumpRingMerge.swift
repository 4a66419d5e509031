import PacketSocket
import PcapFile

/// The rings' chunks put back into timestamp order, as candump-swift's merge does for CAN sockets
/// (``CANFrameMerge``), on chunks of records instead of frames.
///
/// Each ring's records are in order already. A record is released once no older one can still come from
/// another ring: every other ring either has a newer record waiting, or has published a watermark at or past it.
/// Records of equal timestamp keep the order of their rings. Storage is the rings' chunks, handed back once
/// written; nothing is allocated per packet.
struct PktdumpRingMerge {
    private struct Source {
        var chunks: [PacketChunk] = []
        /// The first chunk not yet written out, and the offset of its next record.
        var head = 0
        var offset = 0
        var watermark = Int64.min
        var finished = false

        var hasRecord: Bool { head < chunks.count }
        var nextTimestamp: Int64 { chunks[head].timestamp(at: offset) }
    }

    private var sources: [Source]

    init(sources: Int) {
        self.sources = Array(repeating: Source(), count: sources)
        for i in self.sources.indices { self.sources[i].chunks.reserveCapacity(PktdumpRingReader.chunkLimit) }
    }

    /// Whether every ring has ended and everything it published was released.
    var isDone: Bool { sources.allSatisfy { $0.finished && !$0.hasRecord } }

    /// Takes what `reader` published.
    /// - Throws: The error that ended the reader's thread.
    mutating func collect(from reader: PktdumpRingReader) throws {
        let taken = reader.take(into: &sources[reader.index].chunks)
        sources[reader.index].watermark = taken.watermark
        sources[reader.index].finished = taken.finished
        if let failure = taken.failure { throw failure }
    }

    /// Releases every record that is due, oldest first: `body` gets each; written chunks go back to their reader.
    /// - Parameters:
    ///   - all: Release everything held (at the end of the run), watermarks aside.
    ///   - body: Writes one record; returns false to stop releasing (the count was reached).
    /// - Returns: false when `body` stopped it.
    mutating func release(all: Bool, readers: [PktdumpRingReader],
                          _ body: (KernelTimestamp, UnsafeRawBufferPointer, Int, PcapNGPacketFlags) throws -> Bool) rethrows -> Bool {
        releasing: while true {
            var oldest = -1
            var oldestTime = Int64.max
            for i in sources.indices where sources[i].hasRecord {
                let time = sources[i].nextTimestamp
                if oldest < 0 || time < oldestTime { oldest = i; oldestTime = time }
            }
            guard oldest >= 0 else { return true }
            // How far the oldest ring may run before another ring's record (or its unknown future) comes first.
            var bound = Int64.max
            for i in sources.indices where i != oldest {
                let source = sources[i]
                let limit = source.hasRecord ? source.nextTimestamp - (i < oldest ? 1 : 0)
                    : (source.finished || all ? Int64.max : source.watermark)
                bound = min(bound, limit)
            }
            guard oldestTime <= bound else { return true }
            var source = sources[oldest]
            sources[oldest] = Source()
            defer { sources[oldest] = source }
            // Chunk by chunk (one reference taken per chunk, not per record), record by record up to the bound.
            while source.hasRecord {
                let chunk = source.chunks[source.head]
                let used = chunk.used
                var offset = source.offset
                defer { source.offset = offset }
                while offset < used {
                    // Another ring's record (or its unknown future) comes first: pick the oldest again.
                    if chunk.timestamp(at: offset) > bound { continue releasing }
                    let record = chunk.record(at: offset)
                    guard try body(record.timestamp, record.bytes, record.originalLength, record.flags) else {
                        offset = record.next
                        return false
                    }
                    offset = record.next
                }
                readers[oldest].recycle(chunk)
                source.head += 1
                offset = 0
                if source.head == source.chunks.count {
                    source.chunks.removeAll(keepingCapacity: true)
                    source.head = 0
                }
            }
        }
    }

    /// Hands every chunk still held back to its reader (after the count was reached).
    mutating func discard(readers: [PktdumpRingReader]) {
        for i in sources.indices {
            for chunk in sources[i].chunks[sources[i].head...] { readers[i].recycle(chunk) }
            sources[i].chunks.removeAll(keepingCapacity: true)
            sources[i].head = 0
            sources[i].offset = 0
        }
    }
}
