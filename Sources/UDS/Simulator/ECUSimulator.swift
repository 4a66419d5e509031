import SocketBase

/// A simulated ECU: answers UDS requests from its ``ECUSimulatorConfiguration`` and keeps session, security,
/// routine and transfer state. ``handle(_:)`` is the pure part (bytes in, steps out); ``serve(on:until:)`` runs
/// it over a transport.
///
/// Negative responses follow ISO 14229-1's order (figure 5 and each service's NRC table):
/// serviceNotSupported, serviceNotSupportedInActiveSession, incorrectMessageLength for a missing
/// sub-function, subFunctionNotSupported, then the service's own checks (incorrectMessageLength,
/// requestSequenceError, requestOutOfRange, securityAccessDenied, …).
public final class ECUSimulator: Sendable {
    /// What the ECU does in answer to one request.
    public enum Step: Hashable, Sendable {
        case send([UInt8])
        case pause(Duration)
    }

    struct Transfer {
        var download: Bool
        var address: UInt64
        var size: Int
        var done = 0
        var counter: UInt8 = 1
        var lastCounter: UInt8? = nil
    }

    struct State {
        var configuration: ECUSimulatorConfiguration
        var session: UInt8 = 0x01
        var unlocked: Set<UInt8> = []
        var seedSent: UInt8? = nil
        var failedAttempts = 0
        var startedRoutines: Set<UInt16> = []
        var memory: [UInt8]
        var transfer: Transfer? = nil
        var completedDownloads: [(address: UInt64, size: Int)] = []
        var injectionUses: [Int] = []
        var dtcSettingOn = true
        var handled = 0
    }

    let state: Locked<State>

    public init(_ configuration: ECUSimulatorConfiguration) {
        state = Locked(State(configuration: configuration, memory: [UInt8](repeating: 0, count: configuration.memorySize),
                            injectionUses: [Int](repeating: 0, count: configuration.injections.count)))
    }

    /// The active session.
    public var session: UInt8 { state.withLock { $0.session } }
    /// Memory bytes (downloads land here).
    public func memory(at address: UInt64, count: Int) -> [UInt8] {
        state.withLock { s in
            let start = Int(address - s.configuration.memoryBase)
            return Array(s.memory[start..<start + count])
        }
    }
    /// Downloads completed with RequestTransferExit.
    public var completedDownloads: [(address: UInt64, size: Int)] { state.withLock { $0.completedDownloads } }
    /// A DID's current value.
    public func value(of did: UInt16) -> [UInt8]? { state.withLock { $0.configuration.dids[did]?.data } }
    /// Requests handled so far.
    public var requestsHandled: Int { state.withLock { $0.handled } }

    /// The services answered (others: serviceNotSupported).
    public static let services: Set<UInt8> = [0x10, 0x11, 0x14, 0x19, 0x22, 0x23, 0x27, 0x28, 0x2E, 0x2F, 0x31, 0x34,
                                              0x35, 0x36, 0x37, 0x3D, 0x3E, 0x85]

    /// Answers one request: the steps to perform (sends and pauses); empty for no answer.
    public func handle(_ request: [UInt8]) -> [Step] {
        guard let sid = request.first else { return [] }
        return state.withLock { s in
            s.handled += 1
            var steps: [Step] = []
            for (i, injection) in s.configuration.injections.enumerated() where request.starts(with: injection.match) {
                if let times = injection.times, s.injectionUses[i] >= times { continue }
                s.injectionUses[i] += 1
                switch injection.behaviour {
                case .pending(let count, let interval):
                    for _ in 0..<count { steps += [.send([0x7F, sid, 0x78]), .pause(interval)] }
                case .busy: return [.send([0x7F, sid, 0x21])]
                case .negative(let code): return [.send([0x7F, sid, code.rawValue])]
                case .silent: return []
                }
                break
            }
            switch Self.answer(request, &s) {
            case .positive(let response):
                let suppressed = UDSService(rawValue: sid).hasSubFunction && request.count > 1 && request[1] & 0x80 != 0
                if !suppressed { steps.append(.send(response)) }
            case .negative(let code):
                steps.append(.send([0x7F, sid, code.rawValue]))
            }
            return steps
        }
    }

