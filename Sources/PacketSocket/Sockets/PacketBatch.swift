import SocketBase

/// Reused buffers for receiving many packets with one `recvmmsg(2)`: ``LinkLayerSocket/receive(into:flags:)``
/// fills it, ``subscript(_:)`` reads the packets. Allocated once; nothing is allocated per packet.
public final class PacketBatch {
    let messages: MessageBatch
    var packets: [CapturedPacket]
    /// How many packets the last receive delivered.
    public internal(set) var count = 0

    /// The most packets one receive can deliver.
    public var capacity: Int { messages.capacity }

    /// Allocates room for `capacity` packets of up to `packetSize` bytes each (bytes past it are cut, and
    /// counted in ``CapturedPacket/originalLength``).
    public init(capacity: Int = 64, packetSize: Int = 65_536) {
        messages = MessageBatch(capacity: capacity, messageSize: packetSize, controlSize: LinkLayerSocket.controlSize)
        let placeholder = CapturedPacket(
            bytes: UnsafeRawBufferPointer(start: nil, count: 0), originalLength: 0, interfaceIndex: 0, interfaceName: "",
            etherType: 0, packetType: .host, hardwareType: .ethernet, sourceAddress: .none,
            timestamp: .init(seconds: 0, nanoseconds: 0), vlan: nil)
        packets = Array(repeating: placeholder, count: capacity)
    }

    /// The `index`th packet of the last receive (0 ..< ``count``), valid until the next receive.
    public subscript(index: Int) -> CapturedPacket {
        precondition(index >= 0 && index < count, "packet \(index) of a batch of \(count)")
        return packets[index]
    }
}
