#if canImport(Glibc)
import Glibc
#endif
import CPacketShims
import SocketBase

/// An AF_PACKET socket: capture and send whole frames on one interface (or all), raw or cooked.
///
/// A raw socket (`SOCK_RAW`) sees frames from the link-layer header on; a cooked one (`SOCK_DGRAM`) from the
/// network header, the link header described by the packet's metadata instead. Each received packet carries
/// its interface, packet type (incoming to this host, broadcast, multicast, another host, outgoing), hardware
/// type and source address, the kernel's timestamp from the same `recvmsg`, a stripped VLAN tag
/// (`PACKET_AUXDATA`), and its captured and original lengths.
///
/// ```swift
/// let socket = try LinkLayerSocket(interface: "veth0")
/// try socket.attach(BPFProgram(compiling: "udp port 53"))
/// var buffer = [UInt8](repeating: 0, count: 65536)
/// let packet = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
/// print(packet.interfaceName, packet.packetType, packet.sourceAddress, packet.capturedLength)
/// ```
///
/// For high rates use ``receive(into:)-(PacketBatch)`` (one `recvmmsg` for many packets) or a ``PacketRing``
/// (TPACKET_V3, no copy at all).
public final class LinkLayerSocket {
    /// Whether the link-layer header is part of the bytes.
    public enum Mode: Sendable {
        /// Frames from the link-layer header on. The corresponding C constant is `SOCK_RAW`.
        case raw
        /// Packets from the network header on. The corresponding C constant is `SOCK_DGRAM`.
        case cooked
    }

    /// How a socket is opened; each setting can be changed later too.
    public struct Options: Sendable {
        /// Raw (with link header) or cooked.
        public var mode: Mode = .raw
        /// The EtherType received; every one (``EtherType/all``, `ETH_P_ALL`) by default.
        public var etherType: EtherType = .all
        /// Receive frames for other hosts too (`PACKET_ADD_MEMBERSHIP` with `PACKET_MR_PROMISC`), for as long
        /// as the socket is open.
        public var promiscuous = false
        /// Don't receive what this host sends (`PACKET_IGNORE_OUTGOING`).
        public var ignoreOutgoing = false
        /// A classic BPF program attached before binding, so no unfiltered packet is ever queued (`SO_ATTACH_FILTER`).
        public var filter: BPFProgram? = nil
        /// The most bytes kept of each packet; the rest is counted in ``CapturedPacket/originalLength``.
        public var snapLength = 262_144
        /// Receive buffer size in bytes (`SO_RCVBUFFORCE` when privileged, else `SO_RCVBUF`); `nil` keeps the default.
        public var receiveBufferSize: Int? = nil
        /// Send without the queueing discipline (`PACKET_QDISC_BYPASS`).
        public var qdiscBypass = false

        public init() {}
    }

    /// The underlying socket (for options and descriptors this type does not wrap).
    public let socket: Socket
    /// The bound interface; `nil` for every interface.
    public let interface: NetworkInterface?
    /// Raw or cooked.
    public let mode: Mode
    /// The EtherType bound.
    public let etherType: EtherType
    /// The most bytes kept of each packet.
    public let snapLength: Int
    let names: Locked<[CInt: String]>
    private let totals = Locked(PacketStatistics())
    /// Set by ``PacketRing`` once it switched the socket to TPACKET_V3 (changes the statistics layout).
    var usesVersion3 = false

    /// Opens an AF_PACKET socket, applies `options`, and binds it to `interface`.
    /// - Parameters:
    ///   - interface: An interface name such as `eth0`; `nil` or `any` for every interface.
    ///   - options: Mode, EtherType, filter and the rest; applied before binding.
    /// - Throws: ``SystemCallError``: `if_nametoindex(eth9): No such device (errno 19)` for a missing interface,
    ///   `socket(packet, raw, 0): Operation not permitted (errno 1)` without CAP_NET_RAW.
    public convenience init(interface: String?, options: Options = Options()) throws {
        try self.init(interface: interface, options: options, beforeBind: { _ in })
    }

