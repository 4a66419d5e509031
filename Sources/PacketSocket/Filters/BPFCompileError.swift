/// A tcpdump filter expression libpcap could not compile, with libpcap's own text
/// (`syntax error in filter expression: …`).
public struct BPFCompileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// libpcap's message (`pcap_geterr`).
    public var message: String

    /// libpcap's message as is, the way tcpdump prints it after its name.
    public var description: String { message }
}
