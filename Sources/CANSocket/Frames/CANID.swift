import CCANShims

/// A CAN identifier: standard (11-bit) or extended (29-bit), validated.
public struct CANID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The identifier bits, without the kernel's EFF/RTR/ERR flags.
    public let rawValue: UInt32
    /// Whether this is a 29-bit extended identifier.
    public let isExtended: Bool

    /// The largest standard identifier (`CAN_SFF_MASK`).
    public static let standardMax = UInt32(CAN_SFF_MASK)
    /// The largest extended identifier (`CAN_EFF_MASK`).
    public static let extendedMax = UInt32(CAN_EFF_MASK)

    /// A standard 11-bit identifier.
    /// - Throws: ``CANFrameError/idOutOfRange(_:extended:)`` above 0x7FF.
    public init(standard value: UInt32) throws(CANFrameError) {
        guard value <= Self.standardMax else { throw .idOutOfRange(value, extended: false) }
        rawValue = value
        isExtended = false
    }

    /// An extended 29-bit identifier.
    /// - Throws: ``CANFrameError/idOutOfRange(_:extended:)`` above 0x1FFFFFFF.
    public init(extended value: UInt32) throws(CANFrameError) {
        guard value <= Self.extendedMax else { throw .idOutOfRange(value, extended: true) }
        rawValue = value
        isExtended = true
    }

    /// The identifier in a kernel `can_id` word (its EFF flag decides the width).
    public init(kernelID word: UInt32) {
        isExtended = word & CANFrame.extendedFlag != 0
        rawValue = word & (isExtended ? Self.extendedMax : Self.standardMax)
    }

    /// The `can_id` word for this identifier: the bits, plus `CAN_EFF_FLAG` when extended.
    public var kernelID: UInt32 { isExtended ? rawValue | CANFrame.extendedFlag : rawValue }

    public static func < (a: CANID, b: CANID) -> Bool { (a.rawValue, a.isExtended ? 1 : 0) < (b.rawValue, b.isExtended ? 1 : 0) }

    /// Three hex digits for a standard id, eight for an extended one, as candump prints them.
    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, (isExtended ? 8 : 3) - hex.count)) + hex
    }
}

/// Why a CAN frame could not be built.
public enum CANFrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The identifier does not fit 11 (standard) or 29 (extended) bits.
    case idOutOfRange(UInt32, extended: Bool)
    /// Too much data for the frame type (8 classic, 64 FD).
    case tooMuchData(count: Int, maximum: Int)
    /// An FD length that no DLC encodes (valid: 0-8, 12, 16, 20, 24, 32, 48, 64).
    case invalidFDLength(Int)
    /// A remote request's length (DLC) above 8.
    case invalidRemoteLength(Int)
    /// A raw DLC 9...15 on a frame that does not carry 8 bytes.
    case invalidLen8DLC(UInt8, count: Int)
    /// Kernel bytes of a size that is neither `can_frame` (16) nor `canfd_frame` (72).
    case invalidKernelSize(Int)
    /// A length field in kernel bytes beyond the frame type's maximum.
    case invalidKernelLength(Int, maximum: Int)

    public var description: String {
        switch self {
        case .idOutOfRange(let id, let extended):
            "CAN id 0x\(String(id, radix: 16, uppercase: true)) does not fit \(extended ? "29 bits (max 0x1FFFFFFF)" : "11 bits (max 0x7FF)")"
        case .tooMuchData(let count, let maximum):
            "\(count) data bytes, at most \(maximum) allowed"
        case .invalidFDLength(let count):
            "\(count) bytes is not a CAN FD length (0-8, 12, 16, 20, 24, 32, 48, 64)"
        case .invalidRemoteLength(let length):
            "remote frame length \(length), at most 8"
        case .invalidLen8DLC(let dlc, let count):
            "raw DLC \(dlc) needs 8 data bytes (has \(count)) and must be 9...15"
        case .invalidKernelSize(let size):
            "\(size) bytes is neither a can_frame (16) nor a canfd_frame (72)"
        case .invalidKernelLength(let length, let maximum):
            "length field \(length) exceeds \(maximum)"
        }
    }
}
