/// A memory address and size with the addressAndLengthFormatIdentifier (ALFID) that encodes them: high
/// nibble the size's byte count, low nibble the address's.
public struct MemoryAddress: Hashable, Sendable {
    public var address: UInt64
    public var size: UInt64
    /// Bytes of memoryAddress (1–8).
    public var addressBytes: Int
    /// Bytes of memorySize (1–8).
    public var sizeBytes: Int

    /// An address and size; the byte counts default to the fewest that hold each value (at least 1).
    public init(address: UInt64, size: UInt64, addressBytes: Int? = nil, sizeBytes: Int? = nil) {
        self.address = address
        self.size = size
        self.addressBytes = addressBytes ?? Self.bytesNeeded(address)
        self.sizeBytes = sizeBytes ?? Self.bytesNeeded(size)
    }

    /// Parses a format byte from the command line: `0x44` style ALFID.
    public init(address: UInt64, size: UInt64, format: UInt8) {
        self.init(address: address, size: size, addressBytes: Int(format & 0x0F), sizeBytes: Int(format >> 4))
    }

    static func bytesNeeded(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 7) / 8) }

    /// The ALFID byte.
    public var formatIdentifier: UInt8 { UInt8(sizeBytes << 4 | addressBytes) }

    /// ALFID, address, size.
    func encoded(label: String) throws -> [UInt8] {
        guard (1...8).contains(addressBytes), (1...8).contains(sizeBytes) else {
            throw UDSRequestError(request: label, reason: "address and size need 1-8 bytes each (got \(addressBytes) and \(sizeBytes))")
        }
        guard Self.bytesNeeded(address) <= addressBytes else {
            throw UDSRequestError(request: label, reason: "address 0x\(String(address, radix: 16, uppercase: true)) does not fit \(addressBytes) bytes")
        }
        guard Self.bytesNeeded(size) <= sizeBytes else {
            throw UDSRequestError(request: label, reason: "size \(size) does not fit \(sizeBytes) bytes")
        }
        return [formatIdentifier] + bigEndian(address, size: addressBytes) + bigEndian(size, size: sizeBytes)
    }

    /// Decodes ALFID, address and size from a request (server side); nil when the bytes do not hold them.
    static func decode(_ bytes: ArraySlice<UInt8>) -> (MemoryAddress, rest: ArraySlice<UInt8>)? {
        guard let format = bytes.first else { return nil }
        let a = Int(format & 0x0F), s = Int(format >> 4)
        guard (1...8).contains(a), (1...8).contains(s), bytes.count >= 1 + a + s else { return nil }
        let start = bytes.startIndex + 1
        let address = bytes[start..<start + a].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let size = bytes[start + a..<start + a + s].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (MemoryAddress(address: address, size: size, addressBytes: a, sizeBytes: s), bytes[(start + a + s)...])
    }

    var text: String { "0x\(String(address, radix: 16, uppercase: true)) size \(size)" }
}

/// 0x23 ReadMemoryByAddress.
public struct ReadMemoryByAddress: UDSRequest {
    public static let service = UDSService.readMemoryByAddress
    public var memory: MemoryAddress
    public init(_ memory: MemoryAddress) { self.memory = memory }
    public var label: String { "ReadMemoryByAddress \(memory.text)" }
    public func encoded() throws -> [UInt8] { [Self.service.rawValue] + (try memory.encoded(label: label)) }
    /// `63 data`: the data must have the requested size.
    public func decode(_ response: [UInt8]) throws -> [UInt8] {
        var r = ResponseReader(response, request: label)
        let data = r.rest()
        guard UInt64(data.count) == memory.size else { throw r.error("\(data.count) bytes of data, \(memory.size) requested") }
        return data
    }
}

/// 0x3D WriteMemoryByAddress.
public struct WriteMemoryByAddress: UDSRequest {
    public static let service = UDSService.writeMemoryByAddress
    public var memory: MemoryAddress
    public var data: [UInt8]
    /// The size is the data's length.
    public init(address: UInt64, data: [UInt8], addressBytes: Int? = nil, sizeBytes: Int? = nil) {
        memory = MemoryAddress(address: address, size: UInt64(data.count), addressBytes: addressBytes, sizeBytes: sizeBytes)
        self.data = data
    }
    public var label: String { "WriteMemoryByAddress \(memory.text)" }
    public func encoded() throws -> [UInt8] {
        guard !data.isEmpty else { throw UDSRequestError(request: label, reason: "no data to write") }
        return [Self.service.rawValue] + (try memory.encoded(label: label)) + data
    }
    /// `7D ALFID address size` echoed.
    public func decode(_ response: [UInt8]) throws -> MemoryAddress {
        var r = ResponseReader(response, request: label)
        let echo = try r.bytes(1 + memory.addressBytes + memory.sizeBytes, "addressAndLengthFormatIdentifier, address and size")
        guard echo == (try memory.encoded(label: label)) else { throw r.error("the echoed address and size differ from the request's") }
        try r.expectEnd()
        return memory
    }
}
