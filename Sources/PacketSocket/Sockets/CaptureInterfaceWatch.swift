import SocketBase

/// What libpcap does when a capture's interface goes down or away, for a capture loop to call.
///
/// The kernel tells an AF_PACKET socket both events the same way: it unhooks the socket and sets its pending
/// error to ENETDOWN, once. An interface set down comes back by itself (the kernel hooks the socket in again when
/// it is up), so the capture goes on; an interface deleted never does, and the capture ends with
/// ``CaptureInterfaceDisappearedError``, as tcpdump ends with `The interface disappeared`. Since the error comes
/// once, an interface that went down and is deleted later is only noticed by looking: while it is down, the loop
/// waits at most ``waitLimit`` and calls ``check()`` when that runs out, as libpcap polls with its timeout.
public struct CaptureInterfaceWatch {
    private let socket: LinkLayerSocket
    /// Whether ENETDOWN was seen: the interface is down, or gone.
    public private(set) var sawInterfaceDown = false

    public init(_ socket: LinkLayerSocket) {
        self.socket = socket
    }

    /// How long the loop may wait for the socket: no limit while the interface is up, a second after it went down.
    public var waitLimit: Duration? { sawInterfaceDown ? .seconds(1) : nil }

    /// Reads and clears the socket's pending error (`SO_ERROR`): for a ring, whose reader never calls `recv` and
    /// so never sees the error otherwise. Call it when the socket was ready with nothing to read, and when a wait
    /// of ``waitLimit`` ran out.
    /// - Throws: ``CaptureInterfaceDisappearedError`` once the interface is gone; ``SystemCallError`` for another
    ///   pending error.
    public mutating func check() throws {
        let pending = try socket.socket.option(.error)
        if pending != 0 {
            try noteReceiveFailure(SystemCallError("recvmsg", target: socket.socket.label, errno: Errno(rawValue: pending)))
        } else if sawInterfaceDown {
            try requireInterface()
        }
    }

    /// Takes a receive that failed (`recvmmsg` returns the pending error itself): ENETDOWN on an interface that
    /// still exists is the interface set down, and the capture goes on.
    /// - Throws: `error` for any other error; ``CaptureInterfaceDisappearedError`` when the interface is gone.
    public mutating func noteReceiveFailure(_ error: SystemCallError) throws {
        guard error.errno == .networkDown, socket.interface != nil else { throw error }
        sawInterfaceDown = true
        try requireInterface()
    }

    private func requireInterface() throws {
        guard let interface = socket.interface else { return }
        // By index, as libpcap's device_still_exists(): a new interface of the same name is another device.
        if (try? NetworkInterface(index: interface.index)) == nil {
            throw CaptureInterfaceDisappearedError(interface: interface.name)
        }
    }
}

/// The interface a capture was bound to was deleted: libpcap's "The interface disappeared".
public struct CaptureInterfaceDisappearedError: Error, CustomStringConvertible {
    /// The interface's name when the capture started.
    public var interface: String

    public init(interface: String) {
        self.interface = interface
    }

    public var description: String { "\(interface): The interface disappeared" }
}
