#if canImport(Glibc)
import Glibc
#endif
import CANSocket

/// Writes BLF as python-can's `BLFWriter` does: the 144-byte `LOGG` header, then zlib-compressed
/// `LOG_CONTAINER` objects of up to 128 KiB of objects each; classic and remote frames as `CAN_MESSAGE`,
/// CAN FD frames as `CAN_FD_MESSAGE`, error frames as `CAN_ERROR_EXT`, every object with a version 1 header
/// and a nanosecond timestamp relative to the file's start time.
///
/// The start time is the first frame's, cut to the millisecond (the header's `SYSTEMTIME` holds no more), so
/// every timestamp is kept to the nanosecond. Before 1990 python-can writes a zero start time and loses the
/// offset; here the start is then 0 and the timestamps are the offsets themselves, which python-can reads back.
/// The direction ` T` sets the object's Tx flag; anything else is written as received.
///
/// The file header carries the file's size and the object count, known only at the end: ``finish(to:)``
/// returns it to be written over the first 144 bytes.
public struct BLFWriter: Sendable {
    /// Channel numbers for the interfaces.
    public private(set) var channels: CANLogChannels
    let level: Int32
    var started = false
    var start: LogTime?
    var stop: LogTime?
    var startIsZero = false
    var objectCount: UInt32 = 0
    var uncompressedSize = UInt64(BLFObject.fileHeaderSize)
    var fileSize = UInt64(BLFObject.fileHeaderSize)
    var pending: [UInt8] = []

    /// - Parameters:
    ///   - compressionLevel: zlib's 0…9, or -1 for its default (python-can's default too); 0 stores the
    ///     containers uncompressed.
    public init(channels: CANLogChannels = CANLogChannels(), compressionLevel: Int32 = -1) {
        self.channels = channels
        self.level = compressionLevel
    }

    /// Appends one frame; compressed containers go to `output` as they fill (the placeholder header first).
    /// - Throws: ``CANLogError`` for a CAN XL frame: python-can's BLF writer has no CAN XL object (nor has this one).
    public mutating func append(_ line: CandumpLogLine, to output: inout [UInt8]) throws(CANLogError) {
        guard let frame = line.canFrame else { throw CANLogError.noXL(in: "BLF", line) }
        beginIfNeeded(&output)
        let time = LogTime(line.timestamp)
        if start == nil {
            startIsZero = time < Self.earliestStart
            start = startIsZero ? .zero : time.flooredToMilliseconds
        }
        stop = time
        let offset = Swift.max(0, (time - start!).nanoseconds)
        let channel = UInt16(truncatingIfNeeded: channels.channel(for: line.interface))
        let direction: UInt8 = line.direction == "T" ? BLFObject.transmitted : 0
        let idWord = (frame.rawID & CANFrame.errorMask) | (frame.isExtended ? BLFObject.extendedID : 0)

        var body: [UInt8] = []
        let type: UInt32
        if frame.isError {
            type = BLFObject.canErrorExt
            body.appendLittleEndian(channel)
            body.appendLittleEndian(UInt16(0))     // length
            body.appendLittleEndian(UInt32(0))     // flags
            body.append(contentsOf: [0, 0])        // ecc, position
            body.append(UInt8(Swift.min(frame.count, 8)))
            body.append(0)
            body.appendLittleEndian(UInt32(0))     // frame length
            body.appendLittleEndian(idWord)
            body.appendLittleEndian(UInt16(0))     // flags ext
            body.append(contentsOf: [0, 0])
            appendData(frame, size: 8, to: &body)
        } else if frame.isFD {
            type = BLFObject.canFDMessage
            var fdFlags = BLFObject.extendedDataLength
            if frame.fdFlags.contains(.bitRateSwitch) { fdFlags |= BLFObject.bitRateSwitch }
            if frame.fdFlags.contains(.errorStateIndicator) { fdFlags |= BLFObject.errorStateIndicator }
            body.appendLittleEndian(channel)
            body.append(direction)
            body.append(frame.dlc)
            body.appendLittleEndian(idWord)
            body.appendLittleEndian(UInt32(0))     // frame length
            body.append(0)                         // bit count
            body.append(fdFlags)
            body.append(UInt8(frame.count))
            body.append(contentsOf: [0, 0, 0, 0, 0])
            appendData(frame, size: 64, to: &body)
        } else {
            type = BLFObject.canMessage
            body.appendLittleEndian(channel)
            body.append(direction | (frame.isRemote ? BLFObject.remote : 0))
            body.append(frame.dlc)
            body.appendLittleEndian(idWord)
            appendData(frame, size: 8, to: &body)
        }
        let headerSize = BLFObject.baseHeaderSize + BLFObject.headerV1Size
        pending.append(contentsOf: BLFObject.objectSignature)
        pending.appendLittleEndian(UInt16(headerSize))
        pending.appendLittleEndian(UInt16(1))
        pending.appendLittleEndian(UInt32(headerSize + body.count))
        pending.appendLittleEndian(type)
        pending.appendLittleEndian(BLFObject.timeOneNanosecond)
        pending.appendLittleEndian(UInt16(0))      // client index
        pending.appendLittleEndian(UInt16(0))      // object version
        pending.appendLittleEndian(UInt64(offset))
        pending.append(contentsOf: body)
        // python-can pads an object by (body size % 4) bytes; none of these bodies needs any.
        pending.append(contentsOf: repeatElement(0, count: body.count % 4))
        objectCount += 1
        while pending.count >= BLFObject.containerCapacity { flushContainer(to: &output) }
    }