    /// Opens, configures, lets `beforeBind` set up more (the ring), then binds; closes the socket on any failure.
    init(interface name: String?, options: Options, beforeBind: (LinkLayerSocket) throws -> Void) throws {
        let interface = (name == nil || name == "any") ? nil : try NetworkInterface(named: name!)
        // Protocol 0 receives nothing until bind names the EtherType: no packet is queued before the filter.
        let socket = try Socket(family: .packet, type: options.mode == .raw ? .raw : .datagram, protocol: .default)
        socket.label = interface?.name ?? "any"
        self.socket = socket
        self.interface = interface
        self.mode = options.mode
        self.etherType = options.etherType
        self.snapLength = max(1, options.snapLength)
        self.names = Locked(interface.map { [$0.index: $0.name] } ?? [:])
        try socket.closeOnError {
            try socket.setOption(.timestampNanoseconds, true)
            try socket.setOption(PacketOption.auxiliaryData, true)
            if let filter = options.filter { try attach(filter) }
            if options.ignoreOutgoing { try setIgnoreOutgoing(true) }
            if options.qdiscBypass { try setQdiscBypass(true) }
            if let size = options.receiveBufferSize { try setReceiveBufferSize(size) }
            try beforeBind(self)
            try socket.bind(to: LinkLayerAddress(interfaceIndex: interface?.index ?? 0, etherType: options.etherType))
            if options.promiscuous {
                guard let interface else {
                    throw InvalidArgumentError("interface", value: "any", reason: "promiscuous mode needs one interface (PACKET_MR_PROMISC)")
                }
                try setPromiscuous(true, on: interface)
            }
        }
    }

    // MARK: Options

    /// Receives frames addressed to other hosts on `interface` while the socket is open (or until turned off):
    /// `PACKET_ADD_MEMBERSHIP` / `PACKET_DROP_MEMBERSHIP` with `PACKET_MR_PROMISC`.
    public func setPromiscuous(_ enabled: Bool, on interface: NetworkInterface) throws {
        try membership(enabled, type: PACKET_MR_PROMISC, interface: interface, address: .none, label: "PACKET_MR_PROMISC")
    }

    /// Joins or leaves a link-layer multicast group on `interface`: `PACKET_ADD_MEMBERSHIP` /
    /// `PACKET_DROP_MEMBERSHIP` with `PACKET_MR_MULTICAST`.
    public func setMulticastMembership(_ joined: Bool, group: HardwareAddress, on interface: NetworkInterface) throws {
        try membership(joined, type: PACKET_MR_MULTICAST, interface: interface, address: group, label: "PACKET_MR_MULTICAST")
    }

    /// Receives every multicast frame on `interface`: `PACKET_MR_ALLMULTI`.
    public func setAllMulticast(_ enabled: Bool, on interface: NetworkInterface) throws {
        try membership(enabled, type: PACKET_MR_ALLMULTI, interface: interface, address: .none, label: "PACKET_MR_ALLMULTI")
    }

    private func membership(_ add: Bool, type: CInt, interface: NetworkInterface, address: HardwareAddress, label: String) throws {
        var request = packet_mreq()
        request.mr_ifindex = interface.index
        request.mr_type = UInt16(type)
        request.mr_alen = UInt16(address.count)
        address.withUnsafeBytes { source in withUnsafeMutableBytes(of: &request.mr_address) { $0.copyMemory(from: source) } }
        let name = add ? PacketOption.addMembership : PacketOption.dropMembership
        try socket.setOption(level: PacketOption.level, name: name,
                             label: (add ? "PACKET_ADD_MEMBERSHIP, " : "PACKET_DROP_MEMBERSHIP, ") + label, array: [request])
    }

    /// Stops (or resumes) receiving what this host sends. The corresponding C constant is `PACKET_IGNORE_OUTGOING`.
    public func setIgnoreOutgoing(_ enabled: Bool) throws { try socket.setOption(PacketOption.ignoreOutgoing, enabled) }

    /// Sends straight to the driver, skipping the queueing discipline. The corresponding C constant is `PACKET_QDISC_BYPASS`.
    public func setQdiscBypass(_ enabled: Bool) throws { try socket.setOption(PacketOption.qdiscBypass, enabled) }

    /// Sets the receive buffer: `SO_RCVBUFFORCE` when privileged (past `rmem_max`), else `SO_RCVBUF`.
    /// - Returns: The size the kernel reports afterwards (it doubles the request for bookkeeping).
    @discardableResult
    public func setReceiveBufferSize(_ bytes: Int) throws -> Int { try socket.setReceiveBufferSize(bytes) }

    // MARK: Filters

