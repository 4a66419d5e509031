/// A diagnostic trouble code with its status byte (ISO 14229-1 D.2: bit 0 testFailed … bit 7
/// warningIndicatorRequested).
public struct DTCRecord: Hashable, Sendable {
    /// The 3-byte DTC number.
    public var code: UInt32
    public var status: UInt8
    /// `123456`.
    public var hexCode: String { Hex.string(bigEndian(UInt64(code), size: 3)) }
}

/// 0x19 ReadDTCInformation with the sub-functions 0x01, 0x02, 0x04, 0x06 and 0x0A.
public enum ReadDTCInformation: UDSRequest {
    /// 0x01 reportNumberOfDTCByStatusMask.
    case numberOfDTCByStatusMask(UInt8)
    /// 0x02 reportDTCByStatusMask.
    case dtcByStatusMask(UInt8)
    /// 0x04 reportDTCSnapshotRecordByDTCNumber (record 0xFF: all). Snapshot DIDs are split with `table`.
    case snapshotRecordByDTCNumber(dtc: UInt32, record: UInt8, table: DIDTable)
    /// 0x06 reportDTCExtDataRecordByDTCNumber (record 0xFF: all). `recordLengths` gives each record's length;
    /// without one the rest of the response is one record.
    case extendedDataRecordByDTCNumber(dtc: UInt32, record: UInt8, recordLengths: [UInt8: Int])
    /// 0x0A reportSupportedDTC.
    case supportedDTCs

    public static let service = UDSService.readDTCInformation

    /// One snapshot record: its number and the DIDs it holds.
    public struct Snapshot: Hashable, Sendable {
        public var record: UInt8
        public var values: [DIDValue]
    }

    /// A DID and its data inside a snapshot.
    public struct DIDValue: Hashable, Sendable {
        public var did: UInt16
        public var data: [UInt8]
    }

    /// The responses, one case per sub-function.
    public enum Response: Hashable, Sendable {
        case count(availabilityMask: UInt8, format: UInt8, count: UInt16)
        case dtcs(availabilityMask: UInt8, [DTCRecord])
        case snapshots(DTCRecord, [Snapshot])
        case extendedData(DTCRecord, [(record: UInt8, data: [UInt8])])

        public static func == (a: Self, b: Self) -> Bool {
            switch (a, b) {
            case let (.count(m1, f1, c1), .count(m2, f2, c2)): m1 == m2 && f1 == f2 && c1 == c2
            case let (.dtcs(m1, d1), .dtcs(m2, d2)): m1 == m2 && d1 == d2
            case let (.snapshots(d1, s1), .snapshots(d2, s2)): d1 == d2 && s1 == s2
            case let (.extendedData(d1, e1), .extendedData(d2, e2)):
                d1 == d2 && e1.count == e2.count && zip(e1, e2).allSatisfy { $0.record == $1.record && $0.data == $1.data }
            default: false
            }
        }
        public func hash(into h: inout Hasher) {
            switch self {
            case let .count(m, f, c): h.combine(0); h.combine(m); h.combine(f); h.combine(c)
            case let .dtcs(m, d): h.combine(1); h.combine(m); h.combine(d)
            case let .snapshots(d, s): h.combine(2); h.combine(d); h.combine(s)
            case let .extendedData(d, e): h.combine(3); h.combine(d); for x in e { h.combine(x.record); h.combine(x.data) }
            }
        }
    }

    /// The sub-function byte.
    public var subFunction: UInt8 {
        switch self {
        case .numberOfDTCByStatusMask: 0x01
        case .dtcByStatusMask: 0x02
        case .snapshotRecordByDTCNumber: 0x04
        case .extendedDataRecordByDTCNumber: 0x06
        case .supportedDTCs: 0x0A
        }
    }

    public var label: String { "ReadDTCInformation 0x\(Hex.byte(subFunction))" }

    public func encoded() throws -> [UInt8] {
        let head = [Self.service.rawValue, subFunction]
        switch self {
        case .numberOfDTCByStatusMask(let mask), .dtcByStatusMask(let mask): return head + [mask]
        case .snapshotRecordByDTCNumber(let dtc, let record, _), .extendedDataRecordByDTCNumber(let dtc, let record, _):
            guard dtc <= 0xFF_FFFF else { throw UDSRequestError(request: label, reason: "DTC 0x\(String(dtc, radix: 16)) does not fit 3 bytes") }
            return head + bigEndian(UInt64(dtc), size: 3) + [record]
        case .supportedDTCs: return head
        }
    }

    public func decode(_ response: [UInt8]) throws -> Response {
        var r = ResponseReader(response, request: label)
        try r.expect(subFunction, "report type")
        switch self {
        case .numberOfDTCByStatusMask:
            let mask = try r.byte("DTCStatusAvailabilityMask")
            let format = try r.byte("DTCFormatIdentifier")
            let count = try r.word("DTCCount")
            try r.expectEnd()
            return .count(availabilityMask: mask, format: format, count: count)
        case .dtcByStatusMask, .supportedDTCs:
            let mask = try r.byte("DTCStatusAvailabilityMask")
            guard r.remaining % 4 == 0 else { throw r.error("\(r.remaining) bytes of DTC records are not a multiple of 4 (DTC 3 + status 1)") }
            var records: [DTCRecord] = []
            while !r.isAtEnd {
                let code = UInt32(try r.uint(3, "DTC"))
                records.append(DTCRecord(code: code, status: try r.byte("DTC status")))
            }
            return .dtcs(availabilityMask: mask, records)
        case .snapshotRecordByDTCNumber(let dtc, _, let table):
            let record = try dtcRecord(&r, expected: dtc)
            var snapshots: [Snapshot] = []
            while !r.isAtEnd {
                let number = try r.byte("DTCSnapshotRecordNumber")
                let count = try r.byte("DTCSnapshotRecordNumberOfIdentifiers")
                var values: [DIDValue] = []
                for _ in 0..<count {
                    let at = r.offset
                    let did = try r.word("snapshot data identifier")
                    guard let length = table[did] else {
                        throw r.error("snapshot DID \(Hex.word(did)) at byte \(at) has no length in the DID table")
                    }
                    values.append(DIDValue(did: did, data: try r.bytes(length, "snapshot DID \(Hex.word(did))")))
                }
                snapshots.append(Snapshot(record: number, values: values))
            }
            return .snapshots(record, snapshots)
        case .extendedDataRecordByDTCNumber(let dtc, _, let lengths):
            let record = try dtcRecord(&r, expected: dtc)
            var data: [(record: UInt8, data: [UInt8])] = []
            while !r.isAtEnd {
                let number = try r.byte("DTCExtDataRecordNumber")
                if let length = lengths[number] {
                    data.append((number, try r.bytes(length, "extended data record 0x\(Hex.byte(number))")))
                } else {
                    data.append((number, r.rest()))
                }
            }
            return .extendedData(record, data)
        }
    }

    private func dtcRecord(_ r: inout ResponseReader, expected: UInt32) throws -> DTCRecord {
        let at = r.offset
        let code = UInt32(try r.uint(3, "DTC"))
        guard code == expected else {
            throw r.error("DTC \(Hex.string(bigEndian(UInt64(code), size: 3))) at byte \(at), expected \(Hex.string(bigEndian(UInt64(expected), size: 3)))")
        }
        return DTCRecord(code: code, status: try r.byte("DTC status"))
    }
}
