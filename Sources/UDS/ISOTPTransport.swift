import CANSocket
import SocketBase

/// A UDS transport over the kernel's ISO-TP: one CAN_ISOTP socket bound to a request id (sent) and a response
/// id (received).
///
/// The socket is opened with `CAN_ISOTP_WAIT_TX_DONE`, so a send returns once the whole PDU is on the bus: a
/// caller that serialises sends (as ``UDSClient`` does) never has one PDU's frames interleaved with another's.
public final class ISOTPTransport: UDSTransport {
    public let socket: ISOTPSocket

    /// Opens a CAN_ISOTP socket for UDS.
    /// - Parameters:
    ///   - interface: A CAN interface such as `vcan0`.
    ///   - transmitID: The id requests (or, for a server, responses) are sent with, e.g. 0x7E0.
    ///   - receiveID: The id received, e.g. 0x7E8.
    ///   - options: ISO-TP options (padding, extended addressing, CAN FD link layer); `CAN_ISOTP_WAIT_TX_DONE`
    ///     is added.
    /// - Throws: as ``ISOTPSocket/init(interface:receiveID:transmitID:options:)``.
    public init(interface: String, transmitID: CANID, receiveID: CANID, options: ISOTPOptions = ISOTPOptions()) throws {
        var options = options
        options.flags.insert(.waitTransmitDone)
        socket = try ISOTPSocket(interface: interface, receiveID: receiveID, transmitID: transmitID, options: options)
    }

    /// Adopts an open ISO-TP socket (which the transport then owns).
    public init(socket: ISOTPSocket) { self.socket = socket }

    public var maximumPDUSize: Int { ISOTPSocket.maximumPDUSize }

    public func send(_ pdu: [UInt8]) throws { try socket.send(pdu) }

    /// Waits for the socket to be readable (`poll(2)`), then receives one PDU (`recv(2)`).
    public func receive(before deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        let remaining = deadline - .now
        guard remaining > .zero, try socket.socket.waitForReadable(timeout: remaining) else { return nil }
        return try socket.receive()
    }

    public func close() throws { try socket.close() }
}