    /// Serves requests from `transport` until `stop` returns true (checked at least every 100 ms).
    public func serve(on transport: any UDSTransport, until stop: @Sendable () -> Bool) throws {
        while !stop() {
            guard let request = try transport.receive(before: .now + .milliseconds(100)) else { continue }
            for step in handle(request) {
                switch step {
                case .send(let pdu): try transport.send(pdu)
                case .pause(let duration):
                    let end = ContinuousClock.now + duration
                    while !stop(), ContinuousClock.now < end { sleep(for: min(.milliseconds(50), end - .now)) }
                }
            }
        }
    }

    enum Answer {
        case positive([UInt8])
        case negative(NegativeResponseCode)
    }

    /// The general checks in ISO 14229-1 order, then the service's own.
    static func answer(_ r: [UInt8], _ s: inout State) -> Answer {
        let sid = r[0]
        guard services.contains(sid) else { return .negative(.serviceNotSupported) }
        if let sessions = s.configuration.serviceSessions[sid], !sessions.contains(s.session) {
            return .negative(.serviceNotSupportedInActiveSession)
        }
        let service = UDSService(rawValue: sid)
        if service.hasSubFunction {
            guard r.count >= 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            guard subFunctionSupported(service, r[1] & 0x7F, s) else { return .negative(.subFunctionNotSupported) }
        }
        let sub = r.count > 1 ? r[1] & 0x7F : 0
        let ok = { (bytes: [UInt8]) -> Answer in .positive([service.positiveResponse] + bytes) }
        switch service {
        case .diagnosticSessionControl:
            guard r.count == 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let timing = s.configuration.sessions[sub]!
            if sub != s.session || sub == 0x01 { s.unlocked = []; s.seedSent = nil }
            s.session = sub
            s.transfer = nil
            return .positive(DiagnosticSessionControl.encodeResponse(session: UDSSession(rawValue: sub), p2: timing.p2, p2Star: timing.p2Star))
        case .ecuReset:
            guard r.count == 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            s.session = 0x01
            s.unlocked = []
            s.seedSent = nil
            s.transfer = nil
            s.startedRoutines = []
            return ok(sub == 0x04 ? [sub, 0x0F] : [sub])
        case .testerPresent:
            guard r.count == 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            return ok([0x00])
        case .communicationControl:
            guard r.count == 3 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            guard (1...3).contains(r[2] & 0x03) else { return .negative(.requestOutOfRange) }
            return ok([sub])
        case .controlDTCSetting:
            s.dtcSettingOn = sub == 0x01
            return ok([sub])
        case .securityAccess:
            return securityAccess(r, sub, &s)
        case .readDataByIdentifier:
            guard r.count >= 3, (r.count - 1) % 2 == 0 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            var response: [UInt8] = []
            for i in stride(from: 1, to: r.count, by: 2) {
                let did = UInt16(r[i]) << 8 | UInt16(r[i + 1])
                guard let value = s.configuration.dids[did] else { continue }
                response += [r[i], r[i + 1]] + value.data
            }
            guard !response.isEmpty else { return .negative(.requestOutOfRange) }
            guard response.count + 1 <= s.configuration.maximumResponseLength else { return .negative(.responseTooLong) }
            return ok(response)
        case .writeDataByIdentifier:
            guard r.count >= 4 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let did = UInt16(r[1]) << 8 | UInt16(r[2])
            guard let value = s.configuration.dids[did], value.writable else { return .negative(.requestOutOfRange) }
            guard r.count - 3 == value.data.count else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            if let level = value.writeSecurityLevel, !s.unlocked.contains(level) { return .negative(.securityAccessDenied) }
            s.configuration.dids[did]!.data = Array(r[3...])
            return ok([r[1], r[2]])
        case .routineControl:
            guard r.count >= 4 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let rid = UInt16(r[2]) << 8 | UInt16(r[3])
            guard let routine = s.configuration.routines[rid] else { return .negative(.requestOutOfRange) }
            if let level = routine.securityLevel, !s.unlocked.contains(level) { return .negative(.securityAccessDenied) }
            switch sub {
            case 0x01:
                s.startedRoutines.insert(rid)
                return ok([sub, r[2], r[3]] + routine.startStatus)
            case 0x02:
                guard s.startedRoutines.remove(rid) != nil else { return .negative(.requestSequenceError) }
                return ok([sub, r[2], r[3]])
            default:
                guard s.startedRoutines.contains(rid) else { return .negative(.requestSequenceError) }
                return ok([sub, r[2], r[3]] + routine.results)
            }
        case .readDTCInformation:
            return readDTCInformation(r, sub, s)
        case .clearDiagnosticInformation:
            guard r.count == 4 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let group = UInt32(r[1]) << 16 | UInt32(r[2]) << 8 | UInt32(r[3])
            if group == ClearDiagnosticInformation.allGroups {
                s.configuration.dtcs = []
            } else {
                guard s.configuration.dtcs.contains(where: { $0.code == group }) else { return .negative(.requestOutOfRange) }
                s.configuration.dtcs.removeAll { $0.code == group }
            }
            return ok([])
        case .readMemoryByAddress:
            guard let (memory, rest) = MemoryAddress.decode(r[1...]), rest.isEmpty else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            guard let start = s.range(memory) else { return .negative(.requestOutOfRange) }
            return ok(Array(s.memory[start..<start + Int(memory.size)]))
        case .writeMemoryByAddress:
            guard let (memory, rest) = MemoryAddress.decode(r[1...]), rest.count == Int(memory.size), !rest.isEmpty else {
                return .negative(.incorrectMessageLengthOrInvalidFormat)
            }
            guard let start = s.range(memory) else { return .negative(.requestOutOfRange) }
            if let level = s.configuration.transferSecurityLevel, !s.unlocked.contains(level) { return .negative(.securityAccessDenied) }
            s.memory.replaceSubrange(start..<start + rest.count, with: rest)
            return ok(Array(r[1..<(r.count - rest.count)]))
        case .inputOutputControlByIdentifier:
            guard r.count >= 4 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let did = UInt16(r[1]) << 8 | UInt16(r[2])
            guard let value = s.configuration.dids[did], value.ioControllable else { return .negative(.requestOutOfRange) }
            switch r[3] {
            case 0x00, 0x01, 0x02: break
            case 0x03:
                guard r.count >= 4 + value.data.count else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
                s.configuration.dids[did]!.data = Array(r[4..<4 + value.data.count])
            default: return .negative(.requestOutOfRange)
            }
            // controlStatusRecord: the inputOutputControlParameter echoed, then the state.
            return ok([r[1], r[2], r[3]] + s.configuration.dids[did]!.data)
        case .requestDownload, .requestUpload:
            guard r.count >= 3, let (memory, rest) = MemoryAddress.decode(r[2...]), rest.isEmpty else {
                return .negative(.incorrectMessageLengthOrInvalidFormat)
            }
            guard s.transfer == nil else { return .negative(.conditionsNotCorrect) }
            guard r[1] == 0x00, memory.size > 0, let start = s.range(memory) else { return .negative(.requestOutOfRange) }
            if let level = s.configuration.transferSecurityLevel, !s.unlocked.contains(level) { return .negative(.securityAccessDenied) }
            s.transfer = Transfer(download: service == .requestDownload, address: UInt64(start), size: Int(memory.size))
            return ok([0x20] + bigEndian(UInt64(s.configuration.maxNumberOfBlockLength), size: 2))
        case .transferData:
            guard r.count >= 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            guard var t = s.transfer else { return .negative(.requestSequenceError) }
            let counter = r[1]
            if counter != t.counter {
                // A repeated block (its response was lost) is acknowledged again without writing it twice.
                if counter == t.lastCounter, t.download { return ok([counter]) }
                return .negative(.wrongBlockSequenceCounter)
            }
            let maxData = s.configuration.maxNumberOfBlockLength - 2
            if t.download {
                let data = r[2...]
                guard !data.isEmpty, data.count <= maxData else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
                guard t.done + data.count <= t.size else { return .negative(.transferDataSuspended) }
                let at = Int(t.address) + t.done
                s.memory.replaceSubrange(at..<at + data.count, with: data)
                t.done += data.count
                t.lastCounter = counter
                t.counter &+= 1
                s.transfer = t
                return ok([counter])
            } else {
                guard r.count == 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
                guard t.done < t.size else { return .negative(.requestSequenceError) }
                let count = min(maxData, t.size - t.done)
                let at = Int(t.address) + t.done
                t.done += count
                t.lastCounter = counter
                t.counter &+= 1
                s.transfer = t
                return ok([counter] + s.memory[at..<at + count])
            }
        case .requestTransferExit:
            guard let t = s.transfer, t.done == t.size else { return .negative(.requestSequenceError) }
            s.transfer = nil
            if t.download { s.completedDownloads.append((t.address + s.configuration.memoryBase, t.size)) }
            return ok([])
        default:
            return .negative(.serviceNotSupported)
        }
    }

