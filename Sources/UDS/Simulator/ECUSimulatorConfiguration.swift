/// What an ``ECUSimulator`` offers: DIDs, sessions, security levels, routines, DTCs, memory, and injected
/// misbehaviour.
public struct ECUSimulatorConfiguration: Sendable {
    /// A data identifier's value and what may be done with it.
    public struct DataIdentifier: Sendable {
        public var data: [UInt8]
        /// Whether WriteDataByIdentifier may change it (the length stays).
        public var writable: Bool
        /// The security level (odd, as requested) that must be unlocked to write it; nil: none.
        public var writeSecurityLevel: UInt8?
        /// Whether InputOutputControlByIdentifier may control it.
        public var ioControllable: Bool
        public init(_ data: [UInt8], writable: Bool = false, writeSecurityLevel: UInt8? = nil, ioControllable: Bool = false) {
            self.data = data
            self.writable = writable
            self.writeSecurityLevel = writeSecurityLevel
            self.ioControllable = ioControllable
        }
    }

    /// A session's timing, reported in the DiagnosticSessionControl response.
    public struct SessionTiming: Sendable {
        public var p2: Duration
        public var p2Star: Duration
        public init(p2: Duration = .milliseconds(50), p2Star: Duration = .seconds(5)) {
            self.p2 = p2
            self.p2Star = p2Star
        }
    }

    /// A security level: its seed and the key it expects.
    public struct SecurityLevel: Sendable {
        /// The seed sent on requestSeed.
        public var seed: [UInt8]
        /// The key the tester must send for `seed`.
        public var key: @Sendable ([UInt8]) -> [UInt8]
        public init(seed: [UInt8], key: @escaping @Sendable ([UInt8]) -> [UInt8]) {
            self.seed = seed
            self.key = key
        }
        /// The key is the seed XOR `mask` (repeated over the seed).
        public static func xor(seed: [UInt8], mask: [UInt8]) -> SecurityLevel {
            SecurityLevel(seed: seed) { seed in
                mask.isEmpty ? seed : seed.enumerated().map { $0.element ^ mask[$0.offset % mask.count] }
            }
        }
    }

    /// A routine: what start and requestResults answer.
    public struct Routine: Sendable {
        public var startStatus: [UInt8]
        public var results: [UInt8]
        public var securityLevel: UInt8?
        public init(startStatus: [UInt8] = [], results: [UInt8] = [], securityLevel: UInt8? = nil) {
            self.startStatus = startStatus
            self.results = results
            self.securityLevel = securityLevel
        }
    }

    /// A stored DTC with its snapshot and extended data records.
    public struct DTC: Sendable {
        public var code: UInt32
        public var status: UInt8
        /// Snapshot records by number: each the bytes after the record number (number of identifiers, then
        /// DID and data for each).
        public var snapshots: [UInt8: [UInt8]]
        /// Extended data records by number.
        public var extendedData: [UInt8: [UInt8]]
        public init(code: UInt32, status: UInt8, snapshots: [UInt8: [UInt8]] = [:], extendedData: [UInt8: [UInt8]] = [:]) {
            self.code = code
            self.status = status
            self.snapshots = snapshots
            self.extendedData = extendedData
        }
    }

    /// Misbehaviour for requests that start with given bytes.
    public struct Injection: Sendable {
        public enum Behaviour: Sendable {
            /// responsePending (0x78) `count` times, `interval` apart, then the real answer.
            case pending(count: Int, interval: Duration)
            /// busyRepeatRequest (0x21) instead of the answer.
            case busy
            /// This negative response instead of the answer.
            case negative(NegativeResponseCode)
            /// No answer at all.
            case silent
        }
        /// The request's first bytes (SID first).
        public var match: [UInt8]
        public var behaviour: Behaviour
        /// How many matching requests get it; nil: all.
        public var times: Int?
        public init(match: [UInt8], behaviour: Behaviour, times: Int? = nil) {
            self.match = match
            self.behaviour = behaviour
            self.times = times
        }
    }

    public var dids: [UInt16: DataIdentifier] = [:]
    /// Sessions the ECU accepts, with their timing.
    public var sessions: [UInt8: SessionTiming] = [0x01: SessionTiming(), 0x02: SessionTiming(), 0x03: SessionTiming()]
    /// Security levels by their requestSeed sub-function (odd).
    public var security: [UInt8: SecurityLevel] = [:]
    public var routines: [UInt16: Routine] = [:]
    public var dtcs: [DTC] = []
    public var dtcAvailabilityMask: UInt8 = 0xFF
    /// Memory for Read/WriteMemoryByAddress, downloads and uploads: `memoryBase` up to `memoryBase + count`.
    public var memoryBase: UInt64 = 0
    public var memorySize: Int = 0
    /// maxNumberOfBlockLength in RequestDownload/RequestUpload responses (SID and counter included).
    public var maxNumberOfBlockLength: Int = 0x402
    /// The security level needed for downloads, uploads and memory writes; nil: none.
    public var transferSecurityLevel: UInt8?
    /// Services allowed only in these sessions (others answer serviceNotSupportedInActiveSession).
    public var serviceSessions: [UInt8: Set<UInt8>] = [
        0x27: [0x02, 0x03], 0x28: [0x02, 0x03], 0x2F: [0x02, 0x03], 0x31: [0x02, 0x03], 0x34: [0x02, 0x03],
        0x35: [0x02, 0x03], 0x36: [0x02, 0x03], 0x37: [0x02, 0x03], 0x3D: [0x02, 0x03], 0x85: [0x02, 0x03],
    ]
    /// Failed sendKey attempts before exceedNumberOfAttempts (0x36).
    public var securityAttempts: Int = 3
    public var injections: [Injection] = []
    /// The longest response (ReadDataByIdentifier beyond it answers responseTooLong, 0x14): 4095, the classic
    /// ISO-TP limit, by default.
    public var maximumResponseLength: Int = 4095

    public init() {}
}
