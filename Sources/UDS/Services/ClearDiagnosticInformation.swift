/// 0x14 ClearDiagnosticInformation: clears the DTCs of a group (3 bytes; 0xFFFFFF is all groups).
public struct ClearDiagnosticInformation: UDSRequest {
    public static let service = UDSService.clearDiagnosticInformation
    /// groupOfDTC, 24 bits.
    public var group: UInt32

    public static let allGroups: UInt32 = 0xFF_FFFF

    public init(group: UInt32 = ClearDiagnosticInformation.allGroups) { self.group = group }

    public var label: String { "ClearDiagnosticInformation \(Hex.string(bigEndian(UInt64(group), size: 3)))" }

    public func encoded() throws -> [UInt8] {
        guard group <= 0xFF_FFFF else { throw UDSRequestError(request: label, reason: "group of DTC 0x\(String(group, radix: 16)) does not fit 3 bytes") }
        return [Self.service.rawValue] + bigEndian(UInt64(group), size: 3)
    }

    public func decode(_ response: [UInt8]) throws {
        try ResponseReader(response, request: label).expectEnd()
    }
}
