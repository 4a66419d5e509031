/// The `epb_flags` word of a pcapng packet: direction, reception type, link-layer errors.
public struct PcapNGPacketFlags: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Bits 0-1.
    public enum Direction: UInt32, Hashable, Sendable {
        case unknown = 0, inbound = 1, outbound = 2
    }

    /// Bits 2-4.
    public enum Reception: UInt32, Hashable, Sendable {
        case unspecified = 0, unicast = 1, multicast = 2, broadcast = 3, promiscuous = 4
    }

    /// Flags with a direction and reception type, no error bits.
    public init(direction: Direction, reception: Reception = .unspecified) {
        rawValue = direction.rawValue | reception.rawValue << 2
    }

    /// The packet's direction; `.unknown` for the reserved value 3 too.
    public var direction: Direction { Direction(rawValue: rawValue & 3) ?? .unknown }

    /// How the packet was received; `.unspecified` for the reserved values 5 to 7 too.
    public var reception: Reception { Reception(rawValue: rawValue >> 2 & 7) ?? .unspecified }

    public var description: String { "0x\(String(rawValue, radix: 16))" }
}