    /// Attaches a classic BPF program; only packets it accepts are queued, cut to the length it returns.
    /// The corresponding C constant is `SO_ATTACH_FILTER` (with `struct sock_fprog`).
    /// - Throws: ``SystemCallError``, e.g. `EINVAL` for a program the kernel's checker refuses, `EPERM` once locked.
    public func attach(_ program: BPFProgram) throws {
        let instructions = program.instructions.map { sock_filter(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) }
        try instructions.withUnsafeBufferPointer { buffer in
            let fprog = sock_fprog(len: UInt16(buffer.count), filter: UnsafeMutablePointer(mutating: buffer.baseAddress))
            try socket.setOption(level: SOL_SOCKET, name: PacketOption.attachFilter, label: "SO_ATTACH_FILTER", array: [fprog])
        }
    }

    /// Removes the attached program. The corresponding C constant is `SO_DETACH_FILTER`.
    public func detachFilter() throws {
        try socket.setOption(level: SOL_SOCKET, name: PacketOption.detachFilter, label: "SO_DETACH_FILTER", array: [CInt(0)])
    }

    /// Forbids attaching or detaching a program from now on (for a socket handed to less trusted code).
    /// The corresponding C constant is `SO_LOCK_FILTER`.
    public func lockFilter() throws { try socket.setOption(PacketOption.lockFilter, true) }

    // MARK: Statistics

