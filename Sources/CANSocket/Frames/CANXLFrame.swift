/// A CAN XL frame, as the kernel's `struct canxl_frame` carries it (Linux 6.1 and later): an 11-bit priority,
/// an 8-bit virtual CAN network id (VCID), the flags (XLF, SEC, RRS), the SDU type (SDT), the 32-bit
/// acceptance field (AF) and 1 to 2048 data bytes.
///
/// The kernel layout (x86_64): `prio` u32 @0 (priority in bits 0–10, VCID in bits 16–23, `CANXL_VCID_OFFSET`),
/// `flags` u8 @4, `sdt` u8 @5, `len` u16 @6, `af` u32 @8, `data` @12. A frame on the wire is the 12-byte header
/// and exactly `len` bytes (`CANXL_HDR_SIZE + len`), at most `CANXL_MTU` (2060).
///
/// The VCID reaches user space only on sockets with `CAN_RAW_XL_VCID_OPTS` (Linux 6.9 and later); elsewhere the
/// kernel clears it on receive and sets it on send (see ``CANRawSocket/setXLVCIDOptions(_:)``).
public struct CANXLFrame: Hashable, Sendable, CustomStringConvertible {
    // MARK: Kernel constants

    /// Size of the header before the data. The corresponding C constant is `CANXL_HDR_SIZE`.
    public static let headerSize = 12
    /// The fewest data bytes. The corresponding C constant is `CANXL_MIN_DLEN`.
    public static let minimumDataLength = 1
    /// The most data bytes. The corresponding C constant is `CANXL_MAX_DLEN`.
    public static let maximumDataLength = 2048
    /// Size of a whole `struct canxl_frame`. The corresponding C constant is `CANXL_MTU`.
    public static let mtu = headerSize + maximumDataLength
    /// The smallest MTU of an interface that carries CAN XL (header plus 64 bytes). The corresponding C constant
    /// is `CANXL_MIN_MTU`; interfaces with an MTU in `minimumMTU...mtu` are XL interfaces.
    public static let minimumMTU = headerSize + 64
    /// The priority bits of `prio`. The corresponding C constant is `CANXL_PRIO_MASK`.
    public static let priorityMask: UInt32 = 0x7FF
    /// Where the VCID sits in `prio`. The corresponding C constant is `CANXL_VCID_OFFSET`.
    public static let vcidOffset: UInt32 = 16

    // MARK: Fields

    // Settable only here, so a receive buffer can decode into one value again and again (``decode(kernelBytes:)``).

    /// The 11-bit priority (the arbitration field; lower wins), 0...0x7FF.
    public private(set) var priority: UInt16
    /// The virtual CAN network id (0 = untagged).
    public private(set) var vcid: UInt8
    /// The flags; ``CANXLFlags/xlFormat`` is always set.
    public private(set) var flags: CANXLFlags
    /// The SDU type: what the data carries (`sdt`, CiA 611-1).
    public private(set) var serviceDataUnitType: UInt8
    /// The acceptance field (`af`): the 32-bit addressing information.
    public private(set) var acceptanceField: UInt32
    /// The data bytes, 1...2048.
    public private(set) var data: [UInt8]

    /// A CAN XL frame; XLF is set whether or not `flags` has it.
    /// - Parameters:
    ///   - priority: 0...0x7FF.
    ///   - vcid: The virtual CAN network id; sent as given only on sockets with VCID pass-through.
    ///   - flags: SEC and RRS; XLF is added.
    ///   - serviceDataUnitType: `sdt`.
    ///   - acceptanceField: `af`.
    ///   - data: 1 to 2048 bytes.
    /// - Throws: ``CANXLFrameError`` for a priority beyond 11 bits, reserved flag bits, or a bad data length.
    public init(priority: UInt32, vcid: UInt8 = 0, flags: CANXLFlags = [], serviceDataUnitType: UInt8 = 0,
                acceptanceField: UInt32 = 0, data: some Collection<UInt8>) throws(CANXLFrameError) {
        guard priority <= Self.priorityMask else { throw .priorityOutOfRange(priority) }
        guard flags.isSubset(of: .defined) else { throw .reservedFlags(flags.rawValue) }
        guard (Self.minimumDataLength...Self.maximumDataLength).contains(data.count) else {
            throw .invalidDataLength(data.count)
        }
        self.priority = UInt16(priority)
        self.vcid = vcid
        self.flags = flags.union(.xlFormat)
        self.serviceDataUnitType = serviceDataUnitType
        self.acceptanceField = acceptanceField
        self.data = Array(data)
    }

    // MARK: Kernel codec

