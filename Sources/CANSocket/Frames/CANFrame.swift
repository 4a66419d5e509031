import CCANShims

/// A CAN frame: classic data, remote request, error frame, or CAN FD, as the kernel's `can_frame` (16 bytes)
/// and `canfd_frame` (72 bytes) carry it.
///
/// The data lives inline (up to 64 bytes, no heap allocation), so frames are cheap to copy and decoding one
/// from the kernel's bytes allocates nothing. Constructors validate ids and lengths; decoding from the kernel
/// keeps whatever the kernel delivered, within the structure's bounds.
public struct CANFrame: Hashable, Sendable, CustomStringConvertible {
    // MARK: Kernel constants

    /// Size of `struct can_frame`. The corresponding C constant is `CAN_MTU`.
    public static let classicSize = MemoryLayout<can_frame>.size
    /// Size of `struct canfd_frame`. The corresponding C constant is `CANFD_MTU`.
    public static let fdSize = MemoryLayout<canfd_frame>.size
    /// The corresponding C constant is `CAN_EFF_FLAG`.
    public static let extendedFlag = UInt32(CAN_EFF_FLAG)
    /// The corresponding C constant is `CAN_RTR_FLAG`.
    public static let remoteFlag = UInt32(CAN_RTR_FLAG)
    /// The corresponding C constant is `CAN_ERR_FLAG`.
    public static let errorFlag = UInt32(CAN_ERR_FLAG)
    /// The corresponding C constant is `CAN_ERR_MASK`.
    public static let errorMask = UInt32(CAN_ERR_MASK)