    static func subFunctionSupported(_ service: UDSService, _ sub: UInt8, _ s: State) -> Bool {
        switch service {
        case .diagnosticSessionControl: s.configuration.sessions[sub] != nil
        case .ecuReset: (0x01...0x03).contains(sub)
        case .testerPresent: sub == 0x00
        case .communicationControl: (0x00...0x03).contains(sub)
        case .controlDTCSetting: sub == 0x01 || sub == 0x02
        case .securityAccess: s.configuration.security[sub & 1 == 1 ? sub : sub &- 1] != nil && sub != 0
        case .routineControl: (0x01...0x03).contains(sub)
        case .readDTCInformation: [0x01, 0x02, 0x04, 0x06, 0x0A].contains(sub)
        default: true
        }
    }

    static func securityAccess(_ r: [UInt8], _ sub: UInt8, _ s: inout State) -> Answer {
        let ok = { (bytes: [UInt8]) -> Answer in .positive([0x67, sub] + bytes) }
        if sub & 1 == 1 {
            guard r.count == 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let level = s.configuration.security[sub]!
            if s.unlocked.contains(sub) { return ok([UInt8](repeating: 0, count: level.seed.count)) }
            s.seedSent = sub
            return ok(level.seed)
        }
        let seedLevel = sub &- 1
        guard r.count > 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
        guard s.seedSent == seedLevel else { return .negative(.requestSequenceError) }
        let level = s.configuration.security[seedLevel]!
        s.seedSent = nil
        guard Array(r[2...]) == level.key(level.seed) else {
            s.failedAttempts += 1
            if s.failedAttempts >= s.configuration.securityAttempts {
                s.failedAttempts = 0
                return .negative(.exceedNumberOfAttempts)
            }
            return .negative(.invalidKey)
        }
        s.failedAttempts = 0
        s.unlocked.insert(seedLevel)
        return ok([])
    }

