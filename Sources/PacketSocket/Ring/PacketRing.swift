#if canImport(Glibc)
import Glibc
#endif
import CPacketShims
import SocketBase

/// A TPACKET_V3 receive ring: the kernel writes packets into blocks of memory shared with this process, which
/// reads them in place, with no copy and no system call per packet.
///
/// Set up as `PACKET_VERSION` = `TPACKET_V3`, `PACKET_RX_RING` with a `tpacket_req3`, then `mmap` of
/// block size × block count, all before the socket is bound. ``nextPacket(timeout:)`` walks the blocks the kernel
/// has handed over (`TP_STATUS_USER`) packet by packet (`tp_next_offset`) and gives each block back
/// (`TP_STATUS_KERNEL`) once its last packet has been read; it polls for `POLLIN` when none is ready.
/// ``nextAvailablePacket()`` does the same without waiting, for loops that wait with a ``Selector``.
///
/// ```swift
/// let ring = try PacketRing(interface: "veth0")
/// while let packet = try ring.nextPacket(timeout: .seconds(1)) {
///     print(packet.timestamp, packet.capturedLength, packet.packetType)
/// }
/// ```
///
/// A packet is a view into the ring, valid until the next call. The mapping is unmapped and the socket closed
/// when the ring is released, and on every failure during setup.
public final class PacketRing {
    /// The ring's geometry (`struct tpacket_req3`).
    public struct Configuration: Sendable {
        /// Bytes per block (`tp_block_size`): a multiple of the page size, and a power of two times it.
        public var blockSize = 1 << 18
        /// Number of blocks (`tp_block_nr`).
        public var blockCount = 8
        /// Nominal frame size (`tp_frame_size`); TPACKET_V3 packs variable-length packets, this only sizes the count.
        public var frameSize = 2048
        /// A block is handed to the reader after this many milliseconds even when not full (`tp_retire_blk_tov`).
        public var retireTimeoutMilliseconds: UInt32 = 20
        /// Feature bits (`tp_feature_req_word`), e.g. `TP_FT_REQ_FILL_RXHASH` (1).
        public var featureRequestWord: UInt32 = 0

        public init() {}

        /// A ring of about `totalBytes` (rounded to whole blocks of `blockSize`, at least 2 blocks).
        public init(totalBytes: Int, blockSize: Int = 1 << 18) {
            self.blockSize = blockSize
            self.blockCount = max(2, (totalBytes + blockSize - 1) / blockSize)
        }

        /// The geometry libpcap (and so tcpdump) picks for a buffer size and snap length: a frame holds a whole
        /// snap length after the headers, a block is the smallest power-of-two number of pages that holds a frame,
        /// and there are as many blocks as `bufferBytes` has frames. For tcpdump's defaults (2 MiB, 262144 bytes)
        /// that is 7 blocks of 512 KiB.
        public init(libpcapGeometryFor bufferBytes: Int, snapLength: Int) {
            let page = MappedRegion.pageSize
            // TPACKET_ALIGN(tpacket3_hdr + sockaddr_ll + 16) before the network header, then the snap length.
            let frame = (96 + snapLength + 15) & ~15
            var block = page
            while block < frame { block <<= 1 }
            let framesPerBlock = block / frame
            self.frameSize = frame
            self.blockSize = block
            self.blockCount = max(2, (bufferBytes / frame) / framesPerBlock)
        }

        /// The mapped size: block size × block count.
        public var totalSize: Int { blockSize * blockCount }
    }

    /// The socket the ring belongs to (statistics, filters, sending).
    public let socket: LinkLayerSocket
    /// The geometry in use.
    public let configuration: Configuration
    private let region: MappedRegion
    private var block = 0
    private var holding = false
    private var remaining = 0
    private var cursor: UnsafeMutableRawPointer?

