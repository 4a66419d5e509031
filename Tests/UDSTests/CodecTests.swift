import Testing
@testable import UDS

@Suite("UDS codecs")
struct CodecTests {
    @Test func requestBytes() throws {
        #expect(DiagnosticSessionControl(.extendedDiagnostic).encoded() == [0x10, 0x03])
        #expect(DiagnosticSessionControl(.programming, suppressPositiveResponse: true).encoded() == [0x10, 0x82])
        #expect(ECUReset(.softReset).encoded() == [0x11, 0x03])
        #expect(TesterPresent(suppressPositiveResponse: true).encoded() == [0x3E, 0x80])
        #expect(try SecurityAccess(.requestSeed(level: 1)).encoded() == [0x27, 0x01])
        #expect(try SecurityAccess(.sendKey(level: 1, key: [0xAB, 0xCD])).encoded() == [0x27, 0x02, 0xAB, 0xCD])
        #expect(CommunicationControl(.disableRxAndTx, communicationType: 0x03).encoded() == [0x28, 0x03, 0x03])
        #expect(ControlDTCSetting(.off).encoded() == [0x85, 0x02])
        #expect(try ReadDataByIdentifier([0xF190]).encoded() == [0x22, 0xF1, 0x90])
        #expect(try ReadDataByIdentifier([0xF190, 0xF187], table: [0xF190: 17, 0xF187: 5]).encoded() == [0x22, 0xF1, 0x90, 0xF1, 0x87])
        #expect(try WriteDataByIdentifier(0x0100, data: [1, 2]).encoded() == [0x2E, 0x01, 0x00, 1, 2])
        #expect(RoutineControl(.requestResults, identifier: 0xFF00, options: [9]).encoded() == [0x31, 0x03, 0xFF, 0x00, 9])
        #expect(try ReadDTCInformation.dtcByStatusMask(0x09).encoded() == [0x19, 0x02, 0x09])
        #expect(try ReadDTCInformation.snapshotRecordByDTCNumber(dtc: 0x123456, record: 0xFF, table: [:]).encoded() == [0x19, 0x04, 0x12, 0x34, 0x56, 0xFF])
        #expect(try ReadDTCInformation.supportedDTCs.encoded() == [0x19, 0x0A])
        #expect(try ClearDiagnosticInformation().encoded() == [0x14, 0xFF, 0xFF, 0xFF])
        #expect(try InputOutputControlByIdentifier(0x0100, parameter: .shortTermAdjustment, state: [7, 8]).encoded() == [0x2F, 0x01, 0x00, 0x03, 7, 8])
        #expect(TransferData(sequenceCounter: 0, data: [1]).encoded() == [0x36, 0x00, 0x01])
        #expect(RequestTransferExit().encoded() == [0x37])
    }

