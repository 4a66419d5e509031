import CANSocket

/// Reads the DBC format into a ``SignalDatabase``: `VERSION`, `NS_`, `BS_`, `BU_`, `VAL_TABLE_`, `BO_`/`SG_`,
/// `BO_TX_BU_`, `CM_`, `BA_DEF_`/`BA_DEF_DEF_`/`BA_`, `VAL_`, `SIG_VALTYPE_`, `SG_MUL_VAL_`, `SIG_GROUP_`.
/// Other statements (`EV_`, `BA_REL_`, `SGTYPE_`, …) are skipped to their `;`.
///
/// Multiplexing, choices, float types and the frame format follow cantools' reading of the same statements.
struct DBCParser {
    private let tokens: [DBCToken]
    private var position = 0
    private let endLine: Int

    /// Statement keywords: a list (node names, receivers) ends where one begins.
    static let keywords: Set<String> = [
        "BA_", "BA_DEF_", "BA_DEF_DEF_", "BA_DEF_DEF_REL_", "BA_DEF_REL_", "BA_DEF_SGTYPE_", "BA_REL_", "BA_SGTYPE_",
        "BO_", "BO_TX_BU_", "BS_", "BU_", "BU_BO_REL_", "BU_EV_REL_", "BU_SG_REL_", "CAT_", "CAT_DEF_", "CM_",
        "ENVVAR_DATA_", "EV_", "EV_DATA_", "FILTER", "NS_", "NS_DESC_", "SG_", "SG_MUL_VAL_", "SGTYPE_", "SGTYPE_VAL_",
        "SIG_GROUP_", "SIG_TYPE_REF_", "SIG_VALTYPE_", "SIGTYPE_VALTYPE_", "VAL_", "VAL_TABLE_", "VERSION",
    ]

    // What the statements say, gathered before the messages are built.
    private struct RawSignal {
        var name: String
        var muxMarker: String?
        var start: Int, length: Int, bigEndian: Bool, signed: Bool
        var factor: String, offset: String, minimum: String, maximum: String
        var unit: String, receivers: [String]
    }
    private struct RawMessage {
        var dbcID: UInt32, name: String, length: Int, sender: String, signals: [RawSignal]
        var line: Int, column: Int
    }
    private var messages: [RawMessage] = []
    private var version: String?
    private var nodes: [String] = []
    private var valueTables: [String: [(Int128, String)]] = [:]
    private var extraSenders: [UInt32: [String]] = [:]
    private var messageComments: [UInt32: String] = [:]
    private var signalComments: [UInt32: [String: String]] = [:]
    private var nodeComments: [String: String] = [:]
    private var databaseComment: String?
    private var attributeTypes: [String: (kind: String?, type: String, choices: [String])] = [:]
    private var attributeDefaults: [String: AttributeValue] = [:]
    private var messageAttributes: [UInt32: [String: AttributeValue]] = [:]
    private var signalAttributes: [UInt32: [String: [String: AttributeValue]]] = [:]
    private var databaseAttributes: [String: AttributeValue] = [:]
    private var choices: [UInt32: [String: [(Int128, String)]]] = [:]
    private var valueTypes: [UInt32: [String: Int]] = [:]
    private var muxValues: [UInt32: [String: [String: [Int128]]]] = [:]  // id → multiplexer → signal → ids
    private var signalGroups: [UInt32: [(String, [String])]] = [:]

    init(tokens: [DBCToken]) {
        self.tokens = tokens
        endLine = (tokens.last?.line ?? 0) + 1
    }

    // MARK: Token access

    private var atEnd: Bool { position >= tokens.count }
    private var current: DBCToken? { position < tokens.count ? tokens[position] : nil }
    private func peek(_ ahead: Int = 0) -> DBCToken? { position + ahead < tokens.count ? tokens[position + ahead] : nil }