    /// Opens an AF_PACKET socket on `interface` with a TPACKET_V3 receive ring.
    /// - Parameters:
    ///   - interface: An interface name; `nil` or `any` for every interface.
    ///   - options: The socket's options (mode, EtherType, filter, promiscuous, snap length).
    ///   - configuration: The ring's geometry.
    /// - Throws: ``SystemCallError`` for the socket, `setsockopt(PACKET_RX_RING)` (e.g. `EINVAL` for a bad
    ///   geometry, `ENOMEM`) or `mmap`; nothing stays open after a failure.
    public init(interface: String?, options: LinkLayerSocket.Options = .init(), configuration: Configuration = .init()) throws {
        precondition(configuration.blockSize > 0 && configuration.blockCount > 0 && configuration.frameSize > 0)
        var mapped: MappedRegion?
        socket = try LinkLayerSocket(interface: interface, options: options) { socket in
            try socket.socket.setOption(PacketOption.version, CPS_TPACKET_V3)
            socket.usesVersion3 = true
            var request = tpacket_req3()
            request.tp_block_size = UInt32(configuration.blockSize)
            request.tp_block_nr = UInt32(configuration.blockCount)
            request.tp_frame_size = UInt32(configuration.frameSize)
            request.tp_frame_nr = UInt32(configuration.blockSize / configuration.frameSize * configuration.blockCount)
            request.tp_retire_blk_tov = configuration.retireTimeoutMilliseconds
            request.tp_sizeof_priv = 0
            request.tp_feature_req_word = configuration.featureRequestWord
            try socket.socket.setOption(level: PacketOption.level, name: PacketOption.receiveRing,
                                        label: "PACKET_RX_RING", array: [request])
            mapped = try MappedRegion(mapping: socket.socket, length: configuration.totalSize)
        }
        region = mapped!
        self.configuration = configuration
    }

    deinit {
        try? region.unmap()
    }

    /// The block descriptor (`struct tpacket_block_desc`) of block `index`.
    @inline(__always)
    private func descriptor(_ index: Int) -> UnsafeMutableRawPointer {
        region.baseAddress + index * configuration.blockSize
    }

    /// The next packet, waiting at most `timeout` (`nil`: no limit) for one.
    /// - Returns: The packet, a view into the ring valid until the next call; `nil` when the time ran out.
    /// - Throws: ``SystemCallError`` from `poll` (e.g. the socket was closed).
    public func nextPacket(timeout: Duration? = nil) throws -> CapturedPacket? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            if let packet = nextAvailablePacket() { return packet }
            let left = deadline.map { $0 - .now }
            if let left, left <= .zero { return nil }
            guard try socket.socket.waitForReadable(timeout: left) else { return nil }
        }
    }

    /// The next packet the kernel has handed over, without waiting; `nil` when none is ready. Wait for more with
    /// a ``Selector`` on ``socket`` (readable when a block is the reader's).
    /// - Returns: The packet, a view into the ring valid until the next call.
    public func nextAvailablePacket() -> CapturedPacket? {
        guard let frame = nextAvailableFrame() else { return nil }
        return socket.packet(bytes: frame.bytes, originalLength: frame.originalLength, address: frame.address,
                             timestamp: frame.timestamp, vlan: frame.strippedTag)
    }

    /// The next packet the kernel has handed over as the ring holds it, without waiting; `nil` when none is
    /// ready. What ``nextAvailablePacket()`` gives without the `sockaddr_ll` details (interface name, hardware
    /// address), for a loop that only stores packets.
    /// - Returns: The frame, a view into the ring valid until the next call.
    @inline(__always)
    public func nextAvailableFrame() -> Frame? {
        while true {
            if holding {
                if remaining > 0, let header = cursor {
                    remaining -= 1
                    cursor = header + Int(header.load(as: tpacket3_hdr.self).tp_next_offset)
                    return Frame(header, snapLength: socket.snapLength)
                }
                // Every packet of the block has been read (and the last one's view released by this call).
                cps_store_release_u32(cps_block_status_address(descriptor(block)), UInt32(TP_STATUS_KERNEL))
                holding = false
                block = (block + 1) % configuration.blockCount
            }
            let current = descriptor(block)
            guard cps_load_acquire_u32(cps_block_status_address(current)) & UInt32(TP_STATUS_USER) != 0 else { return nil }
            holding = true
            let header = current.load(as: tpacket_block_desc.self).hdr.bh1
            remaining = Int(header.num_pkts)
            cursor = current + Int(header.offset_to_first_pkt)
        }
    }

    /// Closes the socket and unmaps the ring.
    public func close() throws {
        try region.unmap()
        try socket.close()
    }
}
