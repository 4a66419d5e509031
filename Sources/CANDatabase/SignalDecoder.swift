import CANSocket

/// Decodes frames with a database into reused storage and appends what `cantools decode` prints for them to a
/// byte buffer: the one formatter that `candecode-swift` and `candump-swift --dbc` share.
///
/// ```swift
/// var decoder = SignalDecoder(database: db, singleLine: true)
/// var line: [UInt8] = []
/// decoder.appendText(frame, unknownIDs: false, to: &line)   //  :: EngineData(EngineSpeed: 2104.5 rpm)
/// ```
///
/// Once its storage has grown to the largest message, decoding and printing a frame allocates nothing.
public struct SignalDecoder: Sendable {
    public let database: SignalDatabase
    /// `cantools decode --single-line`: the message on the frame's line.
    public var singleLine: Bool
    /// The signals of the last frame decoded (unless ``keepsValues`` is off).
    public private(set) var decoded = DecodedSignals()
    /// Whether ``appendText(_:unknownIDs:to:)`` leaves the frame's values in ``decoded``. Off, a message without
    /// multiplexers is decoded and printed in one pass, its values not stored: the same text, faster
    /// (candecode-swift).
    public var keepsValues = true
    /// Room for the longest message's text: it is written here through a pointer, then appended at once.
    private var scratch: [UInt8]
    /// Each message's one-pass plan (nil: the general path) and length, by message index, read without
    /// retaining anything per frame (the database keeps the plans alive).
    private let plans: [Unmanaged<TextPlan>?]
    private let lengths: [Int]

    public init(database: SignalDatabase, singleLine: Bool = false) {
        self.database = database
        self.singleLine = singleLine
        // Room for a line of up to `lineRoom` bytes before the text, and 16 bytes of slack: the fused path copies
        // names sixteen bytes at a time.
        scratch = [UInt8](repeating: 0, count: Self.lineRoom + 4 + 16 + database.messages.reduce(0) { max($0, $1.layout.textBound) })
        plans = database.messages.map { $0.layout.textPlan.map { Unmanaged.passUnretained($0) } }
        lengths = database.messages.map(\.length)
    }

    /// Appends what `cantools decode` prints after a frame's line: ` ::` and the decoded message (on new lines,
    /// or on this one with ``singleLine``), or ` :: Wrong data size: 4 instead of 8 bytes` (cantools wants the
    /// message's length exactly), or the reason a multiplexer value selects nothing. No line end.
    /// - Parameters:
    ///   - unknownIDs: For a frame the database has no message for: true appends cantools'
    ///     ` :: Unknown frame id 291 (0x123)`, false nothing.
    /// - Returns: Whether anything was appended.
    @discardableResult
    public mutating func appendText(_ frame: CANFrame, unknownIDs: Bool, to out: inout [UInt8]) -> Bool {
        frame.withUnsafeData { data in
            appendText(rawID: frame.rawID, data: data, unknownIDs: unknownIDs, to: &out)
        }
    }

    /// ``appendText(_:unknownIDs:to:)`` for a frame given as its kernel `can_id` word and its data bytes
    /// (none for a remote request); an error frame (`CAN_ERR_FLAG`) has no message.
    @discardableResult
    public mutating func appendText(rawID: UInt32, data: UnsafeRawBufferPointer, unknownIDs: Bool, to out: inout [UInt8]) -> Bool {
        guard let index = database.messageIndex(rawID: rawID) else {
            guard unknownIDs else { return false }
            let id = rawID & (rawID & CANFrame.extendedFlag != 0 ? CANID.extendedMax : CANID.standardMax)
            out.append(contentsOf: " :: Unknown frame id ".utf8)
            DecodedSignals.appendDecimal(Int64(id), to: &out)
            out.append(contentsOf: " (0x".utf8)
            Self.appendLowerHex(id, to: &out)
            out.append(UInt8(ascii: ")"))
            return true
        }
        // `cantools decode` wants exactly the message's length (its allow_excess is off).
        let length = lengths[index]
        guard data.count == length else {
            out.append(contentsOf: " :: Wrong data size: ".utf8)
            DecodedSignals.appendDecimal(Int64(data.count), to: &out)
            out.append(contentsOf: " instead of ".utf8)
            DecodedSignals.appendDecimal(Int64(length), to: &out)
            out.append(contentsOf: " bytes".utf8)
            return true
        }
        if !keepsValues, let plan = plans[index] {
            Self.writeFused(plan, data, singleLine: singleLine, after: nil, through: &scratch, to: &out)
            return true
        }
        // The message is used in place (a copy would retain each of its fields).
        do throws(SignalDecodeError) {
            try database.messages[index].decode(data: data, into: &decoded)
            Self.write(decoded, database.messages[index].layout, singleLine: singleLine, through: &scratch, to: &out)
        } catch {
            out.append(contentsOf: " :: ".utf8)
            out.append(contentsOf: error.description.utf8)
        }
        return true
    }

    /// The longest line ``appendLine(_:rawID:data:to:)`` writes through the scratch buffer with its text.
    private static let lineRoom = 160

