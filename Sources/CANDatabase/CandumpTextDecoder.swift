#if canImport(Glibc)
import Glibc
#endif

/// `candump … | cantools decode db.dbc` as a library type: candump's text in (screen output or log lines, as
/// ``CandumpTextReader`` reads them), and for each line the line itself, ` ::` and its decoded message (or with
/// ``Output/json`` one object per frame), byte for byte what `cantools decode` prints. candecode-swift is this
/// type over stdin and stdout.
///
/// ```swift
/// var decoder = CandumpTextDecoder(database: db, output: .singleLine)
/// var text: [UInt8] = []
/// let consumed = decoder.decodeLines(in: block, to: &text)   // whole lines only; the rest waits for more
/// ```
///
/// Once its storage has grown to the longest line and message, decoding allocates nothing (nor does appending
/// to a buffer with room), except for two kinds of line: a frame whose multiplexer value selects no signals (its
/// error text is built as a String) and frame text in the rarer forms (`.` separators, a remote request's length),
/// which CANSocket's parser reads.
public struct CandumpTextDecoder: Sendable {
    /// What each input line becomes.
    public enum Output: Hashable, Sendable {
        /// `cantools decode`: the line, ` ::`, and the message on the lines after it.
        case text
        /// `cantools decode --single-line`: the message on the line.
        case singleLine
        /// One JSON object per frame (`id`, `extended`, `fd`, `len`, `data`, then ``SignalDecoder``'s `name`,
        /// `signals` and `labels`); lines that hold no frame give nothing.
        case json
    }

    public let output: Output
    /// The reader: its ``CandumpTextReader/format`` is fixed by the first frame line.
    public private(set) var reader = CandumpTextReader()
    private var fields = CandumpTextReader.Fields()
    private var decoder: SignalDecoder

    public init(database: SignalDatabase, output: Output = .text) {
        self.output = output
        decoder = SignalDecoder(database: database, singleLine: output == .singleLine)
        decoder.keepsValues = false
    }

    /// Decodes every whole line of `text` (each ended by `\n`) and appends what they become.
    /// - Returns: How many bytes of `text` it consumed: up to and with the last `\n`. The rest is the start of a
    ///   line to decode with the next block (or, at the end of the input, with ``decode(line:to:)``).
    public mutating func decodeLines(in text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Int {
        guard let base = text.baseAddress else { return 0 }
        var start = 0
        while start < text.count, let hit = memchr(base + start, 0x0A, text.count - start) {
            let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            decode(line: UnsafeBufferPointer(start: base + start, count: newline - start), to: &out)
            start = newline + 1
        }
        return start
    }

    /// Decodes one line (its `\r` and `\n` at either end are dropped, as cantools strips them) and appends what
    /// it becomes, with a line end.
    public mutating func decode(line raw: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var lo = 0, hi = raw.count
        while lo < hi && (raw[lo] == 0x0D || raw[lo] == 0x0A) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 0x0D || raw[hi - 1] == 0x0A) { hi -= 1 }
        let line = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        let kind = reader.read(line, into: &fields)
        if output == .json {
            if case .frame = kind { appendJSON(to: &out) }
            return
        }
        guard case .frame = kind else {
            out.append(contentsOf: line)
            out.append(0x0A)
            return
        }
        let rawID = fields.rawID
        fields.data.withUnsafeBytes { data in
            decoder.appendLine(line, rawID: rawID, data: UnsafeRawBufferPointer(rebasing: data[..<fields.count]), to: &out)
        }
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    private mutating func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":""#.utf8)
        let id = fields.id, extended = fields.isExtended
        for k in stride(from: (extended ? 8 : 3) - 1, through: 0, by: -1) { out.append(Self.upperHex[Int((id >> (4 * UInt32(k))) & 0xF)]) }
        out.append(contentsOf: (extended ? #"","extended":true"# : #"","extended":false"#).utf8)
        out.append(contentsOf: (fields.isFD ? #","fd":true"# : #","fd":false"#).utf8)
        out.append(contentsOf: #","len":"#.utf8)
        DecodedSignals.appendDecimal(Int64(fields.isRemote ? fields.remoteLength : fields.count), to: &out)
        out.append(contentsOf: #","data":""#.utf8)
        let rawID = fields.rawID
        fields.withUnsafeData { data in
            for byte in data { out.append(Self.upperHex[Int(byte >> 4)]); out.append(Self.upperHex[Int(byte & 0xF)]) }
            out.append(UInt8(ascii: "\""))
            decoder.appendJSONMembers(rawID: rawID, data: data, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }
}
