/// The STmin byte of a flow control frame (`can_isotp_fc_options.stmin`): ISO 15765-2's encoding.
///
/// 0x00...0x7F are milliseconds, 0xF1...0xF9 are 100...900 microseconds; every other value is reserved
/// (the kernel would treat it as 0x7F) and refused here.
public struct ISOTPSeparationTime: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The encoded byte.
    public let rawValue: UInt8

    /// No separation time.
    public static let zero = ISOTPSeparationTime(uncheckedRawValue: 0)

    /// An encoded byte; `nil` for the reserved values (0x80...0xF0, 0xFA...0xFF).
    public init?(rawValue: UInt8) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Decodes a byte as given on a command line (isotprecv's `-m`).
    /// - Throws: ``ISOTPOptionsError/invalidSeparationTime(_:)`` for a reserved value.
    public init(encoded value: UInt8) throws(ISOTPOptionsError) {
        guard Self.isValid(value) else { throw .invalidSeparationTime(value) }
        rawValue = value
    }

    /// 0...127 milliseconds.
    /// - Throws: ``ISOTPOptionsError/invalidSeparationTime(_:)`` above 127.
    public init(milliseconds: Int) throws(ISOTPOptionsError) {
        guard (0...0x7F).contains(milliseconds) else { throw .invalidSeparationTime(UInt8(clamping: milliseconds)) }
        rawValue = UInt8(milliseconds)
    }

    /// 100, 200, ... 900 microseconds (0xF1...0xF9).
    /// - Throws: ``ISOTPOptionsError/invalidSeparationTimeMicroseconds(_:)`` for other values.
    public init(microseconds: Int) throws(ISOTPOptionsError) {
        guard microseconds % 100 == 0, (100...900).contains(microseconds) else {
            throw .invalidSeparationTimeMicroseconds(microseconds)
        }
        rawValue = 0xF0 + UInt8(microseconds / 100)
    }

    private init(uncheckedRawValue: UInt8) { rawValue = uncheckedRawValue }

    static func isValid(_ value: UInt8) -> Bool { value <= 0x7F || (0xF1...0xF9).contains(value) }

    /// The time this byte stands for.
    public var duration: Duration {
        rawValue <= 0x7F ? .milliseconds(Int(rawValue)) : .microseconds(Int(rawValue - 0xF0) * 100)
    }

    public var description: String { rawValue <= 0x7F ? "\(rawValue) ms" : "\(Int(rawValue - 0xF0) * 100) µs" }
}
