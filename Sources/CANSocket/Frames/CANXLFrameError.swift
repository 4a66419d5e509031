/// A CAN XL frame that cannot be built or decoded, with what was wrong.
public enum CANXLFrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The priority does not fit 11 bits (`CANXL_PRIO_MASK`).
    case priorityOutOfRange(UInt32)
    /// A data length outside 1...2048 (`CANXL_MIN_DLEN`...`CANXL_MAX_DLEN`).
    case invalidDataLength(Int)
    /// Flag bits the kernel reserves (anything but XLF 0x80, SEC 0x01, RRS 0x02).
    case reservedFlags(UInt8)
    /// Kernel bytes without `CANXL_XLF` in the flags: not a CAN XL frame.
    case missingXLFFlag(UInt8)
    /// Kernel bytes shorter than a header and one data byte (13), or longer than `CANXL_MTU` (2060).
    case invalidKernelSize(Int)
    /// Kernel bytes whose `len` field disagrees with their size (the kernel sends exactly 12 + `len` bytes).
    case kernelLengthMismatch(length: Int, size: Int)

    public var description: String {
        switch self {
        case .priorityOutOfRange(let priority):
            "CAN XL priority 0x\(String(priority, radix: 16, uppercase: true)) does not fit 11 bits (max 0x7FF)"
        case .invalidDataLength(let count):
            "\(count) data bytes: a CAN XL frame carries 1 to 2048"
        case .reservedFlags(let flags):
            "CAN XL flags 0x\(String(flags, radix: 16, uppercase: true)) set reserved bits (defined: XLF 0x80, SEC 0x01, RRS 0x02)"
        case .missingXLFFlag(let flags):
            "CAN XL flags 0x\(String(flags, radix: 16, uppercase: true)) lack CANXL_XLF (0x80): not a CAN XL frame"
        case .invalidKernelSize(let size):
            "\(size) bytes is not a canxl_frame (12-byte header and 1 to 2048 data bytes)"
        case .kernelLengthMismatch(let length, let size):
            "canxl_frame len \(length) does not match its \(size) bytes (expected \(12 + length))"
        }
    }
}