    /// Appends `line`, what ``appendText(rawID:data:unknownIDs:to:)`` appends for its frame (unknown ids
    /// included) and a line end: `cantools decode`'s output for one input line. A message without multiplexers
    /// (with ``keepsValues`` off) is written with its line through one buffer and appended at once.
    public mutating func appendLine(_ line: UnsafeBufferPointer<UInt8>, rawID: UInt32, data: UnsafeRawBufferPointer,
                                    to out: inout [UInt8]) {
        if !keepsValues, line.count <= Self.lineRoom, let index = database.messageIndex(rawID: rawID),
           data.count == lengths[index], let plan = plans[index] {
            Self.writeFused(plan, data, singleLine: singleLine, after: line, through: &scratch, to: &out)
            return
        }
        out.append(contentsOf: line)
        appendText(rawID: rawID, data: data, unknownIDs: true, to: &out)
        out.append(0x0A)
    }

    /// Appends the JSON members of a frame's message, each after a comma:
    /// `,"name":"EngineData","signals":{"EngineSpeed":2104.5,"Gear":3},"labels":{"Gear":"Drive"}`, or
    /// `,"name":"EngineData","error":"…"` when the payload does not decode (shorter than the message; data
    /// beyond its length is ignored here). Nothing for an id the database has no message for.
    /// - Returns: Whether anything was appended.
    @discardableResult
    public mutating func appendJSONMembers(_ frame: CANFrame, to out: inout [UInt8]) -> Bool {
        frame.withUnsafeData { data in appendJSONMembers(rawID: frame.rawID, data: data, to: &out) }
    }

    /// ``appendJSONMembers(_:to:)`` for a frame given as its `can_id` word and data bytes.
    @discardableResult
    public mutating func appendJSONMembers(rawID: UInt32, data: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        guard let index = database.messageIndex(rawID: rawID) else { return false }
        do throws(SignalDecodeError) {
            try database.messages[index].decode(data: data, into: &decoded)
            out.append(UInt8(ascii: ","))
            decoded.appendJSONMembers(database.messages[index], to: &out)
        } catch {
            let message = database.messages[index]
            out.append(contentsOf: #","name":"#.utf8)
            DecodedSignals.appendJSONString(message.name, to: &out)
            out.append(contentsOf: #","error":"#.utf8)
            DecodedSignals.appendJSONString(error.description, to: &out)
        }
        return true
    }

    /// ` ::` and the decoded text written into `scratch`, then appended to `out` at once. (Static: `decoded` is
    /// read while `scratch` is written, without copying it.)
    @inline(__always)
    private static func write(_ decoded: DecodedSignals, _ layout: MessageLayout, singleLine: Bool,
                              through scratch: inout [UInt8], to out: inout [UInt8]) {
        scratch.withUnsafeMutableBufferPointer { room in
            let start = room.baseAddress!
            start[0] = UInt8(ascii: " "); start[1] = UInt8(ascii: ":"); start[2] = UInt8(ascii: ":")
            let n = 3 + decoded.writeText(layout, singleLine: singleLine, to: start + 3)
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: n))
        }
    }

    /// ` ::` and the text of a message without multiplexers, decoded and written in one pass
    /// (``TextPlan/writeDecodedText(_:singleLine:to:)``) into `scratch`, then appended at once. With a `line`
    /// (at most ``lineRoom`` bytes), the line before it and a line end after it.
    @inline(__always)
    private static func writeFused(_ plan: Unmanaged<TextPlan>, _ data: UnsafeRawBufferPointer, singleLine: Bool,
                                   after line: UnsafeBufferPointer<UInt8>?,
                                   through scratch: inout [UInt8], to out: inout [UInt8]) {
        // A zero-padded copy: every signal's bytes lie within 64, and an 8-byte load at any of them stays inside.
        var padded: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &padded) { buffer in
            if data.count > 0 { buffer.baseAddress!.copyMemory(from: data.baseAddress!, byteCount: min(data.count, 64)) }
            scratch.withUnsafeMutableBufferPointer { room in
                let start = room.baseAddress!
                var n = 0
                if let line, let base = line.baseAddress {
                    start.update(from: base, count: line.count)
                    n = line.count
                }
                start[n] = UInt8(ascii: " "); start[n + 1] = UInt8(ascii: ":"); start[n + 2] = UInt8(ascii: ":")
                n += 3
                n += plan._withUnsafeGuaranteedRef {
                    $0.writeDecodedText(UnsafeRawPointer(buffer.baseAddress!), singleLine: singleLine, to: start + n)
                }
                if line != nil { start[n] = 0x0A; n += 1 }
                out.append(contentsOf: UnsafeBufferPointer(start: start, count: n))
            }
        }
    }

    private static let lowerHex = Array("0123456789abcdef".utf8)

    /// Python's `hex()` digits: lowercase, no leading zeros.
    private static func appendLowerHex(_ value: UInt32, to out: inout [UInt8]) {
        var digits = 1
        while digits < 8 && value >> (4 * UInt32(digits)) != 0 { digits += 1 }
        for k in stride(from: digits - 1, through: 0, by: -1) { out.append(lowerHex[Int((value >> (4 * UInt32(k))) & 0xF)]) }
    }
}
