/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words, as
/// IPv4, ICMP, UDP, TCP and ICMPv6 use it.
public struct InternetChecksum: Sendable {
    private var sum: UInt64 = 0
    /// A pending odd byte: the next byte added completes the 16-bit word.
    private var oddByte: UInt8?

    /// An empty sum.
    public init() {}

    /// Adds bytes to the sum, continuing across calls as if the bytes were contiguous.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        if let high = oddByte, count > 0 {
            sum &+= UInt64(high) << 8 | UInt64(bytes[0])
            oddByte = nil
            index = 1
        }
        while index + 1 < count {
            sum &+= UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < count { oddByte = bytes[index] }
    }

    /// Adds bytes to the sum.
    public mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBytes { add($0) } }

    /// Adds one 16-bit word (host value, summed as if big-endian on the wire).
    public mutating func add(_ word: UInt16) {
        precondition(oddByte == nil, "InternetChecksum: a word added after an odd number of bytes")
        sum &+= UInt64(word)
    }

    /// Adds the IPv4 pseudo-header of RFC 768 / RFC 793: addresses, zero, protocol, upper-layer length.
    public mutating func addPseudoHeader(source: IPv4Address, destination: IPv4Address, protocol: IPProtocolNumber, length: Int) {
        add(UInt16(source.rawValue >> 16)); add(UInt16(truncatingIfNeeded: source.rawValue))
        add(UInt16(destination.rawValue >> 16)); add(UInt16(truncatingIfNeeded: destination.rawValue))
        add(UInt16(`protocol`.rawValue))
        add(UInt16(truncatingIfNeeded: length))
        sum &+= UInt64(length >> 16)
    }

    /// Adds the IPv6 pseudo-header of RFC 8200 section 8.1: addresses, upper-layer length, next header.
    public mutating func addPseudoHeader(source: IPv6Address, destination: IPv6Address, protocol: IPProtocolNumber, length: Int) {
        add(source.high)
        add(source.low)
        add(destination.high)
        add(destination.low)
        add(UInt16(truncatingIfNeeded: UInt32(truncatingIfNeeded: length) >> 16))
        add(UInt16(truncatingIfNeeded: length))
        add(UInt16(`protocol`.rawValue))
    }

    /// Adds the four 16-bit words of a 64-bit value, most significant first.
    private mutating func add(_ value: UInt64) {
        precondition(oddByte == nil, "InternetChecksum: words added after an odd number of bytes")
        sum &+= (value >> 48) + ((value >> 32) & 0xFFFF) + ((value >> 16) & 0xFFFF) + (value & 0xFFFF)
    }

    /// The checksum to store in a header: the ones' complement of the folded sum.
    public var value: UInt16 {
        var total = sum
        if let high = oddByte { total &+= UInt64(high) << 8 }
        while total >> 16 != 0 { total = (total & 0xFFFF) + (total >> 16) }
        return ~UInt16(total)
    }

    /// The checksum of `bytes` alone.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var checksum = InternetChecksum()
        checksum.add(bytes)
        return checksum.value
    }
}
