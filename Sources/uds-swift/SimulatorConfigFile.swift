import SocketBase
import UDS

/// `serve`'s CONFIG.json, read into an ``ECUSimulatorConfiguration``. Keys and byte values are hex strings:
///
/// ```json
/// {"dids": {"F190": {"ascii": "WVWZZZ1JZXW000001"}, "0100": {"data": "0102", "writable": true, "security": "01", "io": true}},
///  "sessions": {"01": {"p2_ms": 50, "p2_star_ms": 5000}, "03": {}},
///  "security": {"01": {"seed": "11223344", "xor": "A5A5A5A5"}},
///  "routines": {"FF00": {"start": "00", "results": "0102"}},
///  "dtcs": [{"code": "123456", "status": "2F", "snapshots": {"01": "01F19011"}, "extended": {"01": "05"}}],
///  "memory": {"base": "0", "size": 131072, "max_block_length": 1026, "security": "01"},
///  "service_sessions": {"31": ["02", "03"]},
///  "inject": [{"request": "22F190", "pending": 3, "interval_ms": 1000, "times": 1},
///             {"request": "2E", "nrc": "22"}, {"request": "31", "busy": true, "times": 2}, {"request": "11", "silent": true}]}
/// ```
enum SimulatorConfigFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ path: String) throws -> ECUSimulatorConfiguration {
        let data = try readFile(path)
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch { throw Failure(description: "\(path): not JSON: \(error)") }
        do { return try parse(root) } catch let f as Failure { throw Failure(description: "\(path): \(f.description)") }
    }

    static func parse(_ root: JSONValue) throws -> ECUSimulatorConfiguration {
        let top = root
        let known: Set<String> = ["dids", "sessions", "security", "routines", "dtcs", "availability_mask", "memory", "service_sessions", "inject", "max_response_length"]
        if let unknown = try object(root, "top level").map(\.0).first(where: { !known.contains($0) }) { throw Failure(description: "unknown key '\(unknown)'") }
        var c = ECUSimulatorConfiguration()
        for (key, value) in try object(top["dids"] ?? .object([]), "dids") {
            let path = "dids.\(key)"
            let did = UInt16(try hexNumber(key, path, max: 0xFFFF))
            let o = value
            _ = try object(value, path)
            let bytes: [UInt8]
            if case .string(let text)? = o["ascii"] { bytes = Array(text.utf8) }
            else { bytes = try hex(o["data"], "\(path).data") }
            c.dids[did] = .init(bytes, writable: o["writable"] == .bool(true),
                                writeSecurityLevel: try o["security"].map { UInt8(try hexNumber($0, "\(path).security", max: 0x7F)) },
                                ioControllable: o["io"] == .bool(true))
        }
        if let sessions = top["sessions"] {
            c.sessions = [:]
            for (key, value) in try object(sessions, "sessions") {
                let path = "sessions.\(key)"
                let o = value
            _ = try object(value, path)
                c.sessions[UInt8(try hexNumber(key, path, max: 0x7F))] = .init(
                    p2: .milliseconds(try int(o["p2_ms"] ?? .number(50), "\(path).p2_ms", 0...65535)),
                    p2Star: .milliseconds(try int(o["p2_star_ms"] ?? .number(5000), "\(path).p2_star_ms", 0...655350)))
            }
        }
        for (key, value) in try object(top["security"] ?? .object([]), "security") {
            let path = "security.\(key)"
            let level = UInt8(try hexNumber(key, path, max: 0x7D))
            guard level & 1 == 1 else { throw Failure(description: "\(path): a requestSeed level is odd") }
            let o = value
            _ = try object(value, path)
            c.security[level] = .xor(seed: try hex(o["seed"], "\(path).seed"), mask: try hex(o["xor"] ?? .string("00"), "\(path).xor"))
        }
        for (key, value) in try object(top["routines"] ?? .object([]), "routines") {
            let path = "routines.\(key)"
            let o = value
            _ = try object(value, path)
            c.routines[UInt16(try hexNumber(key, path, max: 0xFFFF))] = .init(
                startStatus: try o["start"].map { try hex($0, "\(path).start", allowEmpty: true) } ?? [],
                results: try o["results"].map { try hex($0, "\(path).results", allowEmpty: true) } ?? [],
                securityLevel: try o["security"].map { UInt8(try hexNumber($0, "\(path).security", max: 0x7F)) })
        }
        guard case .array(let dtcs) = top["dtcs"] ?? .array([]) else { throw Failure(description: "dtcs: expected a list") }
        for (i, value) in dtcs.enumerated() {
            let path = "dtcs[\(i)]"
            let o = value
            _ = try object(value, path)
            func records(_ key: String) throws -> [UInt8: [UInt8]] {
                var result: [UInt8: [UInt8]] = [:]
                for (k, v) in try object(o[key] ?? .object([]), "\(path).\(key)") {
                    result[UInt8(try hexNumber(k, "\(path).\(key).\(k)", max: 0xFE))] = try hex(v, "\(path).\(key).\(k)")
                }
                return result
            }
            c.dtcs.append(.init(code: UInt32(try hexNumber(o["code"] ?? .null, "\(path).code", max: 0xFF_FFFF)),
                                status: UInt8(try hexNumber(o["status"] ?? .string("09"), "\(path).status", max: 0xFF)),
                                snapshots: try records("snapshots"), extendedData: try records("extended")))
        }
        if let mask = top["availability_mask"] { c.dtcAvailabilityMask = UInt8(try hexNumber(mask, "availability_mask", max: 0xFF)) }
        if let memory = top["memory"] {
            let o = memory
            _ = try object(memory, "memory")
            c.memoryBase = try hexNumber(o["base"] ?? .string("0"), "memory.base", max: UInt64(UInt32.max))
            c.memorySize = try int(o["size"] ?? .number(65536), "memory.size", 0...(16 << 20))
            c.maxNumberOfBlockLength = try int(o["max_block_length"] ?? .number(0x402), "memory.max_block_length", 3...0xFFFF)
            c.transferSecurityLevel = try o["security"].map { UInt8(try hexNumber($0, "memory.security", max: 0x7F)) }
        }
        if let length = top["max_response_length"] { c.maximumResponseLength = try int(length, "max_response_length", 1...66000) }
        for (key, value) in try object(top["service_sessions"] ?? .object([]), "service_sessions") {
            let path = "service_sessions.\(key)"
            guard case .array(let list) = value else { throw Failure(description: "\(path): expected a list of sessions") }
            let sid = UInt8(try hexNumber(key, path, max: 0xFF))
            c.serviceSessions[sid] = list.isEmpty ? nil : Set(try list.map { UInt8(try hexNumber($0, path, max: 0x7F)) })
        }
        guard case .array(let injections) = top["inject"] ?? .array([]) else { throw Failure(description: "inject: expected a list") }
        for (i, value) in injections.enumerated() {
            let path = "inject[\(i)]"
            let o = value
            _ = try object(value, path)
            let match = try hex(o["request"], "\(path).request")
            let behaviour: ECUSimulatorConfiguration.Injection.Behaviour
            if let count = o["pending"] {
                behaviour = .pending(count: try int(count, "\(path).pending", 0...10000),
                                     interval: .milliseconds(try int(o["interval_ms"] ?? .number(1000), "\(path).interval_ms", 0...600_000)))
            } else if let nrc = o["nrc"] {
                behaviour = .negative(NegativeResponseCode(rawValue: UInt8(try hexNumber(nrc, "\(path).nrc", max: 0xFF))))
            } else if o["busy"] == .bool(true) {
                behaviour = .busy
            } else if o["silent"] == .bool(true) {
                behaviour = .silent
            } else {
                throw Failure(description: "\(path): needs one of pending, nrc, busy: true, silent: true")
            }
            c.injections.append(.init(match: match, behaviour: behaviour, times: try o["times"].map { try int($0, "\(path).times", 0...Int(Int32.max)) }))
        }
        return c
    }

    static func object(_ value: JSONValue, _ path: String) throws -> [(String, JSONValue)] {
        guard case .object(let members) = value else { throw Failure(description: "\(path): expected an object") }
        return members
    }

    static func hex(_ value: JSONValue?, _ path: String, allowEmpty: Bool = false) throws -> [UInt8] {
        guard case .string(let text)? = value else { throw Failure(description: "\(path): expected a hex string") }
        guard let bytes = Hex.parse(text), allowEmpty || !bytes.isEmpty else {
            throw Failure(description: "\(path): '\(text.prefix(40))' is not hex bytes")
        }
        return bytes
    }

    static func hexNumber(_ value: JSONValue, _ path: String, max: UInt64) throws -> UInt64 {
        if case .number(let n) = value, n >= 0, n == n.rounded(), n <= Double(max) { return UInt64(n) }
        guard case .string(var text) = value else { throw Failure(description: "\(path): expected a hex string") }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { text.removeFirst(2) }
        guard !text.isEmpty, let n = UInt64(text, radix: 16), n <= max else {
            throw Failure(description: "\(path): '\(text)' is not a hex number up to \(String(max, radix: 16, uppercase: true))")
        }
        return n
    }

    static func hexNumber(_ text: String, _ path: String, max: UInt64) throws -> UInt64 {
        try hexNumber(JSONValue.string(text), path, max: max)
    }

    static func int(_ value: JSONValue, _ path: String, _ range: ClosedRange<Int>) throws -> Int {
        guard case .number(let n) = value, n == n.rounded(), n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            throw Failure(description: "\(path): expected a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(n)
    }

    /// The whole file.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try FileDescriptor.open(path, .readOnly).closeAfter { try $0.readAll() }
        } catch {
            throw Failure(description: "\(path): cannot be read (\(error))")
        }
    }
}
