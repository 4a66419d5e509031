/// The layout of BLF files as python-can's `can.io.blf` (after Toby Lorenz's vector_blf) reads and writes them:
/// a 144-byte `LOGG` file header, then `LOBJ` objects; `LOG_CONTAINER` objects hold further objects, zlib-compressed.
///
/// All fields are little-endian. An object is a 16-byte base header (`LOBJ`, header size, header version,
/// object size, object type), a version 1 (16 bytes: flags, client index, object version, timestamp) or
/// version 2 (24 bytes) header, then the object's own fields.
enum BLFObject {
    static let fileSignature: [UInt8] = Array("LOGG".utf8)
    static let objectSignature: [UInt8] = Array("LOBJ".utf8)
    /// The file header's size as python-can writes it (its fields take 72 bytes, the rest is zeros).
    static let fileHeaderSize = 144
    static let baseHeaderSize = 16
    static let headerV1Size = 16
    static let headerV2Size = 24
    /// compression method u16, 6 reserved, uncompressed size u32, 4 reserved.
    static let containerHeaderSize = 16
    /// python-can's container size: at most this many uncompressed bytes each.
    static let containerCapacity = 128 * 1024

    // Object types.
    static let canMessage: UInt32 = 1
    static let logContainer: UInt32 = 10
    static let canErrorExt: UInt32 = 73
    static let canMessage2: UInt32 = 86
    static let canFDMessage: UInt32 = 100
    static let canFDMessage64: UInt32 = 101

    // Compression methods of a LOG_CONTAINER.
    static let noCompression: UInt16 = 0
    static let zlibDeflate: UInt16 = 2

    // Object header flags: the timestamp's unit.
    static let timeTenMicroseconds: UInt32 = 1
    static let timeOneNanosecond: UInt32 = 2

    /// Bit 31 of the id: an extended id.
    static let extendedID: UInt32 = 0x8000_0000
    /// CAN_MESSAGE / CAN_FD_MESSAGE flags: bit 0 transmitted, bit 7 remote request.
    static let transmitted: UInt8 = 0x01
    static let remote: UInt8 = 0x80
    /// CAN_FD_MESSAGE fdFlags: EDL (an FD frame), BRS, ESI.
    static let extendedDataLength: UInt8 = 0x01
    static let bitRateSwitch: UInt8 = 0x02
    static let errorStateIndicator: UInt8 = 0x04
    /// CAN_FD_MESSAGE_64 flags word: remote, EDL, BRS, ESI.
    static let fd64Remote: UInt32 = 0x0010
    static let fd64ExtendedDataLength: UInt32 = 0x1000
    static let fd64BitRateSwitch: UInt32 = 0x2000
    static let fd64ErrorStateIndicator: UInt32 = 0x4000

    /// Sizes of the object bodies python-can writes.
    static let canMessageSize = 16
    static let canFDMessageSize = 84
    static let canErrorExtSize = 32
    static let canFDMessage64Size = 40
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension ArraySlice where Element == UInt8 {
    /// The little-endian integer at `offset` from the slice's start; nil past its end.
    func littleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
        let start = startIndex + offset
        guard offset >= 0, start + MemoryLayout<T>.size <= endIndex else { return nil }
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(self[start + i]) << (8 * i) }
        return value
    }
}
