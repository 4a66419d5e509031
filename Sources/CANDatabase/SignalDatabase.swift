import CANSocket
import SocketBase

/// A CAN database: messages with their signals, looked up by CAN id, read from DBC files.
///
/// ```swift
/// let db = try SignalDatabase(contentsOfFile: "vehicle.dbc")
/// var decoded = DecodedSignals()
/// if let message = db.message(for: frame) {
///     try message.decode(frame, into: &decoded)   // no allocation once `decoded` has grown
///     print(decoded.text(message, singleLine: true))
/// }
/// ```
public struct SignalDatabase: Sendable {
    /// The messages, in file order (later files' after earlier ones' when merged).
    public private(set) var messages: [MessageDefinition]
    /// `BU_` node names.
    public private(set) var nodes: [String]
    /// `VERSION`.
    public private(set) var version: String?
    /// The database's own `CM_ "…";`.
    public private(set) var comment: String?
    /// `VAL_TABLE_`s by name.
    public private(set) var valueTables: [String: [(value: Int128, name: String)]]
    /// Database-level `BA_` attributes.
    public private(set) var attributes: [String: AttributeValue]
    private var indexByID: [UInt32: Int] = [:]
    /// Standard ids' message indices (-1: none), for a lookup without hashing.
    private var indexByStandardID = [Int32](repeating: -1, count: Int(CANID.standardMax) + 1)

    init(messages: [MessageDefinition], nodes: [String], version: String?, comment: String?,
         valueTables: [String: [(value: Int128, name: String)]], attributes: [String: AttributeValue]) {
        self.messages = []
        self.nodes = nodes
        self.version = version
        self.comment = comment
        self.valueTables = valueTables
        self.attributes = attributes
        for m in messages { add(m) }
    }

    /// An empty database, to merge files into.
    public init() {
        self.init(messages: [], nodes: [], version: nil, comment: nil, valueTables: [:], attributes: [:])
    }

    /// Parses DBC text.
    /// - Throws: ``DBCParseError`` naming the line and column and what was expected there.
    public init(dbc text: some StringProtocol) throws(DBCParseError) {
        try self.init(dbcBytes: Array(text.utf8))
    }

    /// Parses the bytes of a DBC file (Windows-1252 text, as cantools reads it).
    /// - Throws: ``DBCParseError``.
    public init(dbcBytes bytes: [UInt8]) throws(DBCParseError) {
        var parser = DBCParser(tokens: try DBCLexer.tokenize(bytes))
        self = try parser.parse()
    }

    /// Reads and parses a DBC file.
    /// - Throws: ``DBCParseError`` with `file` set; a file that cannot be read gives line 0.
    public init(contentsOfFile path: String) throws(DBCParseError) {
        let bytes: [UInt8]
        do {
            bytes = try FileDescriptor.open(path, .readOnly).closeAfter { try $0.readAll() }
        } catch let error as SystemCallError {
            throw DBCParseError("cannot read the file: \(error.errno)", line: 0, column: 0, file: path)
        } catch {
            throw DBCParseError("cannot read the file: \(error)", line: 0, column: 0, file: path)
        }
        do throws(DBCParseError) {
            try self.init(dbcBytes: bytes)
        } catch {
            var located = error
            located.file = path
            throw located
        }
    }

    /// Adds a message; one with the same id replaces the earlier one (so later files override earlier ones).
    public mutating func add(_ message: MessageDefinition) {
        let key = message.id.kernelID
        if let existing = indexByID[key] {
            messages[existing] = message
        } else {
            indexByID[key] = messages.count
            if key & CANFrame.extendedFlag == 0 && key <= CANID.standardMax { indexByStandardID[Int(key)] = Int32(messages.count) }
            messages.append(message)
        }
    }

    /// Adds every message of `other` (its messages win on equal ids), its nodes and value tables.
    public mutating func merge(_ other: SignalDatabase) {
        for m in other.messages { add(m) }
        for n in other.nodes where !nodes.contains(n) { nodes.append(n) }
        valueTables.merge(other.valueTables) { $1 }
        attributes.merge(other.attributes) { $1 }
    }

    // MARK: Lookup

    /// The index in ``messages`` of the message with this id (standard and extended ids are distinct).
    @inline(__always)
    public func messageIndex(for id: CANID) -> Int? { indexByID[id.kernelID] }

    /// The message for a received frame's id (classic or FD alike); nil when the database has none, or for
    /// error frames.
    @inline(__always)
    public func messageIndex(for frame: CANFrame) -> Int? { messageIndex(rawID: frame.rawID) }

    /// The message for a kernel `can_id` word (`CAN_EFF_FLAG` picks extended; `CAN_RTR_FLAG` is ignored); nil
    /// when the database has none, or for an error frame (`CAN_ERR_FLAG`).
    @inline(__always)
    public func messageIndex(rawID raw: UInt32) -> Int? {
        if raw & CANFrame.errorFlag != 0 { return nil }
        if raw & CANFrame.extendedFlag != 0 { return indexByID[raw & (CANFrame.extendedFlag | CANID.extendedMax)] }
        let index = indexByStandardID[Int(raw & CANID.standardMax)]
        return index < 0 ? nil : Int(index)
    }

    /// The message with this id.
    public func message(for id: CANID) -> MessageDefinition? { messageIndex(for: id).map { messages[$0] } }

    /// The message for a frame's id.
    public func message(for frame: CANFrame) -> MessageDefinition? { messageIndex(for: frame).map { messages[$0] } }

    /// The first message with this name.
    public func message(named name: String) -> MessageDefinition? { messages.first { $0.name == name } }
}
