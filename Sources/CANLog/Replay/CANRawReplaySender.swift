import CANSocket
import SocketBase

/// Sends replayed frames on CAN_RAW sockets: one socket per write interface, bound to it, opened when the
/// interface is first needed.
///
/// Each socket receives nothing (an empty `CAN_RAW_FILTER`, as canplayer sets), has `CAN_RAW_FD_FRAMES` on so FD
/// frames can be sent, and `CAN_RAW_LOOPBACK` off when ``CANReplayOptions/loopback`` is. A full transmit queue
/// (`ENOBUFS`) is reported to the player, which waits (`poll` for `POLLOUT`, at most 1 ms, since POLLOUT reflects
/// the socket's send buffer and not the device queue) and sends the same frame again.
public final class CANRawReplaySender: CANReplaySender {
    /// The open sockets, by route.
    public private(set) var sockets: [CANRawSocket] = []
    let loopback: Bool

    /// - Parameter loopback: `CAN_RAW_LOOPBACK` on the sending sockets (off: other sockets of this host do not
    ///   see the frames, canplayer's `-x`).
    public init(loopback: Bool = true) {
        self.loopback = loopback
    }

    deinit {
        for socket in sockets { try? socket.close() }
    }

    public func route(for interface: String) throws -> Int {
        if let index = sockets.firstIndex(where: { $0.address.interfaceName == interface }) { return index }
        var options = CANRawSocket.Options()
        options.fdFrames = true
        options.loopback = loopback
        options.filters = []
        options.timestamps = false
        options.dropCounter = false
        do {
            sockets.append(try CANRawSocket(interface: interface, options: options))
        } catch {
            throw CANReplayError.cannotOpen(interface: interface, underlying: error)
        }
        return sockets.count - 1
    }

    public func send(_ frame: CANFrame, route: Int) throws -> CANReplaySendResult {
        do {
            try sockets[route].send(frame, onFullQueue: .fail)
            return .sent
        } catch let error as SystemCallError where error.errno == .noBufferSpace {
            return .queueFull
        } catch {
            throw CANReplayError.sendFailed(interface: sockets[route].address.interfaceName, frame: frame, underlying: error)
        }
    }

    public func waitForRoom(route: Int) throws {
        _ = try sockets[route].socket.waitForWritable(timeout: .milliseconds(1))
    }

    /// Closes every socket.
    public func close() throws {
        defer { sockets = [] }
        for socket in sockets { try socket.close() }
    }
}
