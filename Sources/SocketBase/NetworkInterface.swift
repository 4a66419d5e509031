#if canImport(Glibc)
import Glibc
#endif

/// A network interface's name and index, as `if_nametoindex(3)` and `if_indextoname(3)` map them.
public struct NetworkInterface: Hashable, Sendable, CustomStringConvertible {
    /// The interface name, e.g. `vcan0`.
    public let name: String
    /// The kernel's interface index (never 0).
    public let index: CInt

    /// Looks an interface up by name.
    /// - Throws: ``SystemCallError`` like `if_nametoindex(vcan9): No such device (errno 19)`;
    ///   ``InvalidArgumentError`` for a name too long to be an interface's, before any system call.
    public init(named name: String) throws {
        guard name.utf8.count < Int(IF_NAMESIZE) else {
            throw InvalidArgumentError("interface name", value: name,
                                       reason: "longer than \(Int(IF_NAMESIZE) - 1) bytes (IF_NAMESIZE)")
        }
        self.index = try CInt(Sys.ifNameToIndex(name).get("if_nametoindex", target: name))
        self.name = name
    }

    /// Looks an interface up by index.
    /// - Throws: ``SystemCallError`` (`ENXIO`) when no interface has that index.
    public init(index: CInt) throws {
        self.name = try Sys.ifIndexToName(CUnsignedInt(bitPattern: index)).get("if_indextoname", target: String(index))
        self.index = index
    }

    /// Every interface of this network namespace, by index: `if_nameindex(3)`.
    public static func all() throws -> [NetworkInterface] {
        try Sys.interfaceList().get("if_nameindex").map { NetworkInterface(name: $0.1, index: $0.0) }
    }

    private init(name: String, index: CInt) {
        self.name = name
        self.index = index
    }

    public var description: String { name }
}
