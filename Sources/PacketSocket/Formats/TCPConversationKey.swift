/// The key of tcpdump's TCP conversation table: both addresses and ports in a canonical order.
struct TCPConversationKey: Hashable {
    var sourceHigh: UInt64, sourceLow: UInt64
    var destinationHigh: UInt64, destinationLow: UInt64
    var ports: UInt32
    var isIPv6: Bool

    /// The key of a segment's conversation, one for both directions (tcpdump's `tcp_seq_hash` lookup), and
    /// whether the segment goes the other way round (`rev`).
    static func of(_ context: PacketSummaryFormatter.IPContext, sourcePort: UInt16, destinationPort: UInt16)
        -> (key: TCPConversationKey, reversed: Bool) {
        var source: (UInt64, UInt64), destination: (UInt64, UInt64)
        if context.isIPv6 {
            source = (context.source6.high, context.source6.low)
            destination = (context.destination6.high, context.destination6.low)
        } else {
            source = (0, UInt64(context.source4.rawValue))
            destination = (0, UInt64(context.destination4.rawValue))
        }
        let reversed = sourcePort > destinationPort || (sourcePort == destinationPort && source > destination)
        var ports = (sourcePort, destinationPort)
        if reversed { swap(&source, &destination); ports = (destinationPort, sourcePort) }
        let key = TCPConversationKey(sourceHigh: source.0, sourceLow: source.1, destinationHigh: destination.0,
                                     destinationLow: destination.1, ports: UInt32(ports.0) << 16 | UInt32(ports.1),
                                     isIPv6: context.isIPv6)
        return (key, reversed)
    }
}

/// The sequence and acknowledgment numbers a conversation is printed relative to.
struct TCPConversationStart {
    var sequence: UInt32
    var acknowledgment: UInt32
}
