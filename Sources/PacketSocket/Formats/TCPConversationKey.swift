/// The key of tcpdump's TCP conversation table: both addresses and ports in a canonical order.
struct TCPConversationKey: Hashable {
    var sourceHigh: UInt64, sourceLow: UInt64
    var destinationHigh: UInt64, destinationLow: UInt64
    var ports: UInt32
    var isIPv6: Bool
}

/// The sequence and acknowledgment numbers a conversation is printed relative to.
struct TCPConversationStart {
    var sequence: UInt32
    var acknowledgment: UInt32
}
