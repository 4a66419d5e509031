#if canImport(Glibc)
import Glibc
#endif

/// Memory mapped from a descriptor with `mmap(2)` and owned: unmapped (`munmap(2)`) on ``unmap()`` or deinit.
///
/// Used for kernel rings shared with a socket (AF_PACKET's `PACKET_RX_RING`). The region outlives nothing it
/// came from: keep the socket open while the region is in use.
public final class MappedRegion {
    /// The first byte of the mapping; invalid after ``unmap()``.
    public let baseAddress: UnsafeMutableRawPointer
    /// The length in bytes.
    public let count: Int
    private var mapped = true

    /// Maps `length` bytes of `socket`'s descriptor, shared, readable and writable (`PROT_READ | PROT_WRITE`,
    /// `MAP_SHARED`, plus `MAP_LOCKED` when `locked`).
    /// - Throws: ``SystemCallError`` for `mmap`, e.g. `mmap(eth0): Cannot allocate memory (errno 12)`.
    public init(mapping socket: Socket, length: Int, locked: Bool = false) throws {
        let fd = try socket.openDescriptor("mmap")
        let flags = MAP_SHARED | (locked ? MAP_LOCKED : 0)
        baseAddress = try Sys.mmap(fd, length: length, protection: PROT_READ | PROT_WRITE, flags: flags)
            .get("mmap", target: socket.label)
        count = length
    }

    /// The size of a memory page: `sysconf(_SC_PAGESIZE)`.
    public static var pageSize: Int { Sys.pageSize }

    /// The whole region as a buffer.
    public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: baseAddress, count: count) }

    /// Unmaps the region; later calls do nothing.
    public func unmap() throws {
        guard mapped else { return }
        mapped = false
        try Sys.munmap(baseAddress, length: count).get("munmap")
    }

    deinit {
        if mapped { _ = Sys.munmap(baseAddress, length: count) }
    }
}
