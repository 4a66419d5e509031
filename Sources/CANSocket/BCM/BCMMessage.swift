import CCANShims

/// A broadcast-manager message: `struct bcm_msg_head` (56 bytes on 64-bit Linux) followed by `nframes`
/// frames, `struct can_frame` (16 bytes) or, with `CAN_FD_FRAME`, `struct canfd_frame` (72 bytes).
///
/// Layout: opcode u32 @0, flags u32 @4, count u32 @8, ival1 {long tv_sec, long tv_usec} @16, ival2 @32,
/// can_id u32 @48, nframes u32 @52, frames @56. Encoding and decoding are pure functions, testable without a kernel.
public struct BCMMessage: Hashable, Sendable {
    /// Size of `struct bcm_msg_head`.
    public static let headerSize = 56
    /// Frames per job the kernel accepts (`MAX_NFRAMES`).
    public static let maximumFrames = 256
    /// The largest message: a head and 257 FD frames (an `RX_SETUP` mask plus 256 multiplex frames).
    public static let maximumSize = headerSize + (maximumFrames + 1) * CANFrame.fdSize
    /// The longest interval the kernel takes (`BCM_TIMER_SEC_MAX`, 400 days).
    public static let maximumInterval = Duration.seconds(400 * 24 * 60 * 60)

    /// The operation (`opcode`).
    public var opcode: BCMOpcode
    /// The flags (`flags`); ``BCMFlags/fdFrames`` decides the size of every frame.
    public var flags: BCMFlags
    /// How many frames to send at ``interval1`` before switching to ``interval2`` (`count`).
    public var count: UInt32
    /// `ival1`: the interval of the first `count` frames (TX) or the reception timeout (RX), microsecond resolution.
    public var interval1: Duration
    /// `ival2`: the cyclic interval (TX) or the throttle interval for `RX_CHANGED` (RX).
    public var interval2: Duration
    /// The job's `can_id` word, with `CAN_EFF_FLAG` (and `CAN_RTR_FLAG` for remote-reply jobs).
    public var rawID: UInt32
    /// The frames (`nframes` of them).
    public var frames: [CANFrame]

    public init(opcode: BCMOpcode, flags: BCMFlags = [], count: UInt32 = 0, interval1: Duration = .zero,
                interval2: Duration = .zero, rawID: UInt32, frames: [CANFrame] = []) {
        self.opcode = opcode
        self.flags = flags
        self.count = count
        self.interval1 = interval1
        self.interval2 = interval2
        self.rawID = rawID
        self.frames = frames
    }

    /// The size of one frame in this message: 72 with `CAN_FD_FRAME`, else 16.
    public var frameSize: Int { flags.contains(.fdFrames) ? CANFrame.fdSize : CANFrame.classicSize }

    /// The encoded size: the head plus every frame.
    public var encodedSize: Int { Self.headerSize + frames.count * frameSize }

    // MARK: Encoding

    /// Checks what the kernel would refuse, or silently misread, before a system call.
    /// - Throws: ``BCMError`` for too many frames, frames of the wrong kind for `CAN_FD_FRAME`, a negative or too
    ///   long interval, or a standard id above 0x7FF.
    public func validate() throws(BCMError) {
        let maximum = opcode == .rxSetup ? Self.maximumFrames + 1 : Self.maximumFrames
        guard frames.count <= maximum else { throw .tooManyFrames(opcode: opcode, count: frames.count, maximum: maximum) }
        let fd = flags.contains(.fdFrames)
        if let index = frames.firstIndex(where: { $0.isFD != fd }) { throw .mixedFrameKinds(index: index, jobIsFD: fd) }
        try Self.check(interval1, name: "interval 1 (ival1)")
        try Self.check(interval2, name: "interval 2 (ival2)")
        if rawID & CANFrame.extendedFlag == 0 && rawID & CANID.extendedMax > CANID.standardMax {
            throw .idOutOfRange(rawID)
        }
    }

    static func check(_ interval: Duration, name: String) throws(BCMError) {
        if interval < .zero { throw .negativeInterval(name: name, value: interval) }
        if interval > maximumInterval { throw .intervalTooLong(name: name, value: interval) }
    }

