// One method per service, on top of ``UDSClient/send(_:)``.
extension UDSClient {
    /// 0x10: switches the session; adopts the ECU's P2 and P2* (plus the margin) unless turned off.
    @discardableResult
    public func changeSession(_ session: UDSSession) throws -> DiagnosticSessionControl.Response {
        let response = try send(DiagnosticSessionControl(session))!
        settings.withLock { s in
            if s.adoptsSessionTiming {
                s.timing.p2 = response.p2 + s.timing.adoptionMargin
                s.timing.p2Star = response.p2Star + s.timing.adoptionMargin
            }
        }
        return response
    }

    /// 0x11.
    @discardableResult
    public func reset(_ type: ResetType) throws -> ECUReset.Response {
        try send(ECUReset(type))!
    }

    /// 0x27: requests the seed of `level` (odd), computes the key with `key`, sends it. An all-zero seed means
    /// the level is already unlocked: no key is sent.
    /// - Returns: The seed received.
    @discardableResult
    public func unlock(level: UInt8, key: ([UInt8]) throws -> [UInt8]) throws -> [UInt8] {
        let seed = try send(SecurityAccess(.requestSeed(level: level)))!.seed
        if seed.allSatisfy({ $0 == 0 }) { return seed }
        try send(SecurityAccess(.sendKey(level: level, key: try key(seed))))
        return seed
    }

    /// 0x28.
    public func communicationControl(_ control: CommunicationControl.ControlType, communicationType: UInt8 = 0x01,
                                     suppressPositiveResponse: Bool = false) throws {
        try send(CommunicationControl(control, communicationType: communicationType, suppressPositiveResponse: suppressPositiveResponse))
    }

    /// 0x3E, waiting for the response unless suppressed.
    public func testerPresent(suppressPositiveResponse: Bool = false) throws {
        try send(TesterPresent(suppressPositiveResponse: suppressPositiveResponse))
    }

    /// 0x85.
    public func controlDTCSetting(_ setting: ControlDTCSetting.SettingType, suppressPositiveResponse: Bool = false) throws {
        try send(ControlDTCSetting(setting, suppressPositiveResponse: suppressPositiveResponse))
    }

    /// 0x22 for one DID: its data.
    public func readDataByIdentifier(_ did: UInt16, table: DIDTable = DIDTable()) throws -> [UInt8] {
        try send(ReadDataByIdentifier([did], table: table))![did]!
    }

    /// 0x22 for several DIDs in one request, split by the table's lengths.
    public func readDataByIdentifiers(_ dids: [UInt16], table: DIDTable) throws -> ReadDataByIdentifier.Response {
        try send(ReadDataByIdentifier(dids, table: table))!
    }

    /// 0x2E.
    public func writeDataByIdentifier(_ did: UInt16, data: [UInt8]) throws {
        try send(WriteDataByIdentifier(did, data: data))
    }

    /// 0x31.
    @discardableResult
    public func routine(_ control: RoutineControl.ControlType, identifier: UInt16, options: [UInt8] = []) throws -> RoutineControl.Response {
        try send(RoutineControl(control, identifier: identifier, options: options))!
    }

    /// 0x19.
    public func readDTCInformation(_ request: ReadDTCInformation) throws -> ReadDTCInformation.Response {
        try send(request)!
    }

    /// 0x19 0x02: the DTCs whose status matches `mask`.
    public func readDTCs(statusMask mask: UInt8 = 0xFF) throws -> [DTCRecord] {
        guard case .dtcs(_, let records) = try send(ReadDTCInformation.dtcByStatusMask(mask))! else { return [] }
        return records
    }

    /// 0x14.
    public func clearDiagnosticInformation(group: UInt32 = ClearDiagnosticInformation.allGroups) throws {
        try send(ClearDiagnosticInformation(group: group))
    }

    /// 0x23.
    public func readMemory(_ memory: MemoryAddress) throws -> [UInt8] {
        try send(ReadMemoryByAddress(memory))!
    }

    /// 0x3D.
    public func writeMemory(address: UInt64, data: [UInt8], addressBytes: Int? = nil, sizeBytes: Int? = nil) throws {
        try send(WriteMemoryByAddress(address: address, data: data, addressBytes: addressBytes, sizeBytes: sizeBytes))
    }

    /// 0x2F.
    @discardableResult
    public func inputOutputControl(_ request: InputOutputControlByIdentifier) throws -> InputOutputControlByIdentifier.Response {
        try send(request)!
    }
}
