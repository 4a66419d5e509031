/// Any frame a CAN_RAW socket with CAN XL enabled carries: classic or FD (``CANFrame``), or CAN XL (``CANXLFrame``).
///
/// Size alone cannot tell them apart (an XL frame with 4 data bytes is 16 bytes, with 60 it is 72): the kernel and
/// can-utils look at byte 4, which is `len` (at most 64) in `can_frame`/`canfd_frame` and `flags` with `CANXL_XLF`
/// (0x80) in `canxl_frame`.
public enum CANAnyFrame: Hashable, Sendable, CustomStringConvertible {
    /// A classic CAN or CAN FD frame.
    case can(CANFrame)
    /// A CAN XL frame.
    case xl(CANXLFrame)

    /// Decodes the kernel's bytes: a `canxl_frame` when byte 4 has `CANXL_XLF`, else a `can_frame` (16 bytes)
    /// or `canfd_frame` (72 bytes).
    /// - Throws: ``CANFrameError`` or ``CANXLFrameError`` for bytes that are neither.
    public init(kernelBytes bytes: UnsafeRawBufferPointer) throws {
        self = Self.holdsXL(bytes) ? .xl(try CANXLFrame(kernelBytes: bytes)) : .can(try CANFrame(kernelBytes: bytes))
    }

    /// Whether kernel bytes are (or claim to be) a `canxl_frame`: byte 4 has `CANXL_XLF`, or the size is neither
    /// a `can_frame`'s nor a `canfd_frame`'s (then ``CANXLFrame``'s decoder says what is wrong with them).
    static func holdsXL(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.count > 4 && bytes[4] & CANXLFlags.xlFormat.rawValue != 0 { return true }
        return bytes.count != CANFrame.classicSize && bytes.count != CANFrame.fdSize
    }

    /// The number of bytes this frame takes on a CAN_RAW socket: 16, 72, or 12 + the XL data length.
    public var kernelSize: Int {
        switch self {
        case .can(let frame): frame.isFD ? CANFrame.fdSize : CANFrame.classicSize
        case .xl(let frame): frame.kernelSize
        }
    }

    /// Writes the kernel layout into `buffer`.
    /// - Returns: The number of bytes written.
    @discardableResult
    public func encode(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        switch self {
        case .can(let frame): frame.encode(into: buffer)
        case .xl(let frame): frame.encode(into: buffer)
        }
    }

    /// The cansend / candump-log syntax.
    public var description: String {
        switch self {
        case .can(let frame): frame.description
        case .xl(let frame): frame.description
        }
    }
}
