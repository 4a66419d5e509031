/// The addresses a UDP, TCP or ICMPv6 checksum covers besides the segment itself: the IPv4 (RFC 768/793) or
/// IPv6 (RFC 8200 section 8.1) pseudo-header.
public enum IPPseudoHeader: Hashable, Sendable {
    case ipv4(source: IPv4Address, destination: IPv4Address)
    case ipv6(source: IPv6Address, destination: IPv6Address)

    /// The checksum of `segment` (its checksum field as it is) under this pseudo-header: 0 when a received
    /// segment verifies, the value to store when the field was zero.
    public func checksum(protocol: IPProtocolNumber, segment: UnsafeRawBufferPointer) -> UInt16 {
        var sum = InternetChecksum()
        switch self {
        case let .ipv4(source, destination):
            sum.addPseudoHeader(source: source, destination: destination, protocol: `protocol`, length: segment.count)
        case let .ipv6(source, destination):
            sum.addPseudoHeader(source: source, destination: destination, protocol: `protocol`, length: segment.count)
        }
        sum.add(segment)
        return sum.value
    }
}

extension Array where Element == UInt8 {
    /// Computes the checksum of the segment `self[start...]` and stores it at `start + field`.
    mutating func storeChecksum(segmentStart start: Int, field: Int, pseudoHeader: IPPseudoHeader?, protocol: IPProtocolNumber,
                                zeroMeansNone: Bool = false) -> UInt16 {
        var value = withUnsafeBytes { raw in
            let segment = UnsafeRawBufferPointer(rebasing: raw[start...])
            return pseudoHeader?.checksum(protocol: `protocol`, segment: segment) ?? InternetChecksum.of(segment)
        }
        // UDP sends a computed 0 as 0xFFFF: 0 means "no checksum" there (RFC 768).
        if zeroMeansNone && value == 0 { value = 0xFFFF }
        setBigEndian(value, at: start + field)
        return value
    }
}
