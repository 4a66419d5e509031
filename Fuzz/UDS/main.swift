// UDS responses: a client sends one request, chosen and parameterised by the input's first bytes, to a scripted
// ECU that answers with the input's remaining chunks, in order, once the request is out (positive responses,
// `7F SID NRC` with pending and busy codes, other services' answers, malformed bytes). `send` must end with the
// decoded response or one of the documented errors, each of which describes itself.
import FuzzSupport
import UDS

/// An ECU that answers each request with the next scripted PDUs, and with silence once they run out.
final class ScriptedECU: UDSTransport, @unchecked Sendable {
    private var responses: [[UInt8]]
    private var next = 0
    private var requested = false
    let maximumPDUSize = 4095

    init(_ responses: [[UInt8]]) { self.responses = responses }

    func send(_ pdu: [UInt8]) throws { requested = true }

    func receive(before deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        guard requested, next < responses.count else { return nil }
        defer { next += 1 }
        return responses[next]
    }
}

func memory(_ input: inout FuzzInput) -> MemoryAddress {
    let format = input.byte()
    return MemoryAddress(address: UInt64(input.uint32()), size: UInt64(input.uint16()), format: format)
}

func request(_ input: inout FuzzInput) -> any UDSRequest {
    switch input.byte() % 23 {
    case 0: return DiagnosticSessionControl(UDSSession(rawValue: input.byte()))
    case 1: return ECUReset(ResetType(rawValue: input.byte()))
    case 2: return ClearDiagnosticInformation(group: input.uint32() & 0xFF_FFFF)
    case 3: return ReadDTCInformation.numberOfDTCByStatusMask(input.byte())
    case 4: return ReadDTCInformation.dtcByStatusMask(input.byte())
    case 5: return ReadDTCInformation.snapshotRecordByDTCNumber(dtc: input.uint32() & 0xFF_FFFF, record: input.byte(),
                                                                table: DIDTable([input.uint16(): Int(input.byte() % 16)]))
    case 6: return ReadDTCInformation.extendedDataRecordByDTCNumber(dtc: input.uint32() & 0xFF_FFFF, record: input.byte(),
                                                                    recordLengths: [input.byte(): Int(input.byte() % 16)])
    case 7: return ReadDTCInformation.supportedDTCs
    case 8:
        let first = input.uint16(), second = input.uint16()
        let lengths = [(first, Int(input.byte() % 32)), (second, Int(input.byte() % 32))]
        return ReadDataByIdentifier([first, second], table: DIDTable(Dictionary(lengths) { a, _ in a }))
    case 9: return ReadMemoryByAddress(memory(&input))
    case 10: return SecurityAccess(.requestSeed(level: input.byte() | 1))
    case 11: return SecurityAccess(.sendKey(level: input.byte() | 1, key: Array(input.chunk())))
    case 12: return CommunicationControl(.init(rawValue: input.byte()), communicationType: input.byte())
    case 13: return WriteDataByIdentifier(input.uint16(), data: Array(input.chunk()))
    case 14: return InputOutputControlByIdentifier(input.uint16(), parameter: .init(rawValue: input.byte()), state: Array(input.chunk()))
    case 15: return RoutineControl(RoutineControl.ControlType.allCases[Int(input.byte()) % 3], identifier: input.uint16(),
                                   options: Array(input.chunk()))
    case 16: return RequestDownload(memory(&input), dataFormat: input.byte())
    case 17: return RequestUpload(memory(&input), dataFormat: input.byte())
    case 18: return TransferData(sequenceCounter: input.byte(), data: Array(input.chunk()))
    case 19: return RequestTransferExit(parameters: Array(input.chunk()))
    case 20: return WriteMemoryByAddress(address: UInt64(input.uint32()), data: Array(input.chunk()))
    case 21: return TesterPresent()
    default: return ControlDTCSetting(.init(rawValue: input.byte()))
    }
}

fuzz { bytes in
    var input = FuzzInput(bytes)
    let request = request(&input)
    var responses: [[UInt8]] = []
    while !input.isAtEnd { responses.append(Array(input.chunk())) }
    let client = UDSClient(transport: ScriptedECU(responses), busyRetryDelay: .zero)
    do {
        let response = try client.send(request)
        _ = String(describing: response)
    } catch let error as UDSResponseError {
        require(!error.description.isEmpty, "an empty UDSResponseError")
    } catch let error as UDSNegativeResponse {
        require(!error.description.isEmpty, "an empty UDSNegativeResponse")
    } catch let error as UDSTimeout {
        require(!error.description.isEmpty, "an empty UDSTimeout")
    } catch let error as UDSRequestError {
        require(!error.description.isEmpty, "an empty UDSRequestError")
    } catch {
        require(false, "send threw an undocumented error: \(error)")
    }
}