    /// Packets received by the filter and dropped by the kernel since the socket was opened: `PACKET_STATISTICS`
    /// (`struct tpacket_stats`, or `tpacket_stats_v3` with the ring's freeze count). The kernel resets its
    /// counters on each read; this adds them up.
    public func statistics() throws -> PacketStatistics {
        var raw = tpacket_stats_v3()
        let count = try withUnsafeMutableBytes(of: &raw) { buffer in
            try socket.option(level: PacketOption.level, name: PacketOption.statistics, label: "PACKET_STATISTICS",
                              into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(usesVersion3 ? 12 : 8)))
        }
        return totals.withLock { totals in
            totals.packets += UInt64(raw.tp_packets)
            totals.drops += UInt64(raw.tp_drops)
            if count >= 12 { totals.freezeCount += UInt64(raw.tp_freeze_q_cnt) }
            return totals
        }
    }

    // MARK: Sending

    /// Sends a complete frame (link header included) on the bound interface: `send(2)` on a raw socket.
    /// - Returns: The number of bytes sent.
    @discardableResult
    public func send(_ frame: UnsafeRawBufferPointer) throws -> Int {
        try socket.send(frame)
    }

    /// Sends a complete frame (link header included) on the bound interface.
    @discardableResult
    public func send(_ frame: [UInt8]) throws -> Int {
        try frame.withUnsafeBytes { try send($0) }
    }

    /// Sends a payload on a cooked socket; the kernel builds the link header for `destination` and `etherType`:
    /// `sendto(2)` with a `sockaddr_ll`. On a raw socket the payload must be the whole frame (the address then only
    /// picks the interface).
    @discardableResult
    public func send(_ payload: UnsafeRawBufferPointer, to destination: HardwareAddress, etherType: EtherType,
                     on interface: NetworkInterface? = nil) throws -> Int {
        guard let index = interface?.index ?? self.interface?.index else {
            throw InvalidArgumentError("interface", value: "any", reason: "sending needs one interface (sendto on a socket bound to every interface)")
        }
        let address = LinkLayerAddress(interfaceIndex: index, etherType: etherType, hardwareAddress: destination)
        return try socket.send(payload, to: address)
    }

    // MARK: Receiving

    /// Control space per packet: a `timespec` (SO_TIMESTAMPNS) and a `tpacket_auxdata` (PACKET_AUXDATA), with room.
    static let controlSize = ControlMessages.space(forPayload: MemoryLayout<timespec>.size)
        + ControlMessages.space(forPayload: MemoryLayout<tpacket_auxdata>.size) + 32

    /// Receives one packet into `buffer`, following the socket's timeout mode (blocking by default): `recvmsg(2)`.
    /// - Returns: The packet, its bytes a view into `buffer` (at most ``snapLength`` of them).
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> CapturedPacket {
        try withUnsafeTemporaryAllocation(byteCount: Self.controlSize, alignment: 16) { control in
            let message = try socket.receiveMessage(into: buffer, control: control, flags: .truncated)
            let captured = min(message.count, buffer.count)
            return message.address.withSockAddr { address, _ in
                decode(UnsafeRawBufferPointer(rebasing: buffer[..<captured]), reportedLength: message.count,
                       address: UnsafeRawPointer(address), control: message.controlMessages)
            }
        }
    }

    /// Receives as many packets as are queued, up to the batch's capacity, with one `recvmmsg(2)`; waits for the
    /// first according to the socket's timeout mode.
    /// - Returns: The number of packets now in `batch`.
    @discardableResult
    public func receive(into batch: PacketBatch, flags: MessageFlags = []) throws -> Int {
        decode(batch, count: try socket.receive(into: batch.messages, flags: flags.union(.truncated)))
    }

    /// Receives what is queued, up to the batch's capacity, without waiting: one `recvmmsg(2)` with
    /// `MSG_DONTWAIT`.
    /// - Returns: The number of packets now in `batch`, or ``IOResult/wouldBlock`` when none was queued.
    public func receiveAvailable(into batch: PacketBatch) throws -> IOResult<Int> {
        try socket.receiveAvailable(into: batch.messages, flags: .truncated).map { decode(batch, count: $0) }
    }

    private func decode(_ batch: PacketBatch, count n: Int) -> Int {
        batch.count = 0
        for i in 0..<n {
            let message = batch.messages[i]
            batch.packets[batch.count] = decode(message.bytes, reportedLength: message.bytes.count,
                                                address: UnsafeRawPointer(message.address), control: message.controlMessages)
            batch.count += 1
        }
        return batch.count
    }

    /// Builds the packet from what `recvmsg` returned: `sockaddr_ll`, SO_TIMESTAMPNS and PACKET_AUXDATA.
    func decode(_ bytes: UnsafeRawBufferPointer, reportedLength: Int, address: UnsafeRawPointer,
                control: ControlMessages) -> CapturedPacket {
        var timestamp = KernelTimestamp.zero
        var originalLength = reportedLength
        var vlan: (controlInformation: UInt16, tagProtocol: UInt16)?
        for message in control {
            if message.level == SOL_SOCKET && message.type == SO_TIMESTAMPNS, let ts = message.load(as: timespec.self) {
                timestamp = KernelTimestamp(ts)
            } else if message.level == PacketOption.level && message.type == PACKET_AUXDATA, let aux = message.load(as: tpacket_auxdata.self) {
                originalLength = Int(aux.tp_len)
                if aux.tp_status & UInt32(TP_STATUS_VLAN_VALID) != 0 {
                    let tpid = aux.tp_status & UInt32(TP_STATUS_VLAN_TPID_VALID) != 0 ? aux.tp_vlan_tpid : UInt16(ETH_P_8021Q)
                    vlan = (aux.tp_vlan_tci, tpid)
                }
            }
        }
        return packet(bytes: bytes, originalLength: originalLength, address: address, timestamp: timestamp, vlan: vlan)
    }

    /// A packet from its bytes and the `sockaddr_ll` the kernel gave with it (from `recvmsg` or the ring);
    /// `vlan` is a stripped tag as the kernel reports it, and the EtherType after it is `sll_protocol`.
    @inline(__always)
    func packet(bytes: UnsafeRawBufferPointer, originalLength: Int, address: UnsafeRawPointer,
                timestamp: KernelTimestamp, vlan: (controlInformation: UInt16, tagProtocol: UInt16)?) -> CapturedPacket {
        let sll = address.loadUnaligned(as: sockaddr_ll.self)
        let ifindex = sll.sll_ifindex
        let etherType = EtherType(UInt16(bigEndian: sll.sll_protocol))
        return CapturedPacket(
            bytes: UnsafeRawBufferPointer(rebasing: bytes.prefix(snapLength)), originalLength: max(originalLength, bytes.count),
            interfaceIndex: ifindex, interfaceName: interfaceName(ifindex),
            etherType: etherType,
            packetType: .init(rawValue: sll.sll_pkttype),
            hardwareType: .init(rawValue: sll.sll_hatype),
            sourceAddress: HardwareAddress(copying: address + MemoryLayout<sockaddr_ll>.offset(of: \.sll_addr)!,
                                           count: min(Int(sll.sll_halen), 8)),
            timestamp: timestamp,
            vlan: vlan.map { VLANTag(controlInformation: $0.controlInformation, tagProtocol: EtherType($0.tagProtocol), etherType: etherType) })
    }

    /// The name of an interface index, cached after the first lookup.
    public func interfaceName(_ index: CInt) -> String {
        if let interface, interface.index == index { return interface.name }
        if let name = names.withLock({ $0[index] }) { return name }
        let name = (try? NetworkInterface(index: index).name) ?? "if\(index)"
        names.withLock { $0[index] = name }
        return name
    }

    /// Closes the socket.
    public func close() throws { try socket.close() }
}