    @Test func addressAndLengthFormatFromSizes() throws {
        // Fewest bytes: 0x8000 needs 2, 65536 needs 3 → ALFID 0x32.
        let memory = MemoryAddress(address: 0x8000, size: 65536)
        #expect(memory.formatIdentifier == 0x32)
        #expect(try RequestDownload(memory).encoded() == [0x34, 0x00, 0x32, 0x80, 0x00, 0x01, 0x00, 0x00])
        #expect(try ReadMemoryByAddress(MemoryAddress(address: 0x12345678, size: 4, addressBytes: 4, sizeBytes: 2)).encoded()
                == [0x23, 0x24, 0x12, 0x34, 0x56, 0x78, 0x00, 0x04])
        #expect(try WriteMemoryByAddress(address: 0, data: [9]).encoded() == [0x3D, 0x11, 0x00, 0x01, 0x09])
        #expect(throws: UDSRequestError.self) { try ReadMemoryByAddress(MemoryAddress(address: 0x10000, size: 1, addressBytes: 1)).encoded() }
    }

    @Test func sessionResponseTiming() throws {
        let response = try DiagnosticSessionControl(.extendedDiagnostic).decode([0x50, 0x03, 0x00, 0x32, 0x01, 0xF4])
        #expect(response.p2 == .milliseconds(50))
        #expect(response.p2Star == .milliseconds(5000))
        #expect(DiagnosticSessionControl.encodeResponse(session: .extendedDiagnostic, p2: .milliseconds(50), p2Star: .seconds(5))
                == [0x50, 0x03, 0x00, 0x32, 0x01, 0xF4])
    }

    @Test func severalDIDsSplitByTable() throws {
        let request = ReadDataByIdentifier([0xF187, 0x0100], table: [0xF187: 3, 0x0100: 2])
        let response = try request.decode([0x62, 0xF1, 0x87, 1, 2, 3, 0x01, 0x00, 9, 9])
        #expect(response[0xF187] == [1, 2, 3])
        #expect(response[0x0100] == [9, 9])
    }

    @Test func tableMismatchAndTruncationAreClearErrors() throws {
        let request = ReadDataByIdentifier([0xF187, 0x0100], table: [0xF187: 3, 0x0100: 2])
        // One byte short.
        let short = #expect(throws: UDSResponseError.self) { try request.decode([0x62, 0xF1, 0x87, 1, 2, 3, 0x01, 0x00, 9]) }
        #expect(short?.description.contains("DID 0100") == true)
        #expect(short?.description.contains("the DID table says 2 bytes, 1 left") == true)
        // One byte too many.
        let long = #expect(throws: UDSResponseError.self) { try request.decode([0x62, 0xF1, 0x87, 1, 2, 3, 0x01, 0x00, 9, 9, 9]) }
        #expect(long?.description.contains("1 bytes after the last DID 0100") == true)
        // The wrong DID echoed.
        let wrong = #expect(throws: UDSResponseError.self) { try request.decode([0x62, 0xF1, 0x88, 1, 2, 3, 0x01, 0x00, 9, 9]) }
        #expect(wrong?.description.contains("data identifier F188 at byte 1, expected F187") == true)
        // A single DID with a table entry is checked too.
        #expect(throws: UDSResponseError.self) { try ReadDataByIdentifier([0xF187], table: [0xF187: 5]).decode([0x62, 0xF1, 0x87, 1]) }
        // Several DIDs without lengths cannot be split: refused before sending.
        #expect(throws: UDSRequestError.self) { try ReadDataByIdentifier([0xF187, 0xF190]).encoded() }
        // Truncated session response.
        let truncated = #expect(throws: UDSResponseError.self) { try DiagnosticSessionControl(.programming).decode([0x50, 0x02, 0x00]) }
        #expect(truncated?.description.contains("P2server_max needs 2 bytes at byte 2, 1 left") == true)
        // Oversized DTC list.
        #expect(throws: UDSResponseError.self) { try ReadDTCInformation.dtcByStatusMask(0xFF).decode([0x59, 0x02, 0xFF, 0x12, 0x34, 0x56, 0x2F, 0x00]) }
        #expect(throws: UDSResponseError.self) { try decodeBlockLength([0x74, 0x20, 0x00, 0x02], label: "RequestDownload") }
    }

    @Test func dtcReports() throws {
        let count = try ReadDTCInformation.numberOfDTCByStatusMask(0x08).decode([0x59, 0x01, 0xFF, 0x01, 0x00, 0x02])
        #expect(count == .count(availabilityMask: 0xFF, format: 0x01, count: 2))
        let snapshots = try ReadDTCInformation.snapshotRecordByDTCNumber(dtc: 0x123456, record: 0x01, table: [0xF187: 2])
            .decode([0x59, 0x04, 0x12, 0x34, 0x56, 0x2F, 0x01, 0x01, 0xF1, 0x87, 0xAA, 0xBB])
        #expect(snapshots == .snapshots(DTCRecord(code: 0x123456, status: 0x2F),
                                        [.init(record: 1, values: [.init(did: 0xF187, data: [0xAA, 0xBB])])]))
    }

    @Test func negativeResponseNamesRequestAndCode() {
        let error = UDSNegativeResponse(service: .readDataByIdentifier, request: ReadDataByIdentifier([0xF190]).label, code: .requestOutOfRange)
        #expect(error.description == "ReadDataByIdentifier F190: requestOutOfRange (0x31)")
        #expect(NegativeResponseCode(rawValue: 0x99).description == "nrc0x99 (0x99)")
    }

    @Test func hexParsing() {
        #expect(Hex.parse("0a 1B:2c") == [0x0A, 0x1B, 0x2C])
        #expect(Hex.parse("0x0102") == [1, 2])
        #expect(Hex.parse("ABC") == nil)
        #expect(Hex.parse("GG") == nil)
    }
}