    private func error(_ expected: String) -> DBCParseError {
        guard let token = current else { return DBCParseError("expected \(expected), found the end of the file", line: endLine, column: 1) }
        let shown = token.kind == .string ? "a string" : "'\(token.text.prefix(40))'"
        return DBCParseError("expected \(expected), found \(shown)", line: token.line, column: token.column)
    }

    private mutating func expect(_ punctuation: String, _ what: String) throws(DBCParseError) {
        guard let t = current, t.kind == .punctuation, t.text == punctuation else { throw error("'\(punctuation)' \(what)") }
        position += 1
    }

    private mutating func accept(_ punctuation: String) -> Bool {
        if let t = current, t.kind == .punctuation, t.text == punctuation { position += 1; return true }
        return false
    }

    private mutating func word(_ what: String) throws(DBCParseError) -> String {
        guard let t = current, t.kind == .word else { throw error(what) }
        position += 1
        return t.text
    }

    /// A name: a word, or a number-looking name such as `2017_5`'s parts are not accepted (a word it is).
    private mutating func string(_ what: String) throws(DBCParseError) -> String {
        guard let t = current, t.kind == .string else { throw error(what) }
        position += 1
        return t.text
    }

    private mutating func numberText(_ what: String) throws(DBCParseError) -> String {
        // A sign the lexer left alone ("- 3") joins the number after it.
        if let t = current, t.kind == .punctuation, t.text == "-" || t.text == "+", let n = peek(1), n.kind == .number,
           !n.text.hasPrefix("-"), !n.text.hasPrefix("+") {
            position += 2
            return t.text + n.text
        }
        guard let t = current, t.kind == .number else { throw error(what) }
        position += 1
        return t.text
    }

    private mutating func integer(_ what: String) throws(DBCParseError) -> Int128 {
        let start = current
        let text = try numberText(what)
        if let v = Int128(text) { return v }
        if let v = Int128(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return v }
        // cantools' int() would fail on "1.0"; accept a whole-valued float.
        if let d = Double(text), d == d.rounded(), abs(d) < 1e30 { return Int128(d) }
        throw DBCParseError("expected \(what), found '\(text)'", line: start?.line ?? endLine, column: start?.column ?? 1)
    }

    private mutating func smallInteger(_ what: String, in range: ClosedRange<Int128>) throws(DBCParseError) -> Int {
        let start = current
        let v = try integer(what)
        guard range.contains(v) else {
            throw DBCParseError("\(what) \(v) is out of range \(range.lowerBound)...\(range.upperBound)",
                                line: start?.line ?? endLine, column: start?.column ?? 1)
        }
        return Int(v)
    }

    private mutating func dbcID() throws(DBCParseError) -> UInt32 {
        UInt32(try smallInteger("a message id", in: 0...0xFFFF_FFFF))
    }

    private func isKeyword(_ t: DBCToken?) -> Bool {
        guard let t, t.kind == .word else { return false }
        return Self.keywords.contains(t.text)
    }

    /// Skips to after the next `;` (a statement this parser does not model).
    private mutating func skipStatement() {
        while let t = current {
            position += 1
            if t.kind == .punctuation && t.text == ";" { return }
        }
    }

    // MARK: Statements

