import SocketBase

/// Several TPACKET_V3 rings on one interface, joined in one `PACKET_FANOUT` group: the kernel hands each packet
/// to exactly one ring (by flow hash, CPU or round robin), so each ring can be drained by a thread of its own.
///
/// Every ring is a ``PacketRing`` with the same options and geometry, and yields the same ``CapturedPacket``
/// views with no allocation per packet. Setup, so that no packet is captured twice or outside the group: each
/// socket is opened with a filter that drops everything, bound, and joined to the group; only once all are in it
/// does each get the caller's filter (or none). Packets that arrive during setup are not captured.
///
/// ```swift
/// let group = try PacketRingGroup(interface: "veth0", count: 2, fanout: .init(mode: .hash))
/// for (i, ring) in group.rings.enumerated() {
///     DispatchQueue(label: "ring \(i)").async {
///         while let packet = try? ring.nextPacket(timeout: .seconds(1)) { print(i, packet.timestamp) }
///     }
/// }
/// ```
///
/// A ring must be read by one thread at a time; different rings by different threads at once.
public final class PacketRingGroup {
    /// The rings, in the order they joined.
    public let rings: [PacketRing]
    /// The group's settings.
    public let fanout: PacketFanout
    /// The group's id (the one asked for, or the one the kernel picked).
    public let groupID: UInt16

    /// Opens `count` rings on `interface` and joins them in one fanout group.
    /// - Parameters:
    ///   - interface: An interface name; `nil` or `any` for every interface.
    ///   - options: Every ring's socket options; the filter is attached once all rings are in the group.
    ///   - configuration: Every ring's geometry.
    ///   - count: How many rings (1 or more; the kernel allows 65536 members).
    ///   - fanout: The mode, the group id (default: a unique one picked by the kernel) and flags.
    /// - Throws: ``InvalidArgumentError`` for a count below 1 (before any system call); ``SystemCallError`` from a
    ///   ring's setup or `setsockopt(PACKET_FANOUT)` / `SO_ATTACH_FILTER`; nothing stays open after a failure.
    public init(interface: String?, options: LinkLayerSocket.Options = .init(), configuration: PacketRing.Configuration = .init(),
                count: Int, fanout: PacketFanout = .init()) throws {
        guard count >= 1 && count <= 65_536 else {
            throw InvalidArgumentError("count", value: "\(count)", reason: "a fanout group has 1 to 65536 rings")
        }
        var closed = options
        closed.filter = BPFProgram([.reject])
        var rings: [PacketRing] = []
        func closeAll() { for ring in rings { try? ring.close() } }
        do {
            var joined = fanout
            for _ in 0..<count {
                let ring = try PacketRing(interface: interface, options: closed, configuration: configuration)
                rings.append(ring)
                joined.groupID = try ring.socket.joinFanout(joined)
            }
            for ring in rings {
                if let filter = options.filter { try ring.socket.attach(filter) } else { try ring.socket.detachFilter() }
            }
            self.groupID = joined.groupID!
        } catch {
            closeAll()
            throw error
        }
        self.rings = rings
        self.fanout = fanout
    }

    /// What the kernel counted, added up over the rings (`PACKET_STATISTICS` of each socket).
    public func statistics() throws -> PacketStatistics {
        var total = PacketStatistics()
        for ring in rings {
            let one = try ring.socket.statistics()
            total.packets += one.packets
            total.drops += one.drops
            total.freezeCount += one.freezeCount
        }
        return total
    }

    /// Closes every ring (each unmaps and closes its socket); the first failure is thrown after all were tried.
    public func close() throws {
        var failure: Error?
        for ring in rings {
            do { try ring.close() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }
}
