/// What a download or upload did.
public struct UDSTransferSummary: Hashable, Sendable {
    /// maxNumberOfBlockLength from the ECU.
    public var maxNumberOfBlockLength: Int
    /// Data bytes per TransferData request.
    public var blockSize: Int
    /// TransferData requests sent.
    public var blocks: Int
    /// The last block sequence counter used.
    public var lastSequenceCounter: UInt8
}

extension UDSClient {
    /// 0x34, 0x36…, 0x37: downloads `data` to `memory`'s address.
    ///
    /// Each TransferData carries maxNumberOfBlockLength − 2 bytes (the SID and the counter count toward it),
    /// fewer if the transport's PDU limit is lower. The counter starts at 1 and wraps 0xFF → 0x00.
    /// - Parameters:
    ///   - data: The bytes; the memory size sent is their count.
    ///   - address: The memory address.
    ///   - addressBytes, sizeBytes: The ALFID sizes (default: the fewest bytes that hold the values).
    ///   - dataFormat: dataFormatIdentifier (0x00: no compression, no encryption).
    ///   - progress: Called after each block with the bytes sent so far.
    @discardableResult
    public func download(_ data: [UInt8], to address: UInt64, addressBytes: Int? = nil, sizeBytes: Int? = nil,
                         dataFormat: UInt8 = 0x00, progress: ((Int) -> Void)? = nil) throws -> UDSTransferSummary {
        let memory = MemoryAddress(address: address, size: UInt64(data.count), addressBytes: addressBytes, sizeBytes: sizeBytes)
        let maxLength = try send(RequestDownload(memory, dataFormat: dataFormat))!
        let blockSize = min(maxLength, transport.maximumPDUSize) - 2
        var counter: UInt8 = 0
        var blocks = 0
        var offset = 0
        while offset < data.count {
            counter &+= 1
            let end = min(offset + blockSize, data.count)
            try send(TransferData(sequenceCounter: counter, data: Array(data[offset..<end])))
            blocks += 1
            offset = end
            progress?(offset)
        }
        try send(RequestTransferExit())
        return UDSTransferSummary(maxNumberOfBlockLength: maxLength, blockSize: blockSize, blocks: blocks, lastSequenceCounter: counter)
    }

    /// 0x35, 0x36…, 0x37: uploads `memory.size` bytes from the ECU.
    public func upload(_ memory: MemoryAddress, dataFormat: UInt8 = 0x00) throws -> [UInt8] {
        let maxLength = try send(RequestUpload(memory, dataFormat: dataFormat))!
        var data: [UInt8] = []
        var counter: UInt8 = 0
        while UInt64(data.count) < memory.size {
            counter &+= 1
            let block = try send(TransferData(sequenceCounter: counter, data: []))!
            guard !block.isEmpty, block.count <= maxLength - 2 else {
                throw UDSResponseError(request: "TransferData block 0x\(Hex.byte(counter))",
                                       reason: "upload block of \(block.count) bytes (1...\(maxLength - 2))", response: block)
            }
            data += block
        }
        try send(RequestTransferExit())
        guard UInt64(data.count) == memory.size else {
            throw UDSResponseError(request: "RequestUpload \(memory.text)", reason: "received \(data.count) bytes, \(memory.size) requested", response: [])
        }
        return data
    }
}