    mutating func parse() throws(DBCParseError) -> SignalDatabase {
        while let t = current {
            guard t.kind == .word else { throw error("a statement keyword such as BO_ or CM_") }
            position += 1
            switch t.text {
            case "VERSION": version = try string("the version string after VERSION")
            case "NS_":
                try expect(":", "after NS_")
                // The new-symbols list runs until a token followed by ':' (the next section, `BS_:`).
                while let n = current, !(peek(1).map { $0.kind == .punctuation && $0.text == ":" } ?? false) || n.kind != .word {
                    position += 1
                }
            case "BS_":
                try expect(":", "after BS_")
                while let n = current, !isKeyword(n) { position += 1 }
            case "BU_":
                try expect(":", "after BU_")
                while let n = current, n.kind == .word, !isKeyword(n) { nodes.append(n.text); position += 1 }
            case "VAL_TABLE_":
                let name = try word("a value table name")
                valueTables[name] = try valuePairs()
                try expect(";", "after the value table")
            case "BO_": try parseMessage()
            case "BO_TX_BU_":
                let id = try dbcID()
                try expect(":", "after the message id")
                var senders = [try word("a sender node")]
                while accept(",") { senders.append(try word("a sender node")) }
                extraSenders[id, default: []] += senders
                try expect(";", "after the senders")
            case "CM_": try parseComment()
            case "BA_DEF_": try parseAttributeDefinition()
            case "BA_DEF_DEF_":
                let name = try string("the attribute name")
                attributeDefaults[name] = try attributeValue()
                try expect(";", "after the attribute default")
            case "BA_": try parseAttribute()
            case "VAL_":
                if let n = current, n.kind == .number {
                    let id = try dbcID()
                    let signal = try word("a signal name")
                    let pairs = try valuePairs()
                    if !pairs.isEmpty { choices[id, default: [:]][signal] = pairs }
                } else {
                    _ = try word("an environment variable name")
                    _ = try valuePairs()
                }
                try expect(";", "after the value descriptions")
            case "SIG_VALTYPE_":
                let id = try dbcID()
                let signal = try word("a signal name")
                _ = accept(":")
                let type = try smallInteger("a signal value type (0, 1 or 2)", in: 0...3)
                valueTypes[id, default: [:]][signal] = type
                try expect(";", "after the signal value type")
            case "SG_MUL_VAL_":
                let id = try dbcID()
                let signal = try word("a signal name")
                let multiplexer = try word("a multiplexer signal name")
                var ids: [Int128] = []
                repeat {
                    let lower = try integer("a multiplexer range start")
                    let upperText = try numberText("a multiplexer range end such as -3")
                    var upperDigits = Substring(upperText)
                    if upperDigits.first == "-" { upperDigits = upperDigits.dropFirst() }
                    guard let upper = Int128(upperDigits), upper >= lower, upper - lower < 1 << 20 else {
                        throw error("a multiplexer range lower-upper with at most 2^20 values")
                    }
                    ids.append(contentsOf: lower...upper)
                } while accept(",")
                muxValues[id, default: [:]][multiplexer, default: [:]][signal] = ids
                try expect(";", "after the multiplexer ranges")
            case "SIG_GROUP_":
                let id = try dbcID()
                let name = try word("a signal group name")
                _ = try integer("the repetitions")
                try expect(":", "after the repetitions")
                var members: [String] = []
                while let n = current, n.kind == .word { members.append(n.text); position += 1; _ = accept(",") }
                signalGroups[id, default: []].append((name, members))
                try expect(";", "after the signal group")
            case "SG_":
                throw DBCParseError("SG_ outside a message (it must follow a BO_ line)", line: t.line, column: t.column)
            default:
                // EV_, ENVVAR_DATA_, BA_DEF_REL_, BA_REL_, BA_DEF_DEF_REL_, SGTYPE_, CAT_, FILTER, …
                guard Self.keywords.contains(t.text) else {
                    throw DBCParseError("unknown statement '\(t.text.prefix(40))'", line: t.line, column: t.column)
                }
                skipStatement()
            }
        }
        return try build()
    }

    private mutating func valuePairs() throws(DBCParseError) -> [(Int128, String)] {
        var pairs: [(Int128, String)] = []
        while let t = current, t.kind == .number || (t.kind == .punctuation && (t.text == "-" || t.text == "+")) {
            let value = try integer("a value")
            pairs.append((value, try string("the value's description string")))
        }
        return pairs
    }

    private mutating func parseMessage() throws(DBCParseError) {
        let start = current
        let id = try dbcID()
        let name = try word("a message name")
        try expect(":", "after the message name")
        let length = try smallInteger("the message length", in: 0...64)
        let sender = try word("the sending node")
        var signals: [RawSignal] = []
        while let t = current, t.kind == .word, t.text == "SG_" {
            position += 1
            signals.append(try parseSignal())
        }
        messages.append(RawMessage(dbcID: id, name: name, length: length, sender: sender, signals: signals,
                                   line: start?.line ?? endLine, column: start?.column ?? 1))
    }

