#if canImport(Glibc)
import Glibc
#endif
import CSocketCAN
import SocketBase

/// A CAN network interface controlled through libsocketcan (netlink): up/down, statistics, and the
/// controller settings of real CAN hardware.
///
/// Virtual interfaces (vcan, vxcan) have no controller: the calls that need one throw
/// ``CANSocketError/notSupportedOnVirtualInterface(interface:operation:)`` instead of reaching libsocketcan,
/// which would print "no link data found" to stderr and fail.
public struct CANInterface: Hashable, Sendable, CustomStringConvertible {
    /// The interface's name and index.
    public let interface: NetworkInterface

    /// Looks up an interface by name.
    /// - Throws: ``SystemCallError`` like `if_nametoindex(can9): No such device (errno 19)`.
    public init(named name: String) throws {
        interface = try NetworkInterface(named: name)
    }

    /// The interface name, e.g. `can0`.
    public var name: String { interface.name }
    /// The interface index.
    public var index: CInt { interface.index }

    /// Whether the interface is virtual (vcan, vxcan): it lives under `/sys/devices/virtual/net`.
    public var isVirtual: Bool {
        FileDescriptor.exists("/sys/devices/virtual/net/\(name)")
    }

    /// Whether the interface is up (`IFF_UP`).
    public var isUp: Bool {
        get throws {
            let path = "/sys/class/net/\(name)/flags"
            let text = try FileDescriptor.open(path, .readOnly).closeAfter { try $0.readAll(limit: 64) }
            guard let flags = parseHex(text) else {
                throw CANSocketError.unreadableInterfaceFlags(path: path, text: String(decoding: text, as: UTF8.self))
            }
            return flags & CUnsignedInt(IFF_UP) != 0
        }
    }

    public var description: String { name }

    // MARK: Any CAN interface

    /// Brings the interface up: `can_do_start` (sets `IFF_UP`).
    public func bringUp() throws { try call("can_do_start") { can_do_start($0) } }

    /// Brings the interface down: `can_do_stop`.
    public func bringDown() throws { try call("can_do_stop") { can_do_stop($0) } }

    /// The interface's packet and error counters: `can_get_link_stats`.
    public func linkStatistics() throws -> LinkStatistics {
        var stats = rtnl_link_stats64()
        try call("can_get_link_stats") { can_get_link_stats($0, &stats) }
        return LinkStatistics(stats)
    }

    // MARK: Real CAN controllers only

    /// The controller's error state: `can_get_state`.
    public func state() throws -> CANControllerState {
        var state: CInt = 0
        try controllerCall("can_get_state") { can_get_state($0, &state) }
        return CANControllerState(rawValue: state) ?? .unknown
    }

    /// The bit timing in use: `can_get_bittiming`.
    public func bitTiming() throws -> CANBitTiming {
        var timing = can_bittiming()
        try controllerCall("can_get_bittiming") { can_get_bittiming($0, &timing) }
        return CANBitTiming(bitrate: timing.bitrate, samplePoint: timing.sample_point, timeQuantum: timing.tq,
                            propagationSegment: timing.prop_seg, phaseSegment1: timing.phase_seg1,
                            phaseSegment2: timing.phase_seg2, synchronisationJumpWidth: timing.sjw, prescaler: timing.brp)
    }

    /// The transmit and receive error counters: `can_get_berr_counter`.
    public func errorCounters() throws -> (transmit: UInt16, receive: UInt16) {
        var counter = can_berr_counter()
        try controllerCall("can_get_berr_counter") { can_get_berr_counter($0, &counter) }
        return (counter.txerr, counter.rxerr)
    }

    /// The controller's clock in Hz: `can_get_clock`.
    public func clockFrequency() throws -> UInt32 {
        var clock = can_clock()
        try controllerCall("can_get_clock") { can_get_clock($0, &clock) }
        return clock.freq
    }

    /// The automatic restart delay after bus-off, in ms (0: off): `can_get_restart_ms`.
    public func restartDelay() throws -> UInt32 {
        var milliseconds: UInt32 = 0
        try controllerCall("can_get_restart_ms") { can_get_restart_ms($0, &milliseconds) }
        return milliseconds
    }

    /// Sets the bit rate (the interface must be down): `can_set_bitrate`.
    public func setBitrate(_ bitsPerSecond: UInt32) throws {
        try controllerCall("can_set_bitrate") { can_set_bitrate($0, bitsPerSecond) }
    }

    /// Sets the automatic restart delay after bus-off: `can_set_restart_ms`.
    public func setRestartDelay(milliseconds: UInt32) throws {
        try controllerCall("can_set_restart_ms") { can_set_restart_ms($0, milliseconds) }
    }

    /// Restarts a controller that is bus-off: `can_do_restart`.
    public func restart() throws { try controllerCall("can_do_restart") { can_do_restart($0) } }

    private func controllerCall(_ operation: String, _ body: (UnsafePointer<CChar>) -> CInt) throws {
        guard !isVirtual else {
            throw CANSocketError.notSupportedOnVirtualInterface(interface: name, operation: operation)
        }
        try call(operation, body)
    }

    private func call(_ operation: String, _ body: (UnsafePointer<CChar>) -> CInt) throws {
        errno = 0
        let result = name.withCString(body)
        guard result == 0 else {
            let errno = Errno.current.rawValue
            throw CANSocketError.interfaceControlFailed(interface: name, operation: operation, errno: errno)
        }
    }
}

/// One hexadecimal number (`0x1003\n`) as a sysfs file holds it.
private func parseHex(_ bytes: [UInt8]) -> CUnsignedInt? {
    let text = String(decoding: bytes.prefix { $0 != 0 && $0 != 10 }, as: UTF8.self)
    let digits = text.hasPrefix("0x") ? text.dropFirst(2) : Substring(text)
    return CUnsignedInt(digits, radix: 16)
}

/// A CAN controller's error state (`enum can_state`).
public enum CANControllerState: CInt, Sendable {
    case errorActive = 0, errorWarning, errorPassive, busOff, stopped, sleeping
    case unknown = -1
}

/// Bit timing parameters (`struct can_bittiming`).
public struct CANBitTiming: Hashable, Sendable {
    public var bitrate: UInt32
    /// In tenths of a percent.
    public var samplePoint: UInt32
    /// In nanoseconds.
    public var timeQuantum: UInt32
    public var propagationSegment: UInt32
    public var phaseSegment1: UInt32
    public var phaseSegment2: UInt32
    public var synchronisationJumpWidth: UInt32
    public var prescaler: UInt32
}

/// Link counters (`struct rtnl_link_stats64`), the ones CAN users read.
public struct LinkStatistics: Hashable, Sendable {
    public var receivedPackets: UInt64
    public var transmittedPackets: UInt64
    public var receivedBytes: UInt64
    public var transmittedBytes: UInt64
    public var receiveErrors: UInt64
    public var transmitErrors: UInt64
    public var receiveDropped: UInt64
    public var transmitDropped: UInt64

    init(_ s: rtnl_link_stats64) {
        receivedPackets = s.rx_packets
        transmittedPackets = s.tx_packets
        receivedBytes = s.rx_bytes
        transmittedBytes = s.tx_bytes
        receiveErrors = s.rx_errors
        transmitErrors = s.tx_errors
        receiveDropped = s.rx_dropped
        transmitDropped = s.tx_dropped
    }
}
