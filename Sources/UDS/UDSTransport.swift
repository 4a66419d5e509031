/// What a UDS client or server exchanges PDUs over: whole requests and responses, one per call.
///
/// ``ISOTPTransport`` is the real one (a kernel CAN_ISOTP socket); ``UDSLoopbackTransport`` connects a client
/// and a server in memory for tests and rigs without a bus.
public protocol UDSTransport: Sendable {
    /// Sends one whole PDU (the transport segments it).
    func send(_ pdu: [UInt8]) throws
    /// Receives one whole PDU, waiting at most until `deadline`.
    /// - Returns: nil when the deadline passed with nothing received.
    func receive(before deadline: ContinuousClock.Instant) throws -> [UInt8]?
    /// The largest PDU the transport carries.
    var maximumPDUSize: Int { get }
}