    private mutating func parseSignal() throws(DBCParseError) -> RawSignal {
        let name = try word("a signal name")
        var marker: String?
        if let t = current, t.kind == .word {
            marker = t.text
            position += 1
            guard t.text == "M" || (t.text.hasPrefix("m") && t.text.count > 1
                                    && t.text.dropFirst().dropLast(t.text.hasSuffix("M") ? 1 : 0).allSatisfy(\.isASCIIDigit)
                                    && t.text.count > (t.text.hasSuffix("M") ? 2 : 1)) else {
                throw DBCParseError("expected a multiplexer marker M, mN or mNM, found '\(t.text.prefix(40))'",
                                    line: t.line, column: t.column)
            }
        }
        try expect(":", "after the signal name")
        let startBit = try smallInteger("the start bit", in: 0...511)
        try expect("|", "after the start bit")
        let length = try smallInteger("the signal length", in: 1...64)
        try expect("@", "after the signal length")
        let orderToken = current
        let order = try numberText("the byte order 0 or 1 after '@'")
        // "@1+" lexes as the number "1" then "+"; "@0-" likewise.
        guard order == "0" || order == "1" else {
            throw DBCParseError("expected the byte order 0 or 1, found '\(order)'", line: orderToken?.line ?? endLine, column: orderToken?.column ?? 1)
        }
        guard let sign = current, sign.kind == .punctuation, sign.text == "+" || sign.text == "-" else {
            throw error("the sign '+' or '-' after the byte order")
        }
        position += 1
        try expect("(", "before the factor")
        let factor = try numberText("the factor")
        try expect(",", "after the factor")
        let offset = try numberText("the offset")
        try expect(")", "after the offset")
        try expect("[", "before the minimum")
        let minimum = try numberText("the minimum")
        try expect("|", "after the minimum")
        let maximum = try numberText("the maximum")
        try expect("]", "after the maximum")
        let unit = try string("the unit string")
        var receivers: [String] = []
        if let t = current, t.kind == .word, !isKeyword(t) {
            receivers.append(t.text); position += 1
            while accept(",") { receivers.append(try word("a receiving node after ','")) }
        }
        let bigEndian = order == "0"
        // The bits must lie within 64 bytes (CAN FD's largest payload).
        let last = bigEndian ? 8 * (startBit / 8) + (7 - startBit % 8) + length : startBit + length
        guard last <= 512 else {
            throw DBCParseError("signal \(name) ends beyond 64 bytes", line: orderToken?.line ?? endLine, column: 1)
        }
        return RawSignal(name: name, muxMarker: marker, start: startBit, length: length, bigEndian: bigEndian,
                         signed: sign.text == "-", factor: factor, offset: offset, minimum: minimum, maximum: maximum,
                         unit: unit, receivers: receivers)
    }

    private mutating func parseComment() throws(DBCParseError) {
        if let t = current, t.kind == .word {
            position += 1
            switch t.text {
            case "BU_":
                let node = try word("a node name")
                nodeComments[node] = try string("the comment string")
            case "BO_":
                let id = try dbcID()
                messageComments[id] = try string("the comment string")
            case "SG_":
                let id = try dbcID()
                let signal = try word("a signal name")
                signalComments[id, default: [:]][signal] = try string("the comment string")
            case "EV_":
                _ = try word("an environment variable name")
                _ = try string("the comment string")
            default:
                position -= 1
                throw error("BU_, BO_, SG_, EV_ or a string after CM_")
            }
        } else {
            databaseComment = try string("BU_, BO_, SG_, EV_ or a string after CM_")
        }
        try expect(";", "after the comment")
    }