    static func readDTCInformation(_ r: [UInt8], _ sub: UInt8, _ s: State) -> Answer {
        let c = s.configuration
        let head: [UInt8] = [0x59, sub]
        switch sub {
        case 0x01, 0x02:
            guard r.count == 3 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let matching = c.dtcs.filter { $0.status & c.dtcAvailabilityMask & r[2] != 0 }
            if sub == 0x01 {
                return .positive(head + [c.dtcAvailabilityMask, 0x01] + bigEndian(UInt64(matching.count), size: 2))
            }
            return .positive(head + [c.dtcAvailabilityMask] + matching.flatMap { bigEndian(UInt64($0.code), size: 3) + [$0.status & c.dtcAvailabilityMask] })
        case 0x04, 0x06:
            guard r.count == 6 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            let code = UInt32(r[2]) << 16 | UInt32(r[3]) << 8 | UInt32(r[4])
            guard let dtc = c.dtcs.first(where: { $0.code == code }) else { return .negative(.requestOutOfRange) }
            let records = sub == 0x04 ? dtc.snapshots : dtc.extendedData
            let numbers = r[5] == 0xFF ? records.keys.sorted() : [r[5]]
            guard r[5] == 0xFF || records[r[5]] != nil else { return .negative(.requestOutOfRange) }
            var response = head + bigEndian(UInt64(code), size: 3) + [dtc.status & c.dtcAvailabilityMask]
            for n in numbers { response += [n] + records[n]! }
            return .positive(response)
        default:
            guard r.count == 2 else { return .negative(.incorrectMessageLengthOrInvalidFormat) }
            return .positive(head + [c.dtcAvailabilityMask] + c.dtcs.flatMap { bigEndian(UInt64($0.code), size: 3) + [$0.status & c.dtcAvailabilityMask] })
        }
    }
}

extension ECUSimulator.State {
    /// The memory index of a range inside the simulated memory, nil when outside.
    func range(_ m: MemoryAddress) -> Int? {
        guard m.address >= configuration.memoryBase else { return nil }
        let start = m.address - configuration.memoryBase
        guard start <= UInt64(memory.count), m.size <= UInt64(memory.count) - start else { return nil }
        return Int(start)
    }
}

