/// 0x34 RequestDownload: the data format, the memory address and size; the response's maxNumberOfBlockLength
/// bounds each TransferData request (SID and counter included).
public struct RequestDownload: UDSRequest {
    public static let service = UDSService.requestDownload
    /// dataFormatIdentifier: high nibble compression, low nibble encryption (0x00: neither).
    public var dataFormat: UInt8
    public var memory: MemoryAddress

    public init(_ memory: MemoryAddress, dataFormat: UInt8 = 0x00) {
        self.memory = memory
        self.dataFormat = dataFormat
    }

    public var label: String { "RequestDownload \(memory.text)" }
    public func encoded() throws -> [UInt8] { [Self.service.rawValue, dataFormat] + (try memory.encoded(label: label)) }
    /// `74 lengthFormatIdentifier maxNumberOfBlockLength`: returns maxNumberOfBlockLength.
    public func decode(_ response: [UInt8]) throws -> Int { try decodeBlockLength(response, label: label) }
}

/// 0x35 RequestUpload: as RequestDownload, from the ECU to the tester.
public struct RequestUpload: UDSRequest {
    public static let service = UDSService.requestUpload
    public var dataFormat: UInt8
    public var memory: MemoryAddress

    public init(_ memory: MemoryAddress, dataFormat: UInt8 = 0x00) {
        self.memory = memory
        self.dataFormat = dataFormat
    }

    public var label: String { "RequestUpload \(memory.text)" }
    public func encoded() throws -> [UInt8] { [Self.service.rawValue, dataFormat] + (try memory.encoded(label: label)) }
    /// `75 lengthFormatIdentifier maxNumberOfBlockLength`: returns maxNumberOfBlockLength.
    public func decode(_ response: [UInt8]) throws -> Int { try decodeBlockLength(response, label: label) }
}

/// lengthFormatIdentifier (high nibble: the byte count) and maxNumberOfBlockLength.
func decodeBlockLength(_ response: [UInt8], label: String) throws -> Int {
    var r = ResponseReader(response, request: label)
    let format = try r.byte("lengthFormatIdentifier")
    let count = Int(format >> 4)
    guard (1...8).contains(count) else { throw r.error("lengthFormatIdentifier 0x\(Hex.byte(format)): maxNumberOfBlockLength of \(count) bytes") }
    let length = try r.uint(count, "maxNumberOfBlockLength")
    try r.expectEnd()
    guard length >= 3, length <= UInt64(Int32.max) else {
        throw r.error("maxNumberOfBlockLength \(length) leaves no room for data (SID and counter take 2 bytes)")
    }
    return Int(length)
}

/// 0x36 TransferData: one block with its sequence counter (starts at 1, wraps 0xFF → 0x00).
public struct TransferData: UDSRequest {
    public static let service = UDSService.transferData
    public var sequenceCounter: UInt8
    public var data: [UInt8]

    public init(sequenceCounter: UInt8, data: [UInt8]) {
        self.sequenceCounter = sequenceCounter
        self.data = data
    }

    public var label: String { "TransferData block 0x\(Hex.byte(sequenceCounter))" }

    public func encoded() -> [UInt8] { [Self.service.rawValue, sequenceCounter] + data }

    /// `76 counter [transferResponseParameterRecord]`: returns the record (the data for an upload).
    public func decode(_ response: [UInt8]) throws -> [UInt8] {
        var r = ResponseReader(response, request: label)
        try r.expect(sequenceCounter, "blockSequenceCounter")
        return r.rest()
    }
}

/// 0x37 RequestTransferExit.
public struct RequestTransferExit: UDSRequest {
    public static let service = UDSService.requestTransferExit
    public var parameters: [UInt8]
    public init(parameters: [UInt8] = []) { self.parameters = parameters }
    public func encoded() -> [UInt8] { [Self.service.rawValue] + parameters }
    /// `77 [transferResponseParameterRecord]`.
    public func decode(_ response: [UInt8]) throws -> [UInt8] {
        var r = ResponseReader(response, request: label)
        return r.rest()
    }
}