    private mutating func parseAttributeDefinition() throws(DBCParseError) {
        var kind: String?
        if let t = current, t.kind == .word, ["BU_", "BO_", "SG_", "EV_"].contains(t.text) { kind = t.text; position += 1 }
        let name = try string("the attribute name")
        let type = try word("the attribute type (INT, HEX, FLOAT, STRING, ENUM)")
        var enumChoices: [String] = []
        if type == "ENUM" {
            if let t = current, t.kind == .string {
                enumChoices.append(try string("an enum value"))
                while accept(",") { enumChoices.append(try string("an enum value")) }
            }
        } else {
            while let t = current, t.kind == .number || t.kind == .punctuation && t.text != ";" { position += 1 }
        }
        attributeTypes[name] = (kind, type, enumChoices)
        try expect(";", "after the attribute definition")
    }

    private mutating func attributeValue() throws(DBCParseError) -> AttributeValue {
        if let t = current, t.kind == .string { position += 1; return .string(t.text) }
        let start = current
        let text = try numberText("a number or a string")
        guard let value = Double(text) else {
            throw DBCParseError("expected a number, found '\(text)'", line: start?.line ?? endLine, column: start?.column ?? 1)
        }
        return .number(value)
    }

    private mutating func parseAttribute() throws(DBCParseError) {
        let name = try string("the attribute name")
        if let t = current, t.kind == .word {
            position += 1
            switch t.text {
            case "BO_":
                let id = try dbcID()
                messageAttributes[id, default: [:]][name] = try attributeValue()
            case "SG_":
                let id = try dbcID()
                let signal = try word("a signal name")
                signalAttributes[id, default: [:]][signal, default: [:]][name] = try attributeValue()
            case "BU_", "EV_":
                _ = try word("a name")
                _ = try attributeValue()
            default:
                position -= 1
                throw error("BO_, SG_, BU_, EV_ or a value")
            }
        } else {
            databaseAttributes[name] = try attributeValue()
        }
        try expect(";", "after the attribute")
    }

    // MARK: Building the database

    private func number(_ text: String) -> Double { Double(text) ?? .nan }

    /// `VFrameFormat` names the frame format by an enum index (or, as an INT attribute, by the standard index).
    private func frameFormat(_ id: UInt32) -> String? {
        guard let definition = attributeTypes["VFrameFormat"] else { return nil }
        let standard = ["StandardCAN", "ExtendedCAN", "reserved", "J1939PG", "reserved", "reserved", "reserved", "reserved",
                        "reserved", "reserved", "reserved", "reserved", "reserved", "reserved", "StandardCAN_FD", "ExtendedCAN_FD"]
        let names = definition.type == "ENUM" ? definition.choices : standard
        func name(_ value: AttributeValue) -> String? {
            switch value {
            case .number(let n): return n >= 0 && n < Double(names.count) ? names[Int(n)] : nil
            case .string(let s): return s
            }
        }
        if let value = messageAttributes[id]?["VFrameFormat"] { return name(value) }
        return attributeDefaults["VFrameFormat"].flatMap(name)
    }

