/// One IPv6 extension header: its kind (the previous next-header value), its own next header, and its bytes.
public struct IPv6ExtensionHeader: Hashable, Sendable {
    public var kind: IPProtocolNumber
    public var nextHeader: IPProtocolNumber
    /// The header's bytes in the parsed buffer.
    public var range: Range<Int>
}
