/// One interface of a pcapng section: what an Interface Description Block (IDB) says about the packets that
/// name it.
public struct PcapNGInterface: Hashable, Sendable {
    /// What the interface's packets are (`LINKTYPE_*`).
    public var linkType: PcapLinkType
    /// The most bytes kept of a packet; 0 for no limit.
    public var snapLength: UInt32
    /// The `if_name` option (e.g. `eth0`), nil when absent.
    public var name: String?
    /// The `if_description` option, nil when absent.
    public var interfaceDescription: String?
    /// The `if_tsresol` option; microseconds when absent.
    public var timestampResolution: PcapNGTimestampResolution
    /// The `if_tsoffset` option: seconds added to every timestamp (0 when absent).
    public var timestampOffset: Int64

    public init(linkType: PcapLinkType, snapLength: UInt32 = 262_144, name: String? = nil, interfaceDescription: String? = nil,
                timestampResolution: PcapNGTimestampResolution = .microseconds, timestampOffset: Int64 = 0) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.name = name
        self.interfaceDescription = interfaceDescription
        self.timestampResolution = timestampResolution
        self.timestampOffset = timestampOffset
    }
}
