#if canImport(Glibc)
import Glibc
#endif
import SocketBase
import Synchronization

/// Reused buffers for receiving many CAN frames with one `recvmmsg(2)`: ``CANRawSocket/receive(into:flags:)``
/// fills it, ``subscript(_:)`` reads the frames. Allocated once; nothing is allocated per frame.
public final class CANFrameBatch {
    /// Control space per frame: a `timespec` (SO_TIMESTAMPNS) and a `UInt32` (SO_RXQ_OVFL), with room to spare.
    static let controlSize = ControlMessages.space(forPayload: MemoryLayout<timespec>.size)
        + ControlMessages.space(forPayload: MemoryLayout<UInt32>.size) + 64

    let messages: MessageBatch
    /// Read and written per frame, never in overlapping accesses: no runtime exclusivity checks (see
    /// ``CANAnyFrameBatch``).
    @exclusivity(unchecked) var frames: [CANReceivedFrame]
    /// How many frames the last receive delivered.
    @exclusivity(unchecked) public internal(set) var count = 0

    /// The most frames one receive can deliver.
    public var capacity: Int { messages.capacity }

    /// Allocates room for `capacity` frames of up to 72 bytes each.
    public init(capacity: Int = 64) {
        messages = MessageBatch(capacity: capacity, messageSize: CANFrame.fdSize, controlSize: Self.controlSize)
        let placeholder = CANReceivedFrame(frame: CANFrame.placeholder, interface: "", interfaceIndex: 0,
                                           timestamp: .init(seconds: 0, nanoseconds: 0), origin: .remote, dropCount: 0)
        frames = Array(repeating: placeholder, count: capacity)
    }

    /// The `index`th frame of the last receive (0 ..< ``count``).
    public subscript(index: Int) -> CANReceivedFrame {
        precondition(index >= 0 && index < count, "frame \(index) of a batch of \(count)")
        return frames[index]
    }
}
