/// 0x34 RequestDownload (``RequestDownload``) or 0x35 RequestUpload (``RequestUpload``), one request in two
/// directions: the data format, the memory address and size; the response's maxNumberOfBlockLength bounds each
/// TransferData request (SID and counter included).
public struct MemoryTransferRequest<Direction: MemoryTransferDirection>: UDSRequest {
    public static var service: UDSService { Direction.service }
    /// dataFormatIdentifier: high nibble compression, low nibble encryption (0x00: neither).
    public var dataFormat: UInt8
    public var memory: MemoryAddress

    public init(_ memory: MemoryAddress, dataFormat: UInt8 = 0x00) {
        self.memory = memory
        self.dataFormat = dataFormat
    }

    public var label: String { "\(Self.service.name) \(memory.text)" }
    public func encoded() throws -> [UInt8] { [Self.service.rawValue, dataFormat] + (try memory.encoded(label: label)) }
    /// `74` (or `75`) `lengthFormatIdentifier maxNumberOfBlockLength`: returns maxNumberOfBlockLength.
    public func decode(_ response: [UInt8]) throws -> Int { try decodeBlockLength(response, label: label) }
}

/// Which way a ``MemoryTransferRequest`` moves the data: its service.
public protocol MemoryTransferDirection: Sendable {
    static var service: UDSService { get }
}

/// From the tester to the ECU: RequestDownload (0x34).
public enum DownloadDirection: MemoryTransferDirection {
    public static var service: UDSService { .requestDownload }
}

/// From the ECU to the tester: RequestUpload (0x35).
public enum UploadDirection: MemoryTransferDirection {
    public static var service: UDSService { .requestUpload }
}

/// 0x34 RequestDownload: the data format, the memory address and size.
public typealias RequestDownload = MemoryTransferRequest<DownloadDirection>
/// 0x35 RequestUpload: as RequestDownload, from the ECU to the tester.
public typealias RequestUpload = MemoryTransferRequest<UploadDirection>

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
