/// `-Q in|out|inout` (`--direction`): which packets a capture keeps by who sent them, as `pcap_setdirection`.
enum PktdumpDirection: String {
    /// Received only: the kernel stops queueing this host's own packets (`PACKET_IGNORE_OUTGOING`), as libpcap.
    case `in`
    /// Sent only: packets not `PACKET_OUTGOING` are dropped after the socket, as libpcap does in user space.
    case out
    /// Both (the default).
    case `inout`
}
