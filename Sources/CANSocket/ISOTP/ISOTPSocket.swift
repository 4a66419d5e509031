#if canImport(Glibc)
import Glibc
#endif
import CCANShims
import SocketBase

/// A CAN_ISOTP socket: sends and receives whole ISO 15765-2 PDUs between one id pair on one interface.
///
/// All options are given to the initializer, which sets them and then binds: the kernel refuses every ISO-TP
/// `setsockopt` after `bind` (EISCONN), so there are no setters. Another id pair or other options mean a new
/// socket. Receives follow the socket's timeout (`socket.setTimeout(_:)`; ``SocketTimeoutError`` when it runs out).
///
/// ```swift
/// let tester = try ISOTPSocket(interface: "vcan0", receiveID: CANID(standard: 0x7E8), transmitID: CANID(standard: 0x7E0))
/// try tester.socket.setTimeout(.seconds(1))
/// try tester.send([0x22, 0xF1, 0x90])          // UDS ReadDataByIdentifier VIN
/// let response = try tester.receive()          // the whole PDU, reassembled by the kernel
/// ```
public final class ISOTPSocket: Sendable {
    /// The underlying socket (for its timeout and descriptor; ISO-TP options can no longer be set on it).
    public let socket: Socket
    /// The address bound: interface, `rx_id`, `tx_id`.
    public let address: CANSocketAddress
    /// The id this socket receives on (`can_addr.tp.rx_id`).
    public let receiveID: CANID
    /// The id this socket sends with (`can_addr.tp.tx_id`).
    public let transmitID: CANID
    /// The options set before binding.
    public let options: ISOTPOptions

    /// Opens a CAN_ISOTP socket, sets every option in `options`, and binds it to the id pair on `interface`.
    /// - Parameters:
    ///   - interface: A CAN interface such as `vcan0` (ISO-TP needs one interface, not `any`).
    ///   - receiveID: The id of frames this socket receives (the peer's transmit id); extended ids set CAN_EFF_FLAG.
    ///   - transmitID: The id this socket sends with.
    ///   - options: Everything `setsockopt(SOL_CAN_ISOTP, …)` sets, validated first.
    /// - Throws: ``ISOTPOptionsError`` for an invalid option (before any system call), ``ISOTPError`` for FD
    ///   options on a classic interface, ``SystemCallError`` from `socket`, `setsockopt` or `bind`. The socket is
    ///   closed on every error after it was opened.
    public init(interface: String, receiveID: CANID, transmitID: CANID, options: ISOTPOptions = ISOTPOptions()) throws {
        try options.validate()
        var address = try CANSocketAddress(interface: interface)
        guard address.interfaceIndex != 0 else {
            throw InvalidArgumentError("interface", value: interface, reason: "ISO-TP needs one interface, not any")
        }
        address.receiveID = receiveID.kernelID
        address.transmitID = transmitID.kernelID
        let socket = try Socket(family: .can, type: .datagram, protocol: .canISOTP)
        socket.label = address.interfaceName
        try socket.closeOnError {
            try Self.configure(socket, with: options, interface: address.interfaceName)
            try socket.bind(to: address)
        }
        self.socket = socket
        self.address = address
        self.receiveID = receiveID
        self.transmitID = transmitID
        self.options = options
    }

    /// Sets every ISO-TP option on a socket not yet bound.
    static func configure(_ socket: Socket, with options: ISOTPOptions, interface: String) throws {
        let level = CCAN_SOL_CAN_ISOTP
        try socket.setOption(level: level, name: CInt(CAN_ISOTP_OPTS), label: "CAN_ISOTP_OPTS", array: options.kernelBytes)
        try socket.setOption(level: level, name: CInt(CAN_ISOTP_RECV_FC), label: "CAN_ISOTP_RECV_FC",
                             array: options.flowControl.kernelBytes)
        if let ns = options.forcedTransmitSeparationTime {
            try socket.setOption(SocketOption<UInt32>(level: level, name: CInt(CAN_ISOTP_TX_STMIN), label: "CAN_ISOTP_TX_STMIN"), ns)
        }
        if let ns = options.forcedReceiveSeparationTime {
            try socket.setOption(SocketOption<UInt32>(level: level, name: CInt(CAN_ISOTP_RX_STMIN), label: "CAN_ISOTP_RX_STMIN"), ns)
        }
        if let linkLayer = options.linkLayer {
            if linkLayer.isFD {
                let mtu = try CANRawSocket.interfaceMTU(of: interface, using: socket)
                guard mtu >= CANFrame.fdSize else { throw ISOTPError.interfaceNotFD(interface: interface, mtu: mtu) }
            }
            try socket.setOption(level: level, name: CInt(CAN_ISOTP_LL_OPTS), label: "CAN_ISOTP_LL_OPTS",
                                 array: linkLayer.kernelBytes)
        }
    }

    // MARK: Sending

