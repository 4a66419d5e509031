import CANSocket

/// Reads BLF as python-can's `BLFReader` does: `LOG_CONTAINER` objects (stored or zlib-compressed, objects may
/// continue from one container into the next), and in them `CAN_MESSAGE`, `CAN_MESSAGE2`, `CAN_FD_MESSAGE`,
/// `CAN_FD_MESSAGE_64` and `CAN_ERROR_EXT` objects with version 1 or 2 headers and 10 µs or 1 ns timestamps.
/// Other object types (markers, statistics, other buses) are passed over.
///
/// A timestamp is the header's start time (UTC, to the millisecond) plus the object's offset, exact to the
/// nanosecond. Channel N becomes ``CANLogChannels/name(for:)`` (`can<N-1>` by default, where python-can says
/// channel N-1); the Tx flag becomes ` T`, else ` R`. Errors name the byte offset in the file.
public struct BLFReader: Sequence, IteratorProtocol {
    let bytes: [UInt8]
    let channels: CANLogChannels
    var position = 0
    var start = LogTime.zero
    /// Decompressed objects not yet read, and where they came from (for error offsets).
    var pending: [UInt8] = []
    var pendingIndex = 0
    var containerOffset = 0
    var stopped = false
    var begun = false

    public init(bytes: [UInt8], channels: CANLogChannels = CANLogChannels()) {
        self.bytes = bytes
        self.channels = channels
    }

    public mutating func next() -> Result<CandumpLogLine, CANLogError>? {
        guard !stopped else { return nil }
        do {
            if !begun { try readHeader() }
            while true {
                if let line = try nextObject() { return .success(line) }
                guard try nextContainer() else {
                    stopped = true
                    let rest = pending[pendingIndex...]
                    if rest.contains(where: { $0 != 0 }) {
                        return .failure(CANLogError("the file ends inside an object (\(rest.count) bytes left over)",
                                                    offset: containerOffset))
                    }
                    return nil
                }
            }
        } catch {
            stopped = true
            return .failure(error)
        }
    }

    mutating func readHeader() throws(CANLogError) {
        begun = true
        let all = bytes[...]
        guard bytes.count >= 72, Array(bytes[0..<4]) == BLFObject.fileSignature,
              let headerSize = all.littleEndian(UInt32.self, at: 4) else {
            throw CANLogError("not a BLF file (no 'LOGG' header)", offset: 0)
        }
        guard Int(headerSize) >= 72, Int(headerSize) <= bytes.count else {
            throw CANLogError("file header size \(headerSize) does not fit the file", offset: 4)
        }
        var fields: [Int] = []
        for i in 0..<8 { fields.append(Int(all.littleEndian(UInt16.self, at: 40 + 2 * i)!)) }
        start = Self.timestamp(systemTime: fields)
        position = Int(headerSize)
    }

    /// Decompresses the next container into `pending`; false at the end of the file.
    mutating func nextContainer() throws(CANLogError) -> Bool {
        while position + BLFObject.baseHeaderSize <= bytes.count {
            let offset = position
            let object = bytes[offset...]
            guard Array(object.prefix(4)) == BLFObject.objectSignature else {
                throw CANLogError("expected an object ('LOBJ')", offset: offset)
            }
            let headerSize = Int(object.littleEndian(UInt16.self, at: 4)!)
            let size = Int(object.littleEndian(UInt32.self, at: 8)!)
            let type = object.littleEndian(UInt32.self, at: 12)!
            guard size >= BLFObject.baseHeaderSize, offset + size <= bytes.count else {
                throw CANLogError("object of \(size) bytes runs past the end of the file", offset: offset + 8)
            }
            guard headerSize >= BLFObject.baseHeaderSize, headerSize <= size else {
                throw CANLogError("object header size \(headerSize) does not fit its object of \(size) bytes", offset: offset + 4)
            }
            position = offset + size + size % 4
            guard type == BLFObject.logContainer else { continue }
            let body = bytes[(offset + headerSize)..<(offset + size)]
            guard let method = body.littleEndian(UInt16.self, at: 0),
                  let expected = body.littleEndian(UInt32.self, at: 8) else {
                throw CANLogError("log container too short", offset: offset)
            }
            let data = body.dropFirst(BLFObject.containerHeaderSize)
            var objects: [UInt8]
            switch method {
            case BLFObject.noCompression: objects = Array(data)
            case BLFObject.zlibDeflate:
                // A size no zlib stream of this length inflates to is refused before room is made for it.
                guard Int(expected) <= Zlib.maximumInflatedSize(of: data.count) else {
                    throw CANLogError("log container declares \(expected) bytes uncompressed, more than its \(data.count) compressed bytes can hold",
                                      offset: offset + headerSize + 8)
                }
                guard let inflated = Zlib.uncompress(data, expected: Int(expected)) else {
                    throw CANLogError("log container does not inflate to its \(expected) bytes", offset: offset)
                }
                objects = inflated
            default:
                throw CANLogError("unknown compression method \(method)", offset: offset + headerSize)
            }
            pending = Array(pending[pendingIndex...]) + objects
            pendingIndex = 0
            containerOffset = offset
            return true
        }
        return false
    }

