import CANSocket
import SocketBase

/// One ECU's answer to a functional request.
public struct FunctionalResponse<Response: Sendable>: Sendable {
    /// The id the ECU answered on (e.g. 0x7E8).
    public var ecu: UInt32
    /// The decoded positive response, or the ``UDSNegativeResponse`` / ``UDSResponseError``.
    public var result: Result<Response, any Error>
}

/// Where a functional request goes out once and answers come back from several ECUs.
public protocol UDSFunctionalTransport: Sendable {
    /// Sends one single-frame request to every ECU.
    func send(_ pdu: [UInt8]) throws
    /// One answer from any ECU, with the id it came on; nil when `deadline` passed.
    func receive(before deadline: ContinuousClock.Instant) throws -> (ecu: UInt32, pdu: [UInt8])?
}

/// Functional addressing over the kernel's ISO-TP: the request goes out on the functional id (0x7DF) from a
/// socket with `CAN_ISOTP_SF_BROADCAST` (single frame, no flow control); every expected response id has its own
/// physical socket (the kernel's ISO-TP binds one rx id per socket), which also sends the flow control for a
/// segmented answer on response id − 8 (the OBD-II pairing 0x7E8 ↔ 0x7E0) unless told otherwise.
public final class ISOTPFunctionalTransport: UDSFunctionalTransport {
    public let functional: ISOTPSocket
    public let responders: [ISOTPSocket]
    /// Waits on every responder socket; a socket's token is its index in ``responders``.
    private let selector: Selector

    /// - Parameters:
    ///   - interface: The CAN interface.
    ///   - functionalID: The id requests go out on (0x7DF for OBD-II).
    ///   - responseIDs: The ids answers are expected on (0x7E8–0x7EF by default).
    ///   - flowControlID: The id each responder socket sends flow control with, from its response id.
    ///   - options: ISO-TP options for all sockets (padding, CAN FD link layer).
    /// - Throws: as ``ISOTPSocket/init(interface:receiveID:transmitID:options:)``; every socket opened before
    ///   the failure is closed.
    public init(interface: String, functionalID: CANID = try! CANID(standard: 0x7DF),
                responseIDs: [CANID] = (0x7E8...0x7EF).map { try! CANID(standard: $0) },
                flowControlID: (CANID) throws -> CANID = ISOTPFunctionalTransport.obdFlowControlID,
                options: ISOTPOptions = ISOTPOptions()) throws {
        var broadcast = options
        broadcast.flags.insert(.singleFrameBroadcast)
        broadcast.flags.insert(.waitTransmitDone)
        functional = try ISOTPSocket(interface: interface, receiveID: functionalID, transmitID: functionalID, options: broadcast)
        var opened: [ISOTPSocket] = []
        do {
            for id in responseIDs {
                opened.append(try ISOTPSocket(interface: interface, receiveID: id, transmitID: try flowControlID(id), options: options))
            }
            selector = try Selector(capacity: max(1, opened.count))
            for (index, socket) in opened.enumerated() { try selector.register(socket.socket, token: index) }
        } catch {
            for socket in opened { try? socket.close() }
            try? functional.close()
            throw error
        }
        responders = opened
    }

    /// ISO 15765-4's pairing: an 11-bit response id − 8 (0x7E8 → 0x7E0); a 29-bit one with target and source
    /// bytes swapped (0x18DAF110 → 0x18DA10F1).
    public static func obdFlowControlID(_ id: CANID) throws -> CANID {
        if id.isExtended {
            let raw = id.rawValue
            return try CANID(extended: raw & 0x1FFF_0000 | (raw & 0xFF) << 8 | (raw >> 8) & 0xFF)
        }
        guard id.rawValue >= 8 else { throw UDSRequestError(request: "functional", reason: "response id \(id.rawValue) has no id - 8 for flow control") }
        return try CANID(standard: id.rawValue - 8)
    }

    public func send(_ pdu: [UInt8]) throws { try functional.send(pdu) }

    /// Waits on every responder socket (a ``Selector``), then receives from the first readable one (`recv(2)`).
    public func receive(before deadline: ContinuousClock.Instant) throws -> (ecu: UInt32, pdu: [UInt8])? {
        guard case .ready(let count) = try selector.wait(until: deadline), count > 0 else { return nil }
        let responder = responders[selector.token(at: 0)]
        return (responder.receiveID.rawValue, try responder.receive())
    }

    public func close() {
        try? functional.close()
        for socket in responders { try? socket.close() }
    }
}

/// Sends a request by functional addressing and collects every ECU's answer within P2 (an ECU that answers
/// responsePending gets P2* from then on).
public final class UDSFunctionalClient: Sendable {
    public let transport: any UDSFunctionalTransport
    public let timing: UDSTiming

    public init(transport: any UDSFunctionalTransport, timing: UDSTiming = UDSTiming()) {
        self.transport = transport
        self.timing = timing
    }

    /// Sends `request` once and returns the answers in the order they came, one per ECU.
    /// - Throws: ``UDSRequestError`` for a request that is not a single frame; the transport's errors.
    public func send<R: UDSRequest>(_ request: R) throws -> [FunctionalResponse<R.Response>] {
        let pdu = try request.encoded()
        guard pdu.count <= 7 else {
            throw UDSRequestError(request: request.label, reason: "a functional request must fit one frame (\(pdu.count) bytes, at most 7)")
        }
        while try transport.receive(before: .now) != nil {}
        try transport.send(pdu)
        let service = R.service
        let deadline = ContinuousClock.now + timing.p2
        var pending: [UInt32: ContinuousClock.Instant] = [:]
        var answers: [FunctionalResponse<R.Response>] = []
        var answered: Set<UInt32> = []
        while true {
            let until = max(deadline, pending.values.max() ?? deadline)
            guard let (ecu, response) = try transport.receive(before: until) else { break }
            guard !answered.contains(ecu), let first = response.first else { continue }
            if first == UDSService.negativeResponse, response.count == 3, response[1] == service.rawValue {
                let code = NegativeResponseCode(rawValue: response[2])
                if code == .requestCorrectlyReceivedResponsePending {
                    pending[ecu] = .now + timing.p2Star
                    continue
                }
                answers.append(FunctionalResponse(ecu: ecu, result: .failure(UDSNegativeResponse(service: service, request: request.label, code: code))))
            } else if first == service.positiveResponse {
                answers.append(FunctionalResponse(ecu: ecu, result: Result { try request.decode(response) }))
            } else {
                continue
            }
            answered.insert(ecu)
            pending[ecu] = nil
            if pending.isEmpty && ContinuousClock.now >= deadline { break }
        }
        return answers
    }
}