    /// Writes the kernel layout into `buffer` (at least ``encodedSize`` bytes), after ``validate()``.
    /// Intervals are written as `{tv_sec, tv_usec}`, truncated to microseconds.
    /// - Returns: The number of bytes written.
    @discardableResult
    public func encode(into buffer: UnsafeMutableRawBufferPointer) throws(BCMError) -> Int {
        try validate()
        let size = encodedSize
        precondition(buffer.count >= size, "a BCM message with \(frames.count) frames needs \(size) bytes")
        let head = UnsafeMutableRawBufferPointer(rebasing: buffer[..<Self.headerSize])
        head.initializeMemory(as: UInt8.self, repeating: 0)
        head.storeBytes(of: opcode.rawValue, toByteOffset: 0, as: UInt32.self)
        head.storeBytes(of: flags.rawValue, toByteOffset: 4, as: UInt32.self)
        head.storeBytes(of: count, toByteOffset: 8, as: UInt32.self)
        let (s1, u1) = Self.timeval(interval1)
        head.storeBytes(of: s1, toByteOffset: 16, as: Int.self)
        head.storeBytes(of: u1, toByteOffset: 24, as: Int.self)
        let (s2, u2) = Self.timeval(interval2)
        head.storeBytes(of: s2, toByteOffset: 32, as: Int.self)
        head.storeBytes(of: u2, toByteOffset: 40, as: Int.self)
        head.storeBytes(of: rawID, toByteOffset: 48, as: UInt32.self)
        head.storeBytes(of: UInt32(frames.count), toByteOffset: 52, as: UInt32.self)
        var offset = Self.headerSize
        let step = frameSize
        for frame in frames {
            frame.encode(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + step)]))
            offset += step
        }
        return size
    }

    /// The kernel layout as an array.
    public func encoded() throws(BCMError) -> [UInt8] {
        try validate()
        var bytes = [UInt8](repeating: 0, count: encodedSize)
        bytes.withUnsafeMutableBytes { raw in _ = try? encode(into: raw) }
        return bytes
    }

    static func timeval(_ duration: Duration) -> (seconds: Int, microseconds: Int) {
        let (seconds, attoseconds) = duration.components
        return (Int(seconds), Int(attoseconds / 1_000_000_000_000))
    }

    // MARK: Decoding

    /// The head, read through the kernel's `struct bcm_msg_head` without copying the frames, and the size of
    /// each frame after it.
    struct Head {
        let raw: bcm_msg_head
        let frameSize: Int

        var opcode: BCMOpcode { BCMOpcode(rawValue: raw.opcode) }
        var flags: BCMFlags { BCMFlags(rawValue: raw.flags) }
        var count: UInt32 { raw.count }
        var interval1: Duration { Self.duration(raw.ival1) }
        var interval2: Duration { Self.duration(raw.ival2) }
        var rawID: UInt32 { raw.can_id }
        var nframes: Int { Int(raw.nframes) }

        /// Reads and checks the head of `bytes`: long enough, and `nframes` frames exactly fill the rest.
        init(_ bytes: UnsafeRawBufferPointer) throws(BCMError) {
            guard bytes.count >= BCMMessage.headerSize else { throw .truncatedMessage(count: bytes.count) }
            raw = bytes.loadUnaligned(as: bcm_msg_head.self)
            frameSize = BCMFlags(rawValue: raw.flags).contains(.fdFrames) ? CANFrame.fdSize : CANFrame.classicSize
            guard raw.nframes <= BCMMessage.maximumFrames + 1,
                  bytes.count == BCMMessage.headerSize + Int(raw.nframes) * frameSize else {
                throw .lengthMismatch(count: bytes.count, nframes: raw.nframes, frameSize: frameSize)
            }
        }

        /// `{tv_sec, tv_usec}` as a duration.
        static func duration(_ interval: bcm_timeval) -> Duration {
            .seconds(interval.tv_sec) + .microseconds(interval.tv_usec)
        }

        /// The `index`th frame after the head.
        func frame(_ index: Int, in bytes: UnsafeRawBufferPointer) -> CANFrame {
            let start = BCMMessage.headerSize + index * frameSize
            // The size is 16 or 72 by construction, so decoding cannot fail.
            return try! CANFrame(kernelBytes: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + frameSize)]))
        }
    }

    /// Decodes a message in the kernel layout.
    /// - Throws: ``BCMError/truncatedMessage(count:)`` below 56 bytes, ``BCMError/lengthMismatch(count:nframes:frameSize:)``
    ///   when `nframes` frames of the size `CAN_FD_FRAME` selects do not exactly fill the rest.
    public init(kernelBytes bytes: UnsafeRawBufferPointer) throws(BCMError) {
        let head = try Head(bytes)
        self.init(opcode: head.opcode, flags: head.flags, count: head.count, interval1: head.interval1,
                  interval2: head.interval2, rawID: head.rawID,
                  frames: (0..<head.nframes).map { head.frame($0, in: bytes) })
    }

    /// Decodes a message held in an array.
    public init(kernelBytes bytes: [UInt8]) throws(BCMError) {
        let result: Result<BCMMessage, BCMError> = bytes.withUnsafeBytes { raw in
            do throws(BCMError) { return .success(try BCMMessage(kernelBytes: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }
}
