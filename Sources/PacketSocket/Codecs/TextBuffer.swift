import SocketBase

/// Appends addresses as ASCII to a byte buffer without allocating (once the buffer has capacity): the text
/// formatting shared by the address types and the packet summaries, in tcpdump's lower-case hex. Numbers and
/// static strings go through ``ByteText``, the package's one text appender.
enum TextBuffer {
    @inline(__always)
    static func append(_ text: StaticString, to buffer: inout [UInt8]) { ByteText.append(text, to: &buffer) }

    @inline(__always)
    static func appendDecimal<T: BinaryInteger>(_ value: T, to buffer: inout [UInt8]) {
        ByteText.appendDecimal(value, to: &buffer)
    }

    /// Lower-case hex, without leading zeros (at least one digit).
    @inline(__always)
    static func appendHex<T: BinaryInteger>(_ value: T, to buffer: inout [UInt8]) {
        ByteText.appendHex(value, .lower, to: &buffer)
    }

    /// Lower-case hex with exactly `width` digits.
    @inline(__always)
    static func appendHex<T: BinaryInteger>(_ value: T, width: Int, to buffer: inout [UInt8]) {
        ByteText.appendHex(value, digits: width, .lower, to: &buffer)
    }

    static func appendMAC(_ address: MACAddress, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: address.bytes) { octets in
            for index in 0..<6 {
                if index > 0 { buffer.append(UInt8(ascii: ":")) }
                appendHex(octets[index], width: 2, to: &buffer)
            }
        }
    }

    static func appendIPv4(_ address: IPv4Address, to buffer: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { buffer.append(UInt8(ascii: ".")) }
            appendDecimal((address.rawValue >> UInt32(shift)) & 0xFF, to: &buffer)
        }
    }

    /// As glibc's and tcpdump's `inet_ntop(AF_INET6)`: the first longest run of two or more zero groups
    /// becomes `::`; `::a.b.c.d` and `::ffff:a.b.c.d` keep the IPv4 dotted quad.
    static func appendIPv6(_ address: IPv6Address, to buffer: inout [UInt8]) {
        @inline(__always) func word(_ index: Int) -> UInt16 {
            let half = index < 4 ? address.high : address.low
            return UInt16(truncatingIfNeeded: half >> (UInt64(3 - index % 4) * 16))
        }
        var bestBase = -1, bestLength = 0, currentBase = -1, currentLength = 0
        for index in 0..<8 {
            if word(index) == 0 {
                if currentBase == -1 { currentBase = index; currentLength = 1 } else { currentLength += 1 }
            } else if currentBase != -1 {
                if bestBase == -1 || currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
                currentBase = -1
            }
        }
        if currentBase != -1, bestBase == -1 || currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
        if bestBase != -1 && bestLength < 2 { bestBase = -1 }
        for index in 0..<8 {
            if bestBase != -1 && index >= bestBase && index < bestBase + bestLength {
                if index == bestBase { buffer.append(UInt8(ascii: ":")) }
                continue
            }
            if index != 0 { buffer.append(UInt8(ascii: ":")) }
            if index == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && word(5) == 0xFFFF)) {
                appendIPv4(IPv4Address(rawValue: UInt32(truncatingIfNeeded: address.low)), to: &buffer)
                return
            }
            appendHex(word(index), to: &buffer)
        }
        if bestBase != -1 && bestBase + bestLength == 8 { buffer.append(UInt8(ascii: ":")) }
    }
}

/// Short names for appending text to a line in the summary formatters.
extension Array where Element == UInt8 {
    @inline(__always) mutating func put(_ text: StaticString) { ByteText.append(text, to: &self) }
    @inline(__always) mutating func putDecimal<T: BinaryInteger>(_ value: T) { ByteText.appendDecimal(value, to: &self) }
    @inline(__always) mutating func putDecimal<T: BinaryInteger>(_ value: T, minimumDigits: Int) {
        ByteText.appendDecimal(value, minimumDigits: minimumDigits, to: &self)
    }
    @inline(__always) mutating func putHex<T: BinaryInteger>(_ value: T) { ByteText.appendHex(value, .lower, to: &self) }
    @inline(__always) mutating func putHex<T: BinaryInteger>(_ value: T, digits: Int) {
        ByteText.appendHex(value, digits: digits, .lower, to: &self)
    }
    @inline(__always) mutating func putIPv4(_ address: IPv4Address) { TextBuffer.appendIPv4(address, to: &self) }
    @inline(__always) mutating func putIPv6(_ address: IPv6Address) { TextBuffer.appendIPv6(address, to: &self) }
}