    /// Sends one PDU: `write(2)`; the kernel segments it into frames and runs the flow control.
    ///
    /// Returns once the kernel has the PDU (with `CAN_ISOTP_WAIT_TX_DONE`: once it is on the bus); a next send
    /// waits for the previous transfer.
    /// - Throws: ``ISOTPError/emptyPDU`` or ``ISOTPError/pduTooLarge(count:maximum:)`` before the system call;
    ///   ``SystemCallError`` from the kernel (e.g. ECOMM when no flow control came).
    public func send(_ pdu: UnsafeRawBufferPointer) throws {
        guard pdu.count > 0 else { throw ISOTPError.emptyPDU }
        guard pdu.count <= Self.maximumPDUSize else { throw ISOTPError.pduTooLarge(count: pdu.count, maximum: Self.maximumPDUSize) }
        let sent = try socket.send(pdu)
        guard sent == pdu.count else { throw ISOTPError.partialSend(sent: sent, count: pdu.count) }
    }

    /// Sends one PDU given as bytes; see ``send(_:)-(UnsafeRawBufferPointer)``.
    public func send(_ pdu: [UInt8]) throws {
        try pdu.withUnsafeBytes { try send($0) }
    }

    // MARK: Receiving

    /// Receives one whole PDU into a reused buffer: `recv(2)` with `MSG_TRUNC`, following the socket's timeout.
    /// - Returns: The PDU's length, also in `buffer.count`.
    /// - Throws: ``ISOTPError/pduTruncated(count:capacity:)`` when the PDU was longer than the buffer (the buffer
    ///   holds its start); ``SocketTimeoutError``; ``SystemCallError`` (e.g. ETIMEDOUT or EILSEQ for a broken
    ///   transfer, EBADMSG for wrong padding with the CHK_PAD flags).
    @discardableResult
    public func receive(into buffer: ISOTPBuffer, flags: MessageFlags = []) throws -> Int {
        buffer.count = 0
        let length = try interfaceErrors { try socket.receive(into: buffer.storage, flags: flags.union(.truncated)) }
        buffer.count = min(length, buffer.capacity)
        guard length <= buffer.capacity else { throw ISOTPError.pduTruncated(count: length, capacity: buffer.capacity) }
        return length
    }

    /// Receives one whole PDU into `buffer` if one is queued, without waiting: `read(2)` with `MSG_DONTWAIT`.
    /// - Returns: The PDU's length, or ``IOResult/wouldBlock`` when none was queued.
    /// - Throws: as ``receive(into:flags:)``.
    public func receiveAvailable(into buffer: ISOTPBuffer) throws -> IOResult<Int> {
        buffer.count = 0
        return try interfaceErrors { try socket.receiveAvailable(into: buffer.storage, flags: .truncated) }.map { length in
            buffer.count = min(length, buffer.capacity)
            guard length <= buffer.capacity else { throw ISOTPError.pduTruncated(count: length, capacity: buffer.capacity) }
            return length
        }
    }

    /// Receives one whole PDU as a new array, following the socket's timeout.
    /// - Throws: as ``receive(into:flags:)``.
    public func receive() throws -> [UInt8] {
        try withUnsafeTemporaryAllocation(byteCount: Self.maximumPDUSize, alignment: 16) { storage in
            let length = try interfaceErrors { try socket.receive(into: storage, flags: .truncated) }
            guard length <= storage.count else { throw ISOTPError.pduTruncated(count: length, capacity: storage.count) }
            return Array(UnsafeRawBufferPointer(rebasing: storage[..<length]))
        }
    }

    /// Received PDUs as an async sequence. It ends when the consuming task is cancelled, and when the
    /// interface goes down or disappears (`ENETDOWN`, `ENODEV`); other errors (a broken transfer's ETIMEDOUT,
    /// EILSEQ, EBADMSG) end it with that error.
    ///
    /// The process's one event-loop thread receives into one reused ``ISOTPBuffer``; each PDU is yielded as an
    /// array. At most `bufferLimit` PDUs wait for the consumer; newer ones are dropped and counted in
    /// ``ReceiveStream/droppedCount``.
    public func pdus(bufferLimit: Int = ReceiveStream<[UInt8]>.defaultBufferLimit) -> ReceiveStream<[UInt8]> {
        socket.receiveStream(label: "ISOTPSocket.pdus(\(address.interfaceName))", bufferLimit: bufferLimit,
                             state: { ISOTPBuffer() }) { [self] buffer, yield in
            try receiveAvailable(into: buffer).map { _ in yield(buffer.array) }
        }
    }

    /// Runs a receive, reporting a socket that its interface's removal left unbound as that removal.
    ///
    /// When the interface is unregistered the kernel unbinds the socket and leaves ENODEV pending; a receive that
    /// comes after both fails with EADDRNOTAVAIL ("Cannot assign requested address"), which says nothing of
    /// why. It is reported as the pending error (read with `SO_ERROR`), or as ENODEV when that was taken already,
    /// so callers see `recv(vcan0): No such device` as they would for a receive that came first.
    private func interfaceErrors<T>(_ receive: () throws -> T) throws -> T {
        do {
            return try receive()
        } catch let error as SystemCallError where error.errno == .addressNotAvailable {
            let pending = (try? socket.option(.error)).flatMap { $0 == 0 ? nil : Errno(rawValue: $0) }
            throw SystemCallError(error.operation, target: error.target, errno: pending ?? .noSuchDevice)
        }
    }

    /// Closes the socket.
    public func close() throws { try socket.close() }
}
