/// Carves a fuzz input into the pieces a structured target needs (mode bytes, length-prefixed chunks).
///
/// Reading past the end yields zeros and empty chunks, never a trap, so every input is a valid program.
/// Seeds are written in the same layout by `scripts/lib/fuzz-seeds`.
public struct FuzzInput {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte has been taken.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte (0 past the end).
    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The next two bytes, big-endian.
    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    /// The next four bytes, big-endian.
    public mutating func uint32() -> UInt32 { UInt32(uint16()) << 16 | UInt32(uint16()) }

    /// The next `count` bytes (fewer at the end).
    public mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = end }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    }

    /// A chunk preceded by its length (two bytes, big-endian).
    public mutating func chunk() -> UnsafeRawBufferPointer { take(Int(uint16())) }

    /// Everything not taken yet.
    public mutating func rest() -> UnsafeRawBufferPointer { take(bytes.count - offset) }
}

extension UnsafeRawBufferPointer {
    /// The bytes as text, invalid UTF-8 repaired (what a parser of a text file sees after `String(decoding:)`).
    public var text: String { String(decoding: self, as: UTF8.self) }
}