    private func build() throws(DBCParseError) -> SignalDatabase {
        var built: [MessageDefinition] = []
        for raw in messages where raw.name != "VECTOR__INDEPENDENT_SIG_MSG" {
            let extended = raw.dbcID & 0x8000_0000 != 0
            let bits = raw.dbcID & 0x7FFF_FFFF
            let id: CANID
            do throws(CANFrameError) {
                id = extended ? try CANID(extended: bits) : try CANID(standard: bits)
            } catch {
                throw DBCParseError("message \(raw.name): \(error)", line: raw.line, column: raw.column)
            }
            let isFD = frameFormat(raw.dbcID)?.hasSuffix("CAN_FD") ?? false
            var senders = [raw.sender]
            for s in extraSenders[raw.dbcID] ?? [] where !senders.contains(s) { senders.append(s) }
            if senders == ["Vector__XXX"] { senders = [] }

            // cantools: one M-ending marker in the message makes it the multiplexer of every mN signal;
            // with more than one, SG_MUL_VAL_ says which signal each one depends on.
            var messageMultiplexer: String?
            for s in raw.signals where s.muxMarker?.hasSuffix("M") == true {
                if messageMultiplexer == nil { messageMultiplexer = s.name } else { messageMultiplexer = nil; break }
            }
            let frameMux = muxValues[raw.dbcID] ?? [:]
            var multiplexerOf: [String: String] = [:]
            for (multiplexer, items) in frameMux { for name in items.keys { multiplexerOf[name] = multiplexer } }

            var signals: [SignalDefinition] = []
            for s in raw.signals {
                // cantools' get_signal_multiplexer_ids and get_multiplexer_signal_name, step by step.
                var ids: [Int128] = []
                let idsMultiplexer: String?
                if let m = messageMultiplexer {
                    if let marker = s.muxMarker, !marker.hasSuffix("M"), let n = Int128(marker.dropFirst()) { ids.append(n) }
                    idsMultiplexer = m
                } else {
                    idsMultiplexer = multiplexerOf[s.name]
                }
                if let p = idsMultiplexer, let extra = frameMux[p]?[s.name] { ids += extra }
                if idsMultiplexer == nil { ids = [] }
                var parent: String?
                if s.muxMarker != nil {
                    if let m = messageMultiplexer { parent = s.name != m ? m : nil } else { parent = multiplexerOf[s.name] }
                }
                let type = valueTypes[raw.dbcID]?[s.name] ?? 0
                let valueType: SignalDefinition.ValueType = type == 1 ? .float32 : type == 2 ? .float64 : .integer
                if valueType == .float32 && s.length != 32 || valueType == .float64 && s.length != 64 {
                    throw DBCParseError("signal \(s.name) of message \(raw.name) is a \(type == 1 ? "float (32 bits)" : "double (64 bits)") but has \(s.length) bits",
                                        line: raw.line, column: raw.column)
                }
                let noRange = s.minimum == "0" && s.maximum == "0"
                var signal = SignalDefinition(
                    name: s.name, startBit: s.start, length: s.length, byteOrder: s.bigEndian ? .bigEndian : .littleEndian,
                    isSigned: s.signed, valueType: valueType, factor: number(s.factor), offset: number(s.offset),
                    minimum: noRange ? nil : number(s.minimum), maximum: noRange ? nil : number(s.maximum), unit: s.unit,
                    receivers: s.receivers == ["Vector__XXX"] ? [] : s.receivers,
                    isMultiplexer: s.muxMarker?.hasSuffix("M") == true,
                    multiplexerName: parent, multiplexerIDs: Array(Set(ids)).sorted())
                if let pairs = choices[raw.dbcID]?[s.name] {
                    var seen: [Int128: Int] = [:]
                    var ordered: [(value: Int128, name: String)] = []
                    for (v, n) in pairs {
                        if let i = seen[v] { ordered[i].name = n } else { seen[v] = ordered.count; ordered.append((v, n)) }
                    }
                    signal.choices = ordered
                }
                signal.comment = signalComments[raw.dbcID]?[s.name]
                signals.append(signal)
            }
            var cycle: Int?
            if attributeTypes["GenMsgCycleTime"] != nil {
                let value = messageAttributes[raw.dbcID]?["GenMsgCycleTime"] ?? attributeDefaults["GenMsgCycleTime"]
                if case .number(let n)? = value, n != 0, n.isFinite, abs(n) < 1e15 { cycle = Int(n) }
            }
            built.append(MessageDefinition(
                id: id, name: raw.name, length: raw.length, isFD: isFD, senders: senders,
                comment: messageComments[raw.dbcID], cycleTime: cycle, signals: signals,
                signalGroups: (signalGroups[raw.dbcID] ?? []).map { (name: $0.0, signals: $0.1) }))
        }
        return SignalDatabase(messages: built, nodes: nodes, version: version, comment: databaseComment,
                              valueTables: valueTables.mapValues { $0.map { (value: $0.0, name: $0.1) } },
                              attributes: databaseAttributes)
    }
}

/// A `BA_` / `BA_DEF_DEF_` value.
public enum AttributeValue: Hashable, Sendable {
    case number(Double)
    case string(String)
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