    /// The next CAN object in `pending`; nil when more data is needed.
    mutating func nextObject() throws(CANLogError) -> CandumpLogLine? {
        while true {
            let data = pending[pendingIndex...]
            // Objects are padded; python-can looks for the next signature within 8 bytes.
            guard data.count >= BLFObject.baseHeaderSize else { return nil }
            var skip = 0
            while skip < 8, skip + 4 <= data.count, Array(data.dropFirst(skip).prefix(4)) != BLFObject.objectSignature { skip += 1 }
            guard skip + 4 <= data.count, Array(data.dropFirst(skip).prefix(4)) == BLFObject.objectSignature else {
                if data.count < 12 { return nil }
                throw CANLogError("expected an object ('LOBJ') in the log container", offset: containerOffset)
            }
            let object = data.dropFirst(skip)
            guard object.count >= BLFObject.baseHeaderSize else { return nil }
            let headerSize = Int(object.littleEndian(UInt16.self, at: 4)!)
            let version = object.littleEndian(UInt16.self, at: 6)!
            let size = Int(object.littleEndian(UInt32.self, at: 8)!)
            let type = object.littleEndian(UInt32.self, at: 12)!
            guard size >= headerSize, headerSize >= BLFObject.baseHeaderSize else {
                throw CANLogError("object size \(size) is smaller than its header (\(headerSize))", offset: containerOffset)
            }
            guard object.count >= size else { return nil }   // continues in the next container
            pendingIndex = object.startIndex + size
            // Version 1 and 2 headers both have the flags at 16 and the timestamp at 24.
            guard version == 1 || version == 2 else { continue }
            let needed = BLFObject.baseHeaderSize + (version == 1 ? BLFObject.headerV1Size : BLFObject.headerV2Size)
            guard headerSize >= needed else {
                throw CANLogError("object header of \(headerSize) bytes is too short for version \(version)", offset: containerOffset)
            }
            let flags = object.littleEndian(UInt32.self, at: 16)!
            let offset = object.littleEndian(UInt64.self, at: 24)!
            let body = object.dropFirst(headerSize).prefix(size - headerSize)
            let nanos = flags == BLFObject.timeTenMicroseconds ? offset &* 10_000 : offset
            guard nanos <= UInt64(Int64.max), let time = start.adding(LogTime(nanoseconds: Int64(nanos))) else {
                throw CANLogError("object timestamp \(offset) is beyond the year 2262", offset: containerOffset)
            }
            if let line = try decode(type: type, body: body, time: time.timestamp) { return line }
        }
    }

