/// The captured bytes of one protocol layer as tcpdump's printers see them: the layer starts at ``start`` and
/// reading stops where the capture stops or where an enclosing header says the packet ends, whichever comes
/// first. A printer asks ``has(_:)`` before reading a field (tcpdump's `ND_TCHECK`) and prints `[|proto]` where
/// that fails; the fields of a header that was captured are read through its codec (``parse(_:)`` and the
/// tolerant header views in `CapturedBytes+Headers.swift`).
struct CapturedBytes {
    /// The packet, cut where this layer's bytes end.
    let buffer: UnsafeRawBufferPointer
    /// Where the layer starts in ``buffer``.
    let start: Int

    /// The layer at `start` of `buffer`, cut at `end` when that is before the buffer's end.
    init(_ buffer: UnsafeRawBufferPointer, at start: Int, end: Int? = nil) {
        let stop = min(buffer.count, max(0, end ?? buffer.count))
        self.buffer = UnsafeRawBufferPointer(rebasing: buffer[0..<stop])
        self.start = start
    }

    /// Bytes captured from the layer's start (0 when it starts past the end).
    var count: Int { max(0, buffer.count - start) }

    /// Whether `count` bytes from the layer's start were captured.
    @inline(__always) func has(_ count: Int) -> Bool { self.count >= count }

    /// The byte `at` bytes into the layer; the caller has checked ``has(_:)``.
    @inline(__always) func u8(_ at: Int) -> UInt8 { buffer.u8(start + at) }
    /// The big-endian 16-bit field `at` bytes into the layer.
    @inline(__always) func u16(_ at: Int) -> UInt16 { buffer.u16(start + at) }
    /// The big-endian 32-bit field `at` bytes into the layer.
    @inline(__always) func u32(_ at: Int) -> UInt32 { buffer.u32(start + at) }
    /// The IPv4 address `at` bytes into the layer.
    @inline(__always) func ipv4(_ at: Int) -> IPv4Address { IPv4Address(buffer, at: start + at) }
    /// The IPv6 address `at` bytes into the layer.
    @inline(__always) func ipv6(_ at: Int) -> IPv6Address { IPv6Address(buffer, at: start + at) }
    /// The MAC address `at` bytes into the layer.
    @inline(__always) func mac(_ at: Int) -> MACAddress { MACAddress(buffer, at: start + at) }

    /// The first `count` bytes of the layer; the caller has checked ``has(_:)``.
    func bytes(_ count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[start..<(start + count)]) }

    /// The layer that follows after `count` bytes, with the same end.
    func dropFirst(_ count: Int) -> CapturedBytes { CapturedBytes(buffer, at: start + count) }

    /// This layer cut after `length` bytes (an enclosing header's length); never longer than it is.
    func prefix(_ length: Int) -> CapturedBytes { CapturedBytes(buffer, at: start, end: start + max(0, length)) }

    /// The header a codec decodes at the layer's start, nil when it was not wholly captured or is malformed.
    func parse<Header>(_ decode: (UnsafeRawBufferPointer, Int) throws(PacketDecodingError) -> Header) -> Header? {
        do { return try decode(buffer, start) } catch { return nil }
    }
}
