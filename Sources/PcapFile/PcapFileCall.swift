import SocketBase
import SystemPackage

/// The file calls of the pcap reader and writer, made through swift-system's `FileDescriptor`, with its
/// `Errno` turned into the package's ``SystemCallError`` (operation and path, e.g.
/// `open(/tmp/x.pcap): No such file or directory (errno 2)`).
enum PcapFileCall {
    static func run<Result>(_ operation: String, _ path: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as SystemPackage.Errno {
            throw SystemCallError(operation, target: path, errno: SocketBase.Errno(rawValue: error.rawValue))
        }
    }
}
