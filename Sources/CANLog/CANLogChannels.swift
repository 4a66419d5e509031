/// How interface names (candump logs) map to the 1-based channel numbers of ASC and BLF.
///
/// Writing, a name gets the next number the first time it appears, as `log2asc` numbers the interfaces
/// given on its command line (`log2asc can0 can1`: can0 is channel 1); names given up front keep their places.
/// Reading, channel N is the Nth given name, else `can<N-1>` as `asc2log` names it.
public struct CANLogChannels: Sendable, Hashable {
    /// The names in channel order: `names[0]` is channel 1.
    public private(set) var names: [String]

    /// - Parameter names: Interfaces to number first, in order (channel 1, 2, …).
    public init(_ names: [String] = []) {
        self.names = names
    }

    /// The channel of `interface`, numbering it if it is new.
    public mutating func channel(for interface: String) -> Int {
        if let index = names.firstIndex(of: interface) { return index + 1 }
        names.append(interface)
        return names.count
    }

    /// The interface name of `channel` (1-based).
    public func name(for channel: Int) -> String {
        channel >= 1 && channel <= names.count ? names[channel - 1] : "can\(channel - 1)"
    }
}
