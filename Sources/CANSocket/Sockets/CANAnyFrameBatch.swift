#if canImport(Glibc)
import Glibc
#endif
import SocketBase

/// Reused buffers for receiving many frames of any kind (classic, FD and CAN XL) with one `recvmmsg(2)`:
/// ``CANRawSocket/receive(into:flags:)-(CANAnyFrameBatch,_)`` fills it, ``subscript(_:)`` reads the frames.
///
/// The ``CANFrameBatch`` of a socket with `CAN_RAW_XL_FRAMES`: each slot has room for a whole `canxl_frame`
/// (`CANXL_MTU`, 2060 bytes), and each slot decodes XL frames into one ``CANXLFrame`` whose data array it keeps.
/// A slot's array grows once, to 2048 bytes, on its first XL frame; after that nothing is allocated per frame,
/// as long as the caller does not keep the frames it read (a kept frame keeps its data; the slot then gets a
/// new array on its next XL frame).
public final class CANAnyFrameBatch {
    let messages: MessageBatch
    // The batches' stored properties are read and written per frame; their accesses are never overlapping
    // (one owner, no escaping closures), so the runtime's exclusivity bookkeeping, a fifth of candump-swift's
    // instructions per frame under callgrind, is turned off for them.
    @exclusivity(unchecked) var frames: [CANReceivedAnyFrame]
    /// Per slot, the XL frame it decodes into (its data array is reused).
    @exclusivity(unchecked) var xlFrames: [CANXLFrame]
    /// How many frames the last receive delivered.
    @exclusivity(unchecked) public internal(set) var count = 0

    /// The most frames one receive can deliver.
    public var capacity: Int { messages.capacity }

    /// Allocates room for `capacity` frames of up to `frameSize` bytes each.
    /// - Parameters:
    ///   - capacity: The most frames one `recvmmsg` takes.
    ///   - frameSize: The largest frame a slot takes: `CANXL_MTU` (2060, the default) for a socket with
    ///     `CAN_RAW_XL_FRAMES`; ``CANFrame/fdSize`` (72) is enough without it. A longer frame is cut by the kernel
    ///     (`MSG_TRUNC`) and skipped.
    public init(capacity: Int = 64, frameSize: Int = CANXLFrame.mtu) {
        precondition(frameSize >= CANFrame.fdSize, "a slot must take a canfd_frame (72 bytes), got \(frameSize)")
        messages = MessageBatch(capacity: capacity, messageSize: frameSize, controlSize: CANFrameBatch.controlSize)
        let placeholder = CANReceivedAnyFrame(frame: .can(CANFrame.placeholder), interface: "", interfaceIndex: 0,
                                              timestamp: .zero, origin: .remote, dropCount: 0)
        frames = Array(repeating: placeholder, count: capacity)
        xlFrames = Array(repeating: CANXLFrame.placeholder, count: capacity)
    }

    /// The `index`th frame of the last receive (0 ..< ``count``).
    public subscript(index: Int) -> CANReceivedAnyFrame {
        precondition(index >= 0 && index < count, "frame \(index) of a batch of \(count)")
        return frames[index]
    }

    /// Decodes received bytes into slot `slot`: a classic or FD frame by value, an XL frame into the slot's
    /// reused ``CANXLFrame``.
    func decodeFrame(_ bytes: UnsafeRawBufferPointer, slot: Int) throws -> CANAnyFrame {
        guard CANAnyFrame.holdsXL(bytes) else { return .can(try CANFrame(kernelBytes: bytes)) }
        // Drop the slot's previous reference first, so the XL frame's data array is uniquely referenced and
        // decoding reuses it instead of copying it.
        frames[slot].frame = .can(CANFrame.placeholder)
        try xlFrames[slot].decode(kernelBytes: bytes)
        return .xl(xlFrames[slot])
    }
}
