/// A 48-bit IEEE 802 MAC address, written `aa:bb:cc:dd:ee:ff`.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The six octets, first on the wire first.
    public var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    /// The address from its six octets, first on the wire first.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        bytes = (b0, b1, b2, b3, b4, b5)
    }

    /// Reads six octets at `offset`; the caller has checked the bounds.
    init(_ buffer: UnsafeRawBufferPointer, at offset: Int) {
        bytes = (buffer[offset], buffer[offset + 1], buffer[offset + 2], buffer[offset + 3], buffer[offset + 4], buffer[offset + 5])
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (also `-` separated, either case); nil when the text is not a MAC address.
    public init?(_ text: String) {
        var octets: [UInt8] = []
        for part in text.split(separator: text.contains("-") ? "-" : ":", omittingEmptySubsequences: false) {
            guard (1...2).contains(part.count), let value = UInt8(part, radix: 16) else { return nil }
            octets.append(value)
        }
        guard octets.count == 6 else { return nil }
        self.init(octets[0], octets[1], octets[2], octets[3], octets[4], octets[5])
    }

    /// `ff:ff:ff:ff:ff:ff`.
    public static let broadcast = MACAddress(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
    /// `00:00:00:00:00:00`.
    public static let zero = MACAddress(0, 0, 0, 0, 0, 0)

    /// The octets as an array.
    public var octets: [UInt8] { [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5] }

    /// Whether the group (multicast) bit is set.
    public var isMulticast: Bool { bytes.0 & 1 != 0 }

    func append(to buffer: inout [UInt8]) {
        buffer.append(bytes.0); buffer.append(bytes.1); buffer.append(bytes.2)
        buffer.append(bytes.3); buffer.append(bytes.4); buffer.append(bytes.5)
    }

    public var description: String {
        var text: [UInt8] = []
        TextBuffer.appendMAC(self, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    public static func == (a: MACAddress, b: MACAddress) -> Bool { a.bytes == b.bytes }
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: bytes) { hasher.combine(bytes: $0) }
    }
    public static func < (a: MACAddress, b: MACAddress) -> Bool { a.bytes < b.bytes }
}
