/// The data lengths of data identifiers, which a ReadDataByIdentifier response for several DIDs needs to split
/// its bytes (the response carries no lengths).
public struct DIDTable: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public var lengths: [UInt16: Int]
    public init(_ lengths: [UInt16: Int] = [:]) { self.lengths = lengths }
    public init(dictionaryLiteral elements: (UInt16, Int)...) {
        lengths = Dictionary(elements, uniquingKeysWith: { $1 })
    }
    public subscript(did: UInt16) -> Int? {
        get { lengths[did] }
        set { lengths[did] = newValue }
    }
}

/// 0x22 ReadDataByIdentifier: one or several DIDs in one request.
///
/// With one DID the rest of the response is its data (a table entry, if any, is checked). With several, every
/// DID needs a length in the ``DIDTable``; the response must then match it exactly.
public struct ReadDataByIdentifier: UDSRequest {
    public static let service = UDSService.readDataByIdentifier
    public var identifiers: [UInt16]
    public var table: DIDTable

    public init(_ identifiers: [UInt16], table: DIDTable = DIDTable()) {
        self.identifiers = identifiers
        self.table = table
    }

    /// `62 (DID data)…` in request order.
    public struct Response: Hashable, Sendable {
        public var values: [(did: UInt16, data: [UInt8])]
        /// The data of one DID.
        public subscript(did: UInt16) -> [UInt8]? { values.first { $0.did == did }?.data }
        public static func == (a: Self, b: Self) -> Bool {
            a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { $0.did == $1.did && $0.data == $1.data }
        }
        public func hash(into h: inout Hasher) { for v in values { h.combine(v.did); h.combine(v.data) } }
    }

    public var label: String { "ReadDataByIdentifier " + identifiers.map(Hex.word).joined(separator: " ") }

    public func encoded() throws -> [UInt8] {
        guard !identifiers.isEmpty else { throw UDSRequestError(request: label, reason: "no data identifier to read") }
        if identifiers.count > 1, let missing = identifiers.first(where: { table[$0] == nil }) {
            throw UDSRequestError(request: label,
                                  reason: "DID \(Hex.word(missing)) has no length in the DID table (needed to split a response for several DIDs)")
        }
        return [Self.service.rawValue] + identifiers.flatMap { bigEndian(UInt64($0), size: 2) }
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        var values: [(did: UInt16, data: [UInt8])] = []
        for (i, did) in identifiers.enumerated() {
            let at = r.offset
            try r.expectWord(did, "data identifier")
            if identifiers.count == 1, table[did] == nil {
                values.append((did, r.rest()))
                break
            }
            let length = table[did]!
            guard r.remaining >= length else {
                throw r.error("DID \(Hex.word(did)) at byte \(at): the DID table says \(length) bytes, \(r.remaining) left")
            }
            values.append((did, try r.bytes(length, "DID \(Hex.word(did)) data")))
            if i == identifiers.count - 1, !r.isAtEnd {
                throw r.error("\(r.remaining) bytes after the last DID \(Hex.word(did)) (the DID table says \(length) bytes)")
            }
        }
        return Response(values: values)
    }
}
