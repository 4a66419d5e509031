import CANSocket
import SocketBase

/// A UDS transport over the kernel's ISO-TP: one CAN_ISOTP socket bound to a transmit id and a receive id;
/// for a server, optionally a second socket that receives functional requests (e.g. on 0x7DF).
///
/// Sockets are opened with `CAN_ISOTP_WAIT_TX_DONE`, so a send returns once the whole PDU is on the bus: a
/// caller that serialises sends (as ``UDSClient`` does) never has one PDU's frames interleaved with another's.
public final class ISOTPTransport: UDSTransport {
    public let socket: ISOTPSocket
    /// The socket for functional requests, if any (a server's second listening id).
    public let functionalSocket: ISOTPSocket?
    /// Waits on both sockets when there is a functional one (token 0: physical, 1: functional).
    private let selector: Selector?

    /// Opens a CAN_ISOTP socket for UDS.
    /// - Parameters:
    ///   - interface: A CAN interface such as `vcan0`.
    ///   - transmitID: The id requests (or, for a server, responses) are sent with, e.g. 0x7E0.
    ///   - receiveID: The id received, e.g. 0x7E8.
    ///   - functionalReceiveID: A server's functional request id (0x7DF): requests on it are received too.
    ///   - options: ISO-TP options (padding, extended addressing, CAN FD link layer); `CAN_ISOTP_WAIT_TX_DONE`
    ///     is added.
    /// - Throws: as ``ISOTPSocket/init(interface:receiveID:transmitID:options:)``; nothing stays open on error.
    public init(interface: String, transmitID: CANID, receiveID: CANID, functionalReceiveID: CANID? = nil,
                options: ISOTPOptions = ISOTPOptions()) throws {
        var options = options
        options.flags.insert(.waitTransmitDone)
        let socket = try ISOTPSocket(interface: interface, receiveID: receiveID, transmitID: transmitID, options: options)
        var functionalSocket: ISOTPSocket?
        do {
            functionalSocket = try functionalReceiveID.map {
                try ISOTPSocket(interface: interface, receiveID: $0, transmitID: transmitID, options: options)
            }
            selector = try functionalSocket.map { functional in
                let selector = try Selector(capacity: 2)
                try selector.register(socket.socket, token: 0)
                try selector.register(functional.socket, token: 1)
                return selector
            }
        } catch {
            try? functionalSocket?.close()
            try? socket.close()
            throw error
        }
        self.socket = socket
        self.functionalSocket = functionalSocket
    }

    /// Adopts an open ISO-TP socket (which the transport then owns).
    public init(socket: ISOTPSocket) {
        self.socket = socket
        functionalSocket = nil
        selector = nil
    }

    public var maximumPDUSize: Int { ISOTPSocket.maximumPDUSize }

    public func send(_ pdu: [UInt8]) throws { try socket.send(pdu) }

    /// Waits for a socket to be readable (the functional one too, through a ``Selector``), then receives one PDU
    /// (`recv(2)`).
    public func receive(before deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        guard let selector, let functionalSocket else {
            let remaining = deadline - .now
            guard remaining > .zero, try socket.socket.waitForReadable(timeout: remaining) else { return nil }
            return try socket.receive()
        }
        guard case .ready(let count) = try selector.wait(until: deadline), count > 0 else { return nil }
        return try selector.token(at: 0) == 0 ? socket.receive() : functionalSocket.receive()
    }

    public func close() throws {
        try? functionalSocket?.close()
        try socket.close()
    }
}