    /// Decodes the kernel's bytes: a 12-byte header and exactly `len` data bytes.
    /// - Throws: ``CANXLFrameError`` for a size outside 13...2060, flags without XLF, or a `len` that disagrees
    ///   with the size. Reserved flag bits are kept, as the kernel delivered them.
    public init(kernelBytes bytes: UnsafeRawBufferPointer) throws(CANXLFrameError) {
        let header = try Self.checkedHeader(bytes)
        self.init(prio: header.prio, header: bytes, data: Array(UnsafeRawBufferPointer(rebasing: bytes[Self.headerSize...])))
    }

    /// The header fields of the kernel's bytes, already checked by ``checkedHeader(_:)``, and the data given.
    private init(prio: UInt32, header bytes: UnsafeRawBufferPointer, data: [UInt8]) {
        priority = UInt16(prio & Self.priorityMask)
        vcid = UInt8(truncatingIfNeeded: prio >> Self.vcidOffset)
        flags = CANXLFlags(rawValue: bytes[4])
        serviceDataUnitType = bytes[5]
        acceptanceField = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        self.data = data
    }

    /// Decodes the kernel's bytes into this value, as ``init(kernelBytes:)-(UnsafeRawBufferPointer)`` does,
    /// reusing the data array's storage: the first time it is too small it grows to 2048 bytes, and from then on,
    /// while this value holds the only reference to it, nothing is allocated. Receive batches decode into one
    /// value per slot this way.
    /// - Throws: ``CANXLFrameError`` as the initializer does; the value is unchanged then.
    mutating func decode(kernelBytes bytes: UnsafeRawBufferPointer) throws(CANXLFrameError) {
        let header = try Self.checkedHeader(bytes)
        // The array taken out of this value, so that it is refilled in place rather than copied.
        var data: [UInt8] = []
        swap(&data, &self.data)
        if data.capacity < header.length {
            data = []
            data.reserveCapacity(Self.maximumDataLength)  // once: every later frame fits
        } else {
            data.removeAll(keepingCapacity: true)
        }
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[Self.headerSize...]))
        self = CANXLFrame(prio: header.prio, header: bytes, data: data)
    }

    /// The checks both decoders make: the size, XLF, and `len` against the size.
    private static func checkedHeader(_ bytes: UnsafeRawBufferPointer) throws(CANXLFrameError) -> (prio: UInt32, length: Int) {
        guard bytes.count >= headerSize + minimumDataLength, bytes.count <= mtu else {
            throw .invalidKernelSize(bytes.count)
        }
        let flags = bytes[4]
        guard flags & CANXLFlags.xlFormat.rawValue != 0 else { throw .missingXLFFlag(flags) }
        let length = Int(bytes.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        guard (minimumDataLength...maximumDataLength).contains(length) else { throw .invalidDataLength(length) }
        guard headerSize + length == bytes.count else { throw .kernelLengthMismatch(length: length, size: bytes.count) }
        return (bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self), length)
    }

    /// A one-byte frame, the starting value of a receive slot (see ``decode(kernelBytes:)``).
    static let placeholder = try! CANXLFrame(priority: 0, data: [0])

    /// Decodes kernel bytes held in an array.
    public init(kernelBytes bytes: [UInt8]) throws(CANXLFrameError) {
        let result: Result<CANXLFrame, CANXLFrameError> = bytes.withUnsafeBytes { raw in
            do throws(CANXLFrameError) { return .success(try CANXLFrame(kernelBytes: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// The number of bytes on the wire: the header and the data (`CANXL_HDR_SIZE + len`).
    public var kernelSize: Int { Self.headerSize + data.count }

    /// The kernel's `prio` word: priority and VCID.
    public var kernelPriority: UInt32 { UInt32(priority) | UInt32(vcid) << Self.vcidOffset }

    /// Writes the kernel layout (header and data, ``kernelSize`` bytes) into `buffer`.
    /// - Returns: The number of bytes written, ``kernelSize``.
    @discardableResult
    public func encode(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let size = kernelSize
        precondition(buffer.count >= size, "a canxl_frame with \(data.count) data bytes needs \(size) bytes")
        buffer.storeBytes(of: kernelPriority, toByteOffset: 0, as: UInt32.self)
        buffer[4] = flags.rawValue
        buffer[5] = serviceDataUnitType
        buffer.storeBytes(of: UInt16(data.count), toByteOffset: 6, as: UInt16.self)
        buffer.storeBytes(of: acceptanceField, toByteOffset: 8, as: UInt32.self)
        data.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[Self.headerSize..<size]).copyMemory(from: $0) }
        return size
    }

    /// The kernel layout as an array (``kernelSize`` bytes).
    public var kernelBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: kernelSize)
        bytes.withUnsafeMutableBytes { _ = encode(into: $0) }
        return bytes
    }

    /// The cansend / candump-log syntax of current can-utils, e.g. `00242#80:00:00000000#DEADBEEF`.
    public var description: String { CANFrameText.compact(self) }
}
