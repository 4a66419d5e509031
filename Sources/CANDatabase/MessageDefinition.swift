import CANSocket

/// One message of a database (a DBC `BO_` with its `SG_` lines and the attributes that concern it).
public struct MessageDefinition: Sendable {
    /// The message's CAN id (bit 31 of the DBC id picks extended).
    public let id: CANID
    public let name: String
    /// The payload length in bytes (DLC's length; up to 64 for CAN FD).
    public let length: Int
    /// Whether the message is sent as CAN FD (`VFrameFormat` ending in `CAN_FD`).
    public let isFD: Bool
    /// The sending nodes (the `BO_` sender, then `BO_TX_BU_`), `Vector__XXX` left out.
    public let senders: [String]
    /// `CM_ BO_` text.
    public let comment: String?
    /// `GenMsgCycleTime` in ms, when the file gives it.
    public let cycleTime: Int?
    /// The signals, ordered by start bit as cantools orders them (the decode output's order).
    public let signals: [SignalDefinition]
    /// `SIG_GROUP_`s: name and member signal names.
    public let signalGroups: [(name: String, signals: [String])]

    /// The multiplexing tree: node 0 is the root (signals always present); each multiplexer of a node maps
    /// its values to child nodes.
    struct Node: Sendable {
        var signals: [Int] = []
        var multiplexers: [(signal: Int, children: [Int128: Int])] = []
    }
    let nodes: [Node]
    private let indexByName: [String: Int]
    /// The signals compiled for decoding and printing (see ``MessageLayout``).
    let layout: MessageLayout

    init(id: CANID, name: String, length: Int, isFD: Bool, senders: [String], comment: String?, cycleTime: Int?,
         signals unsorted: [SignalDefinition], signalGroups: [(name: String, signals: [String])]) {
        self.id = id
        self.name = name
        self.length = length
        self.isFD = isFD
        self.senders = senders
        self.comment = comment
        self.cycleTime = cycleTime
        self.signalGroups = signalGroups
        // A stable sort by cantools' key, so equal keys keep file order.
        let sorted = unsorted.enumerated().sorted { ($0.element.sortKey, $0.offset) < ($1.element.sortKey, $1.offset) }.map(\.element)
        signals = sorted
        var names: [String: Int] = [:]
        for (i, s) in sorted.enumerated() where names[s.name] == nil { names[s.name] = i }
        indexByName = names
        nodes = Self.buildTree(sorted)
        layout = MessageLayout(name: name, signals: sorted)
    }

    /// cantools' `_create_codec`: the root holds the signals without a multiplexer; a multiplexer's children for
    /// value v hold the signals it selects for v. Values named by the multiplexer's choices are valid even
    /// without signals.
    private static func buildTree(_ signals: [SignalDefinition]) -> [Node] {
        var byParent: [String: [Int]] = [:]
        var roots: [Int] = []
        for (i, s) in signals.enumerated() {
            if let parent = s.multiplexerName { byParent[parent, default: []].append(i) } else { roots.append(i) }
        }
        var nodes: [Node] = [Node()]
        var visiting: Set<String> = []
        func fill(_ nodeIndex: Int, members: [Int]) {
            nodes[nodeIndex].signals = members
            for i in members where signals[i].isMultiplexer {
                let name = signals[i].name
                guard !visiting.contains(name) else { continue }  // a cycle in a malformed file
                visiting.insert(name)
                let children = byParent[name] ?? []
                var ids = Set<Int128>()
                for c in children { ids.formUnion(signals[c].multiplexerIDs) }
                ids.formUnion(signals[i].choiceValues)
                var map: [Int128: Int] = [:]
                for id in ids.sorted() {
                    let child = nodes.count
                    nodes.append(Node())
                    map[id] = child
                    fill(child, members: children.filter { signals[$0].multiplexerIDs.contains(id) })
                }
                nodes[nodeIndex].multiplexers.append((i, map))
                visiting.remove(name)
            }
        }
        fill(0, members: roots)
        return nodes
    }

    /// The index of a signal in ``signals``.
    public func signalIndex(named name: String) -> Int? { indexByName[name] }

    /// Whether some signal is a multiplexer.
    public var isMultiplexed: Bool { !nodes[0].multiplexers.isEmpty }

    /// The valid values of each multiplexer, for tests and tools: (multiplexer signal index, values).
    public var multiplexerValues: [(signal: Int, values: [Int128])] {
        nodes.flatMap { $0.multiplexers.map { ($0.signal, $0.children.keys.sorted()) } }
    }
}
