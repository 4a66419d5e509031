/// The two capture file formats the package reads and writes.
public enum CaptureFileFormat: Hashable, Sendable {
    /// Classic pcap (tcpdump's `-w`): one link type, microsecond or nanosecond timestamps.
    case pcap
    /// pcapng (tshark's default): sections, interfaces with names, packets with flags.
    case pcapng
}