    /// Writes what is left and returns the final file header, for the caller to write over the first
    /// 144 bytes of the file (written as a placeholder by the first ``append(_:to:)``, or here).
    public mutating func finish(to output: inout [UInt8]) -> [UInt8] {
        beginIfNeeded(&output)
        while !pending.isEmpty { flushContainer(to: &output) }
        return header()
    }

    private mutating func beginIfNeeded(_ output: inout [UInt8]) {
        guard !started else { return }
        started = true
        output.append(contentsOf: header())
    }

    private func appendData(_ frame: CANFrame, size: Int, to body: inout [UInt8]) {
        var written = 0
        frame.withUnsafeData { data in
            body.append(contentsOf: data.prefix(size))
            written = Swift.min(data.count, size)
        }
        body.append(contentsOf: repeatElement(0, count: size - written))
    }

    private mutating func flushContainer(to output: inout [UInt8]) {
        let chunk = Array(pending.prefix(BLFObject.containerCapacity))
        pending.removeFirst(chunk.count)
        let method = level == 0 ? BLFObject.noCompression : BLFObject.zlibDeflate
        let data = level == 0 ? chunk : Zlib.compress(chunk, level: level)
        let size = BLFObject.baseHeaderSize + BLFObject.containerHeaderSize + data.count
        output.append(contentsOf: BLFObject.objectSignature)
        output.appendLittleEndian(UInt16(BLFObject.baseHeaderSize))
        output.appendLittleEndian(UInt16(1))
        output.appendLittleEndian(UInt32(size))
        output.appendLittleEndian(BLFObject.logContainer)
        output.appendLittleEndian(method)
        output.append(contentsOf: repeatElement(0, count: 6))
        output.appendLittleEndian(UInt32(chunk.count))
        output.append(contentsOf: repeatElement(0, count: 4))
        output.append(contentsOf: data)
        // python-can reads (object size % 4) padding bytes after an object in the file.
        output.append(contentsOf: repeatElement(0, count: size % 4))
        fileSize += UInt64(size + size % 4)
        uncompressedSize += UInt64(BLFObject.baseHeaderSize + BLFObject.containerHeaderSize + chunk.count)
    }

    /// The `LOGG` header: python-can's application id 5 and binlog version 2.6.8.1, sizes, counts, times.
    func header() -> [UInt8] {
        var header: [UInt8] = []
        header.append(contentsOf: BLFObject.fileSignature)
        header.appendLittleEndian(UInt32(BLFObject.fileHeaderSize))
        header.append(contentsOf: [5, 0, 0, 0, 2, 6, 8, 1])
        header.appendLittleEndian(fileSize)
        header.appendLittleEndian(uncompressedSize)
        header.appendLittleEndian(objectCount)
        header.appendLittleEndian(UInt32(0))
        Self.appendSystemTime(startIsZero ? nil : start, to: &header)
        Self.appendSystemTime(startIsZero ? nil : stop?.roundedToMilliseconds, to: &header)
        header.append(contentsOf: repeatElement(0, count: BLFObject.fileHeaderSize - header.count))
        return header
    }

    /// python-can's limit for a start time (1990-01-01): anything earlier is not taken for a Unix time.
    static let earliestStart = LogTime(seconds: 631_152_000)

    /// Windows' `SYSTEMTIME` in UTC: year, month, weekday (Sunday 0), day, hour, minute, second, milliseconds;
    /// all zero for no time.
    static func appendSystemTime(_ time: LogTime?, to buffer: inout [UInt8]) {
        guard let time, time >= earliestStart else {
            buffer.append(contentsOf: repeatElement(0, count: 16))
            return
        }
        let (whole, micros) = time.timeval
        let parts = WallClock.fields(ofSeconds: Int64(whole), utc: true)
        for field in [parts.year, parts.month, parts.weekday, parts.day, parts.hour, parts.minute, parts.second,
                      Int(micros / 1000)] {
            buffer.appendLittleEndian(UInt16(truncatingIfNeeded: field))
        }
    }
}
