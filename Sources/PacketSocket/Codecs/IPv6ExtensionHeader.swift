/// One IPv6 extension header: its kind (the previous next-header value), its own next header, and its bytes.
public struct IPv6ExtensionHeader: Hashable, Sendable {
    /// Which extension header this is (hop-by-hop, routing, fragment, destination options).
    public var kind: IPProtocolNumber
    /// The protocol of what follows it.
    public var nextHeader: IPProtocolNumber
    /// The header's bytes in the parsed buffer.
    public var range: Range<Int>
}
