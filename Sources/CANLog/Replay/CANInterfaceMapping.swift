/// Which interface each logged interface is played back on: canplayer's `<write-if>=<log-if>` assignments.
///
/// With no assignment every frame goes out on the interface named in the log. With assignments only the
/// assigned log interfaces are played (`vcan1=can0`: can0's frames on vcan1); frames of other log interfaces are
/// skipped, as canplayer skips them. The first assignment of a log interface wins, as in canplayer.
public struct CANInterfaceMapping: Sendable, Hashable {
    /// The assignments in command-line order: (write interface, log interface).
    public private(set) var assignments: [(write: String, log: String)] = []

    /// No assignment: frames go out on the interfaces they were logged on.
    public init() {}

    /// Parses assignments such as `vcan1=can0`.
    /// - Throws: ``CANInterfaceMappingError`` for an assignment without `=`, or with an empty or too long name.
    public init(parsing arguments: some Sequence<String>) throws(CANInterfaceMappingError) {
        for argument in arguments { try add(parsing: argument) }
    }

    /// Adds one `<write-if>=<log-if>` assignment.
    public mutating func add(parsing argument: String) throws(CANInterfaceMappingError) {
        guard let equals = argument.firstIndex(of: "=") else { throw .missingEquals(argument) }
        let write = String(argument[..<equals]), log = String(argument[argument.index(after: equals)...])
        try add(write: write, log: log)
    }

    /// Adds an assignment: frames logged on `log` go out on `write`.
    public mutating func add(write: String, log: String) throws(CANInterfaceMappingError) {
        for (role, name) in [("write-if", write), ("log-if", log)] {
            guard !name.isEmpty else { throw .emptyName(role: role) }
            // IFNAMSIZ is 16 with the terminating NUL.
            guard name.utf8.count < 16 else { throw .nameTooLong(role: role, name: name) }
        }
        assignments.append((write, log))
    }

    /// Whether there are no assignments (every frame goes to its logged interface).
    public var isIdentity: Bool { assignments.isEmpty }

    /// The interface to send a frame logged on `logInterface` on, or nil when it is not played.
    public func writeInterface(forLog logInterface: String) -> String? {
        if assignments.isEmpty { return logInterface }
        return assignments.first { $0.log == logInterface }?.write
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.assignments.elementsEqual(b.assignments) { $0.write == $1.write && $0.log == $1.log }
    }

    public func hash(into hasher: inout Hasher) {
        for (write, log) in assignments {
            hasher.combine(write)
            hasher.combine(log)
        }
    }
}

/// An interface assignment that could not be parsed; the messages follow canplayer's.
public enum CANInterfaceMappingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The argument has no `=`.
    case missingEquals(String)
    /// A side of the `=` is empty.
    case emptyName(role: String)
    /// A name has 16 bytes or more (`IFNAMSIZ`).
    case nameTooLong(role: String, name: String)

    public var description: String {
        switch self {
        case .missingEquals(let argument): "'=' missing in assignment '\(argument)' (expected <write-if>=<log-if>, e.g. vcan1=can0)"
        case .emptyName(let role): "\(role) interface name is empty in assignment (expected <write-if>=<log-if>)"
        case .nameTooLong(let role, let name): "\(role) interface name '\(name)' too long! (at most 15 bytes)"
        }
    }
}