    func decode(type: UInt32, body: ArraySlice<UInt8>, time: KernelTimestamp) throws(CANLogError) -> CandumpLogLine? {
        func short() -> CANLogError { CANLogError("object type \(type) too short (\(body.count) bytes)", offset: containerOffset) }
        func id(_ word: UInt32) throws(CANLogError) -> CANID {
            do {
                return word & BLFObject.extendedID != 0 ? try CANID(extended: word & CANFrame.errorMask)
                    : try CANID(standard: word & CANFrame.errorMask)
            } catch {
                throw CANLogError("\(error)", offset: containerOffset)
            }
        }
        func bytes(_ start: Int, _ count: Int) -> [UInt8] { Array(body.dropFirst(start).prefix(count)) }
        do {
            switch type {
            case BLFObject.canMessage, BLFObject.canMessage2:
                guard body.count >= BLFObject.canMessageSize else { throw short() }
                let channel = Int(body.littleEndian(UInt16.self, at: 0)!)
                let flags = body[body.startIndex + 2]
                let dlc = body[body.startIndex + 3]
                let canID = try id(body.littleEndian(UInt32.self, at: 4)!)
                let frame: CANFrame
                if flags & BLFObject.remote != 0 {
                    frame = try CANFrame(remote: canID, length: Int(Swift.min(dlc, 8)), len8DLC: dlc > 8 ? dlc : nil)
                } else {
                    frame = try CANFrame(id: canID, data: bytes(8, Int(Swift.min(dlc, 8))), len8DLC: dlc > 8 ? dlc : nil)
                }
                return line(time, channel, frame, flags & BLFObject.transmitted != 0)
            case BLFObject.canFDMessage:
                guard body.count >= BLFObject.canFDMessageSize else { throw short() }
                let channel = Int(body.littleEndian(UInt16.self, at: 0)!)
                let flags = body[body.startIndex + 2]
                let dlc = body[body.startIndex + 3]
                let canID = try id(body.littleEndian(UInt32.self, at: 4)!)
                let fdFlags = body[body.startIndex + 13]
                let valid = Int(body[body.startIndex + 14])
                let frame: CANFrame
                if fdFlags & BLFObject.extendedDataLength != 0 {
                    var flagSet: CANFDFlags = []
                    if fdFlags & BLFObject.bitRateSwitch != 0 { flagSet.insert(.bitRateSwitch) }
                    if fdFlags & BLFObject.errorStateIndicator != 0 { flagSet.insert(.errorStateIndicator) }
                    frame = try CANFrame(fd: canID, data: bytes(20, Swift.min(valid, 64)), flags: flagSet)
                } else if flags & BLFObject.remote != 0 {
                    frame = try CANFrame(remote: canID, length: Int(Swift.min(dlc, 8)), len8DLC: dlc > 8 ? dlc : nil)
                } else {
                    frame = try CANFrame(id: canID, data: bytes(20, Swift.min(valid, 8)), len8DLC: dlc > 8 && valid >= 8 ? dlc : nil)
                }
                return line(time, channel, frame, flags & BLFObject.transmitted != 0)
            case BLFObject.canFDMessage64:
                guard body.count >= BLFObject.canFDMessage64Size else { throw short() }
                let channel = Int(body[body.startIndex])
                let dlc = body[body.startIndex + 1]
                let valid = Int(body[body.startIndex + 2])
                let canID = try id(body.littleEndian(UInt32.self, at: 4)!)
                let flags = body.littleEndian(UInt32.self, at: 12)!
                let direction = body[body.startIndex + 34]
                // python-can (issue 1905): fewer bytes than `valid` may be stored; the rest reads as zeros.
                var data = bytes(BLFObject.canFDMessage64Size, valid)
                data += repeatElement(0, count: valid - data.count)
                let frame: CANFrame
                if flags & BLFObject.fd64ExtendedDataLength != 0 {
                    var flagSet: CANFDFlags = []
                    if flags & BLFObject.fd64BitRateSwitch != 0 { flagSet.insert(.bitRateSwitch) }
                    if flags & BLFObject.fd64ErrorStateIndicator != 0 { flagSet.insert(.errorStateIndicator) }
                    frame = try CANFrame(fd: canID, data: data.prefix(64), flags: flagSet)
                } else if flags & BLFObject.fd64Remote != 0 {
                    frame = try CANFrame(remote: canID, length: Int(Swift.min(dlc, 8)), len8DLC: dlc > 8 ? dlc : nil)
                } else {
                    frame = try CANFrame(id: canID, data: data.prefix(8), len8DLC: dlc > 8 && valid >= 8 ? dlc : nil)
                }
                return line(time, channel, frame, direction != 0)
            case BLFObject.canErrorExt:
                guard body.count >= BLFObject.canErrorExtSize else { throw short() }
                let channel = Int(body.littleEndian(UInt16.self, at: 0)!)
                let dlc = Int(Swift.min(body[body.startIndex + 10], 8))
                let word = body.littleEndian(UInt32.self, at: 16)!
                let frame = try CANFrame(errorClass: word & CANFrame.errorMask, data: bytes(24, dlc))
                return CandumpLogLine(timestamp: time, interface: channels.name(for: channel), frame: frame)
            default:
                return nil
            }
        } catch let error as CANLogError {
            throw error
        } catch {
            throw CANLogError("\(error)", offset: containerOffset)
        }
    }

    func line(_ time: KernelTimestamp, _ channel: Int, _ frame: CANFrame, _ transmitted: Bool) -> CandumpLogLine {
        CandumpLogLine(timestamp: time, interface: channels.name(for: channel), frame: frame,
                       direction: transmitted ? "T" : "R")
    }

    /// A UTC `SYSTEMTIME` (year, month, weekday, day, hour, minute, second, ms); 0 when it is all zero.
    static func timestamp(systemTime f: [Int]) -> LogTime {
        // Out of range reads as no start time, as python-can's datetime() failing does.
        guard (1970...2261).contains(f[0]), (1...12).contains(f[1]), (1...31).contains(f[3]), f[4] < 24, f[5] < 60,
              f[6] < 61 else { return .zero }
        let seconds = WallClock.seconds(year: f[0], month: f[1], day: f[3], hour: f[4], minute: f[5], second: f[6], utc: true)
        return LogTime(seconds: seconds, nanoseconds: Int64(Swift.min(f[7], 999)) * 1_000_000)
    }
}
