import CANSocket

/// Reads a log in any of the formats: the frames, in file order, each a ``CandumpLogLine`` (timestamp,
/// interface, frame, direction), or the error that says where reading stopped.
public struct CANLogReader: Sequence {
    let bytes: [UInt8]
    let format: CANLogFormat
    let channels: CANLogChannels
    let file: String?

    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - channels: Names for ASC and BLF channel numbers (channel 1 is the first; unnamed channel N reads
    ///     as `can<N-1>`).
    ///   - file: The name errors give.
    public init(bytes: [UInt8], format: CANLogFormat, channels: CANLogChannels = CANLogChannels(), file: String? = nil) {
        self.bytes = bytes
        self.format = format
        self.channels = channels
        self.file = file
    }

    public struct Iterator: IteratorProtocol {
        enum Inner {
            case candump(CandumpLogReader.Iterator)
            case asc(ASCReader)
            case blf(BLFReader)
        }
        var inner: Inner
        let file: String?

        /// The 1-based line the last frame came from, in the text formats (candump log, ASC); nil for BLF.
        public var line: Int? {
            switch inner {
            case .candump(let iterator): iterator.lineNumber
            case .asc(let reader): reader.lineNumber
            case .blf: nil
            }
        }

        public mutating func next() -> Result<CandumpLogLine, CANLogError>? {
            let result: Result<CandumpLogLine, CANLogError>?
            switch inner {
            case .candump(var iterator):
                inner = .asc(ASCReader(bytes: []))   // no second reference while it runs
                result = iterator.next().map { $0.mapError { CANLogError($0) } }
                inner = .candump(iterator)
            case .asc(var iterator):
                inner = .candump(CandumpLogReader(text: "").makeIterator())
                result = iterator.next()
                inner = .asc(iterator)
            case .blf(var iterator):
                inner = .candump(CandumpLogReader(text: "").makeIterator())
                result = iterator.next()
                inner = .blf(iterator)
            }
            guard let file else { return result }
            return result.map { $0.mapError { $0.inFile(file) } }
        }
    }

    public func makeIterator() -> Iterator {
        switch format {
        case .candump:
            return Iterator(inner: .candump(CandumpLogReader(text: String(decoding: bytes, as: UTF8.self)).makeIterator()), file: file)
        case .asc:
            return Iterator(inner: .asc(ASCReader(bytes: bytes, channels: channels)), file: file)
        case .blf:
            return Iterator(inner: .blf(BLFReader(bytes: bytes, channels: channels)), file: file)
        }
    }
}