    /// The CAN FD data lengths, indexed by DLC (`can_fd_dlc2len`).
    public static let fdLengths: [Int] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64]

    // MARK: Stored fields (the kernel layout's)

    /// The kernel's `can_id` word: identifier bits plus `CAN_EFF_FLAG`, `CAN_RTR_FLAG`, `CAN_ERR_FLAG`.
    public private(set) var rawID: UInt32
    /// The data length (`len`); for a remote request, the requested length (DLC).
    public private(set) var count: Int
    /// The FD flags byte (`canfd_frame.flags`; `can_frame.__pad` on classic frames).
    public private(set) var rawFlagsByte: UInt8
    /// The raw DLC 9...15 of a classic 8-byte frame (`len8_dlc`); 0 when unused.
    public private(set) var len8DLC: UInt8
    /// Whether this is a CAN FD frame.
    public let isFD: Bool
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private init(rawID: UInt32, count: Int, flags: UInt8, len8DLC: UInt8, isFD: Bool) {
        self.rawID = rawID
        self.count = count
        self.rawFlagsByte = flags
        self.len8DLC = len8DLC
        self.isFD = isFD
        self.storage = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    private mutating func setData(_ data: some Collection<UInt8>) {
        withUnsafeMutableBytes(of: &storage) { raw in
            for (i, byte) in data.enumerated() { raw[i] = byte }
        }
    }

    // MARK: Constructors

    /// A classic data frame with 0...8 bytes.
    /// - Parameters:
    ///   - len8DLC: For 8-byte frames, a raw DLC 9...15 to send (`CAN_CTRLMODE_CC_LEN8_DLC`); nil for none.
    /// - Throws: ``CANFrameError`` for more than 8 bytes or a bad raw DLC.
    public init(id: CANID, data: some Collection<UInt8>, len8DLC: UInt8? = nil) throws(CANFrameError) {
        guard data.count <= 8 else { throw .tooMuchData(count: data.count, maximum: 8) }
        if let dlc = len8DLC, !(9...15).contains(dlc) || data.count != 8 {
            throw .invalidLen8DLC(dlc, count: data.count)
        }
        self.init(rawID: id.kernelID, count: data.count, flags: 0, len8DLC: len8DLC ?? 0, isFD: false)
        setData(data)
    }

    /// A remote transmission request for `length` (DLC 0...8) bytes.
    /// - Parameters:
    ///   - len8DLC: For a length of 8, a raw DLC 9...15 (`CAN_CTRLMODE_CC_LEN8_DLC`); nil for none.
    public init(remote id: CANID, length: Int = 0, len8DLC: UInt8? = nil) throws(CANFrameError) {
        guard (0...8).contains(length) else { throw .invalidRemoteLength(length) }
        if let dlc = len8DLC, !(9...15).contains(dlc) || length != 8 { throw .invalidLen8DLC(dlc, count: length) }
        self.init(rawID: id.kernelID | Self.remoteFlag, count: length, flags: 0, len8DLC: len8DLC ?? 0, isFD: false)
    }

    /// A CAN FD frame. `flags` may hold BRS and ESI; the FDF flag is always set, as the kernel does.
    /// - Throws: ``CANFrameError/invalidFDLength(_:)`` unless the length is one a DLC encodes.
    public init(fd id: CANID, data: some Collection<UInt8>, flags: CANFDFlags = []) throws(CANFrameError) {
        guard data.count <= 64 else { throw .tooMuchData(count: data.count, maximum: 64) }
        guard Self.fdLengths.contains(data.count) else { throw .invalidFDLength(data.count) }
        self.init(rawID: id.kernelID, count: data.count, flags: flags.union(.fdFormat).rawValue, len8DLC: 0, isFD: true)
        setData(data)
    }

    /// An error frame: `CAN_ERR_FLAG` plus the error class bits, with the 8 bytes of detail.
    /// - Throws: ``CANFrameError`` for a class beyond 29 bits or more than 8 bytes.
    public init(errorClass: UInt32, data: some Collection<UInt8>) throws(CANFrameError) {
        guard errorClass <= Self.errorMask else { throw .idOutOfRange(errorClass, extended: true) }
        guard data.count <= 8 else { throw .tooMuchData(count: data.count, maximum: 8) }
        self.init(rawID: Self.errorFlag | errorClass, count: 8, flags: 0, len8DLC: 0, isFD: false)
        setData(data)
    }

    /// A frame from a kernel `can_id` word and data, as the text formats describe one
    /// (no validation beyond the structure's bounds: this is what `parse_canframe` produces).
    init(rawID: UInt32, fd: Bool, flags: UInt8, data: some Collection<UInt8>, count: Int? = nil, len8DLC: UInt8 = 0) {
        self.init(rawID: rawID, count: count ?? data.count, flags: flags, len8DLC: len8DLC, isFD: fd)
        setData(data.prefix(fd ? 64 : 8))
    }

    /// A blank frame for preallocated buffers.
    static let placeholder = CANFrame(rawID: 0, count: 0, flags: 0, len8DLC: 0, isFD: false)

    // MARK: Kernel codec

    /// Decodes the kernel's bytes: 16 (`struct can_frame`) or 72 (`struct canfd_frame`).
    /// - Throws: ``CANFrameError/invalidKernelSize(_:)`` for any other size.
    public init(kernelBytes bytes: UnsafeRawBufferPointer) throws(CANFrameError) {
        let fd: Bool
        switch bytes.count {
        case Self.classicSize: fd = false
        case Self.fdSize: fd = true
        default: throw .invalidKernelSize(bytes.count)
        }
        let maximum = fd ? 64 : 8
        let rawID = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        let length = Int(bytes[4])
        let flags = bytes[5]
        let len8 = fd ? 0 : bytes[7]
        self.init(rawID: rawID, count: min(length, maximum), flags: flags,
                  len8DLC: (9...15).contains(len8) ? len8 : 0, isFD: fd)
        if rawID & Self.remoteFlag == 0 || fd {
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + min(length, maximum))]))
            }
        }
    }

    /// Decodes kernel bytes held in an array.
    public init(kernelBytes bytes: [UInt8]) throws(CANFrameError) {
        let result: Result<CANFrame, CANFrameError> = bytes.withUnsafeBytes { raw in
            do throws(CANFrameError) { return .success(try CANFrame(kernelBytes: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Writes the kernel layout into `buffer` (at least 16 or 72 bytes), zero padding included.
    /// - Returns: The number of bytes written: 16 for a classic frame, 72 for FD.
    @discardableResult
    public func encode(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let size = isFD ? Self.fdSize : Self.classicSize
        precondition(buffer.count >= size, "a \(isFD ? "canfd_frame" : "can_frame") needs \(size) bytes")
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[..<size])
        target.initializeMemory(as: UInt8.self, repeating: 0)
        target.storeBytes(of: rawID, toByteOffset: 0, as: UInt32.self)
        target[4] = UInt8(count)
        target[5] = rawFlagsByte
        if !isFD { target[7] = len8DLC }
        if !isRemote {
            withUnsafeBytes(of: storage) { raw in
                UnsafeMutableRawBufferPointer(rebasing: target[8..<(8 + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[..<count]))
            }
        }
        return size
    }

    /// The kernel layout as an array (16 or 72 bytes).
    public var kernelBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: isFD ? Self.fdSize : Self.classicSize)
        bytes.withUnsafeMutableBytes { _ = encode(into: $0) }
        return bytes
    }

    // MARK: Reading

    /// The identifier (for an error frame, the error class bits as an extended id).
    public var id: CANID { isError ? CANID(kernelID: (rawID & Self.errorMask) | Self.extendedFlag) : CANID(kernelID: rawID) }
    /// Whether the identifier is 29-bit (`CAN_EFF_FLAG`).
    public var isExtended: Bool { rawID & Self.extendedFlag != 0 }
    /// Whether this is a remote transmission request (`CAN_RTR_FLAG`, classic frames only).
    public var isRemote: Bool { !isFD && rawID & Self.remoteFlag != 0 }
    /// Whether this is an error frame (`CAN_ERR_FLAG`).
    public var isError: Bool { rawID & Self.errorFlag != 0 }
    /// Whether this is a plain data frame (not remote, not error).
    public var isData: Bool { !isRemote && !isError }
    /// The FD flags (BRS, ESI, FDF); empty for classic frames. FDF is set on frames from the kernel and from
    /// ``init(fd:data:flags:)``, and on parsed ones when their text says so; `==` ignores it (``isFD`` says
    /// the same).
    public var fdFlags: CANFDFlags { isFD ? CANFDFlags(rawValue: rawFlagsByte) : [] }
    /// The data length code: `len` itself up to 8, the FD code above, or the classic raw DLC 9...15.
    public var dlc: UInt8 {
        if !isFD && len8DLC != 0 { return len8DLC }
        return UInt8(Self.fdLengths.firstIndex { $0 >= count } ?? 15)
    }

    /// Calls `body` with the data bytes (`count` of them; none for a remote request), without copying.
    @inlinable
    public func withUnsafeData<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = isRemote ? 0 : count
        return try withUnsafeBytes(of: _storage) { try body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
    }

    @usableFromInline var _storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) { storage }

    /// The data bytes as an array (allocates: for code off the hot path).
    public var data: [UInt8] { withUnsafeData { Array($0) } }

    /// The data byte at `index` (0 ..< `count`).
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < 64)
        return withUnsafeBytes(of: storage) { $0[index] }
    }

    // MARK: Hashable: the fields and the `count` data bytes that matter

    /// The flags byte as equality sees it: on an FD frame without `CANFD_FDF`, which only repeats ``isFD``.
    ///
    /// Whether FDF is set depends on where the frame came from, not on what it is: the kernel sets it on every
    /// FD frame it delivers (Linux ≥ 5.14), ``init(fd:data:flags:)`` sets it as the kernel does, and a frame
    /// parsed from text has it only when the text's flags nibble does (can-utils 2020.11 logs `##1` for BRS,
    /// current can-utils `##5`). So `456##3…` parsed equals the same frame built with BRS and ESI, and equals
    /// it received. ``rawFlagsByte`` keeps the byte as it was, so text output stays byte-exact.
    private var comparedFlags: UInt8 { isFD ? rawFlagsByte & ~CANFDFlags.fdFormat.rawValue : rawFlagsByte }

    /// Frames are equal when id word, length, FD-ness, raw DLC, the `count` data bytes and the flags (FDF
    /// aside, see ``fdFlags``) are.
    public static func == (a: CANFrame, b: CANFrame) -> Bool {
        a.rawID == b.rawID && a.count == b.count && a.comparedFlags == b.comparedFlags && a.isFD == b.isFD
            && a.len8DLC == b.len8DLC && a.withUnsafeData { x in b.withUnsafeData { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawID)
        hasher.combine(count)
        hasher.combine(isFD)
        withUnsafeData { hasher.combine(bytes: $0) }
    }

    /// The cansend / candump-log syntax, e.g. `123#DEADBEEF`.
    public var description: String { CANFrameText.compact(self) }
}
