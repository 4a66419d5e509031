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
    /// - Throws: ``SystemCallError`` like `if_nametoindex(vcan9): No such device (errno 19)`.
    public init(named name: String) throws {
        guard name.utf8.count < Int(IF_NAMESIZE) else {
            throw SystemCallError("if_nametoindex", target: name, errno: .noSuchDevice)
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
        guard let list = if_nameindex() else { throw SystemCallError("if_nameindex", errno: .current) }
        defer { if_freenameindex(list) }
        var result: [NetworkInterface] = []
        var entry = list
        while entry.pointee.if_index != 0 {
            result.append(NetworkInterface(name: String(cString: entry.pointee.if_name), index: CInt(entry.pointee.if_index)))
            entry += 1
        }
        return result
    }

    private init(name: String, index: CInt) {
        self.name = name
        self.index = index
    }

    public var description: String { name }
}
