import CANSocket

/// Why a frame's payload could not be decoded as its message.
public enum SignalDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer data bytes than the message's length.
    case wrongLength(actual: Int, expected: Int)
    /// A multiplexer's value selects no signals and is not one of its value names.
    case unknownMultiplexerValue(multiplexer: String, value: Int128, expected: [Int128])

    /// The text cantools prints for the same problem (`cantools decode` prints it after ` :: `).
    public var description: String {
        switch self {
        case .wrongLength(let actual, let expected): "Wrong data size: \(actual) instead of \(expected) bytes"
        case .unknownMultiplexerValue(_, let value, let expected):
            "expected multiplexer id \(Self.formatOr(expected.map { String($0) })), but got \(value)"
        }
    }

    /// "1", "1 or 2", "1, 2 or 3" (cantools' `format_or`).
    static func formatOr(_ items: [String]) -> String {
        items.count <= 1 ? (items.first ?? "") : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }
}

/// Why signal values could not be encoded into a payload.
public enum SignalEncodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The active multiplexer branch needs this signal and no value was given.
    case missingSignal(String)
    /// A value name the signal does not have.
    case unknownChoice(signal: String, name: String)
    /// The physical value lies outside the signal's `[min|max]`.
    case outOfRange(signal: String, value: Double, minimum: Double?, maximum: Double?)
    /// The raw value does not fit the signal's bits (or is not a finite number).
    case rawDoesNotFit(signal: String, raw: String, bits: Int, signed: Bool)
    /// A multiplexer value that selects no branch.
    case unknownMultiplexerValue(multiplexer: String, value: Int128, expected: [Int128])

    public var description: String {
        switch self {
        case .missingSignal(let name): "no value for signal \(name)"
        case .unknownChoice(let signal, let name): "signal \(signal) has no value named \"\(name)\""
        case .outOfRange(let signal, let value, let minimum, let maximum):
            "signal \(signal): \(PythonFloat.repr(value)) is outside [\(minimum.map(PythonFloat.repr) ?? "")|\(maximum.map(PythonFloat.repr) ?? "")]"
        case .rawDoesNotFit(let signal, let raw, let bits, let signed):
            "signal \(signal): raw value \(raw) does not fit \(bits) \(signed ? "signed" : "unsigned") bits"
        case .unknownMultiplexerValue(let multiplexer, let value, let expected):
            "multiplexer \(multiplexer): value \(value) selects nothing (expected \(SignalDecodeError.formatOr(expected.map { String($0) })))"
        }
    }
}

extension MessageDefinition {
    // MARK: Decoding

    /// Decodes a frame's payload into `decoded` (reused storage: no allocation once it has grown).
    /// Data beyond the message's length is ignored, as cantools' `decode_message` does by default.
    /// - Throws: ``SignalDecodeError`` for a short payload or a multiplexer value that selects nothing.
    @inline(__always)
    public func decode(_ frame: CANFrame, into decoded: inout DecodedSignals) throws(SignalDecodeError) {
        var result: SignalDecodeError?
        frame.withUnsafeData { data in
            do throws(SignalDecodeError) { try decode(data: data, into: &decoded) } catch { result = error }
        }
        if let result { throw result }
    }

    /// Decodes payload bytes into `decoded`.
    /// - Throws: ``SignalDecodeError``.
    public func decode(data: UnsafeRawBufferPointer, into decoded: inout DecodedSignals) throws(SignalDecodeError) {
        guard data.count >= length else { throw .wrongLength(actual: data.count, expected: length) }
        guard signals.count > 0 else { decoded.reset(count: 0); return }  // (withStorage needs storage)
        // A zero-padded copy: every signal's bytes lie within 64 (checked when the file was read), and an
        // 8-byte load at any of them stays inside the 72.
        var padded: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        var failure: SignalDecodeError?
        withUnsafeMutableBytes(of: &padded) { buffer in
            if data.count > 0 {
                buffer.baseAddress!.copyMemory(from: data.baseAddress!, byteCount: min(data.count, 64))
            }
            let bytes = UnsafeRawPointer(buffer.baseAddress!)
            decoded.withStorage(count: signals.count) { storage in
                if !layout.isMultiplexed {
                    // No multiplexer: every signal, in order.
                    layout.signals.withUnsafeBufferPointer { signals in
                        var i = 0
                        while i < signals.count { decodeSignal(i, signals.baseAddress! + i, bytes, into: storage); i += 1 }
                    }
                } else {
                    do throws(SignalDecodeError) { try decodeNode(0, bytes, into: storage) } catch { failure = error }
                }
            }
        }
        if let failure { throw failure }
    }

    private func decodeNode(_ index: Int, _ data: UnsafeRawPointer, into decoded: DecodedSignals.Storage) throws(SignalDecodeError) {
        let node = nodes[index]
        // Index loops: an unspecialized IndexingIterator.next() allocates per element in debug builds.
        var k = 0
        layout.signals.withUnsafeBufferPointer { signals in
            while k < node.signals.count { let i = node.signals[k]; decodeSignal(i, signals.baseAddress! + i, data, into: decoded); k += 1 }
        }
        k = 0
        while k < node.multiplexers.count {
            let (mux, children) = node.multiplexers[k]
            k += 1
            let value = multiplexerNumber(mux, decoded)
            guard let value, let child = children[value] else {
                throw .unknownMultiplexerValue(multiplexer: signals[mux].name, value: value ?? 0, expected: children.keys.sorted())
            }
            try decodeNode(child, data, into: decoded)
        }
    }

    @inline(__always)
    private func decodeSignal(_ i: Int, _ signal: UnsafePointer<MessageLayout.Signal>, _ data: UnsafeRawPointer,
                              into decoded: DecodedSignals.Storage) {
        // Fields read in place (the layout is large; a copy per signal costs more than the decoding).
        let bits = MessageLayout.extractBits(signal, data)
        let s = signal.pointee
        switch s.kind {
        case .integerIdentity, .integerScaled, .integerReal:
            let raw: Int128
            let rawDouble: Double
            if s.isSigned {
                let up = UInt64(64 - s.length)
                let v = Int64(bitPattern: bits << up) >> Int64(up)  // sign-extended
                raw = Int128(truncatingIfNeeded: v)
                rawDouble = Double(v)
            } else {
                raw = Int128(truncatingIfNeeded: bits)
                rawDouble = Double(bits)
            }
            let choice = s.choiceCount == 0 ? -1 : layout.choice(s, raw)
            switch s.kind {
            case .integerIdentity:
                decoded.set(i, bits: bits, raw: raw, value: rawDouble, integer: raw, choice: choice)
            case .integerScaled:
                let (p, overflow1) = raw.multipliedReportingOverflow(by: s.integerFactor)
                let (sum, overflow2) = p.addingReportingOverflow(s.integerOffset)
                let exact = overflow1 || overflow2 ? 0 : sum
                let value = Int64(exactly: exact).map { Double($0) } ?? Double(exact)
                decoded.set(i, bits: bits, raw: raw, value: value, integer: exact, choice: choice)
            default:
                decoded.set(i, bits: bits, raw: raw, value: rawDouble * s.factor + s.offset, integer: 0, choice: choice)
            }
        case .float32, .float64:
            let raw = s.kind == .float32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : Double(bitPattern: bits)
            let value = s.factor == 1 && s.offset == 0 ? raw : raw * s.factor + s.offset
            let truncated = raw.isFinite && abs(raw) < 1e37 ? Int128(raw.rounded(.towardZero)) : 0
            let choice = raw.isFinite && s.choiceCount > 0 ? layout.choice(s, truncated) : -1
            decoded.set(i, bits: bits, raw: truncated, value: value, integer: 0, choice: choice)
        }
    }

    /// cantools' `_get_mux_number`: the raw value when it has a name, else the physical value as an integer.
    @inline(__always)
    private func multiplexerNumber(_ i: Int, _ decoded: DecodedSignals.Storage) -> Int128? {
        if decoded.choiceIndices[i] >= 0 { return decoded.rawValues[i] }
        if layout.signals[i].hasIntegerValues { return decoded.integerValues[i] }
        let v = decoded.values[i]
        return v.isFinite && abs(v) < 1e37 ? Int128(v.rounded(.towardZero)) : nil
    }

    // MARK: Encoding

    /// Encodes physical values (or value names) into a payload of ``length`` bytes, unused bits zero.
    /// Only the signals of the branches the multiplexers' values select are needed; each is checked against
    /// its `[min|max]` (with cantools' tolerance of 1e-6 × |factor|) unless its raw value has a name.
    /// - Throws: ``SignalEncodeError``.
    public func encode(_ values: [String: SignalValue]) throws(SignalEncodeError) -> [UInt8] {
        try encode(values, labelRaws: [:])
    }

    /// `labelRaws`: the raw value behind a decoded name (cantools' NamedSignalValue keeps it; a name alone
    /// maps to the last raw value with that name).
    func encode(_ values: [String: SignalValue], labelRaws: [String: Int128]) throws(SignalEncodeError) -> [UInt8] {
        var raws = [Int128?](repeating: nil, count: signals.count)
        var floats = [Double?](repeating: nil, count: signals.count)
        var given = [SignalValue?](repeating: nil, count: signals.count)
        for (i, s) in signals.enumerated() {
            guard let value = values[s.name] else { continue }
            given[i] = value
            try rawValue(s, value, integer: &raws[i], float: &floats[i])
            if let raw = labelRaws[s.name] {
                if s.valueType == .integer { raws[i] = raw } else { floats[i] = Double(raw) }
            }
        }
        return try pack(raws: raws, floats: floats, given: given)
    }

    /// Encodes what ``decode(_:into:)`` produced, raw values as decoded (the round trip).
    /// - Throws: ``SignalEncodeError`` where cantools' `encode_message` of the decoded values would raise.
    public func encode(_ decoded: DecodedSignals) throws(SignalEncodeError) -> [UInt8] {
        var labelRaws: [String: Int128] = [:]
        for i in 0..<decoded.count where decoded.isPresent[i] && decoded.choiceIndices[i] >= 0 {
            labelRaws[signals[i].name] = decoded.rawValues[i]
        }
        return try encode(decoded.dictionary(self), labelRaws: labelRaws)
    }

    private func rawValue(_ s: SignalDefinition, _ value: SignalValue, integer: inout Int128?, float: inout Double?) throws(SignalEncodeError) {
        let identity = s.factor == 1 && s.offset == 0
        var physical: Double
        switch value {
        case .label(let name):
            guard let raw = s.rawValueLast(forChoice: name) else { throw .unknownChoice(signal: s.name, name: name) }
            if s.valueType == .integer { integer = raw } else { float = Double(raw) }
            return
        case .integer(let v):
            physical = Double(v)
            if s.valueType == .integer && s.hasIntegerScaling {
                let f = Int128(exactly: s.factor) ?? 1, o = Int128(exactly: s.offset) ?? 0
                if identity { integer = v }
                else if f != 0, (v - o) % f == 0 { integer = (v - o) / f }
                else { integer = try rounded(Double(v - o) / s.factor, s) }
            } else if s.valueType == .integer {
                integer = try rounded((physical - s.offset) / s.factor, s)
            } else {
                float = identity ? physical : (physical - s.offset) / s.factor
            }
        case .real(let v):
            physical = v
            if s.valueType == .integer {
                if identity { integer = try rounded(v, s) }
                else if s.hasIntegerScaling {
                    let r = v - s.offset
                    let q = (r / s.factor).rounded(.down)
                    integer = try rounded(r - q * s.factor == 0 ? q : r / s.factor, s)
                } else { integer = try rounded((v - s.offset) / s.factor, s) }
            } else {
                float = identity ? v : (v - s.offset) / s.factor
            }
        }
        // The range check is skipped for a raw value that has a name.
        if let raw = integer, s.choiceIndex[raw] != nil { return }
        let tolerance = abs(s.factor) * 1e-6
        if let minimum = s.minimum, physical < minimum - tolerance {
            throw .outOfRange(signal: s.name, value: physical, minimum: s.minimum, maximum: s.maximum)
        }
        if let maximum = s.maximum, physical > maximum + tolerance {
            throw .outOfRange(signal: s.name, value: physical, minimum: s.minimum, maximum: s.maximum)
        }
    }

    /// Python's `round()`: to nearest, ties to even.
    private func rounded(_ v: Double, _ s: SignalDefinition) throws(SignalEncodeError) -> Int128 {
        guard v.isFinite, abs(v) < 1e38 else { throw .rawDoesNotFit(signal: s.name, raw: PythonFloat.repr(v), bits: s.length, signed: s.isSigned) }
        return Int128(v.rounded(.toNearestOrEven))
    }

    private func pack(raws: [Int128?], floats: [Double?], given: [SignalValue?]) throws(SignalEncodeError) -> [UInt8] {
        var data = [UInt8](repeating: 0, count: 64)
        var failure: SignalEncodeError?
        func packNode(_ index: Int, _ buffer: UnsafeMutableRawBufferPointer) throws(SignalEncodeError) {
            let node = nodes[index]
            for i in node.signals {
                let s = signals[i]
                let bits: UInt64
                switch s.valueType {
                case .integer:
                    guard let raw = raws[i] else { throw .missingSignal(s.name) }
                    let low: Int128 = s.isSigned ? -(1 << (s.length - 1)) : 0
                    let high: Int128 = s.isSigned ? (1 << (s.length - 1)) - 1 : (1 << s.length) - 1
                    guard raw >= low && raw <= high else {
                        throw .rawDoesNotFit(signal: s.name, raw: String(raw), bits: s.length, signed: s.isSigned)
                    }
                    bits = UInt64(truncatingIfNeeded: raw)
                case .float32:
                    guard let f = floats[i] ?? raws[i].map(Double.init) else { throw .missingSignal(s.name) }
                    bits = UInt64(Float(f).bitPattern)
                case .float64:
                    guard let f = floats[i] ?? raws[i].map(Double.init) else { throw .missingSignal(s.name) }
                    bits = f.bitPattern
                }
                s.insertBits(bits, into: buffer)
            }
            for (mux, children) in node.multiplexers {
                let s = signals[mux]
                // cantools' _get_mux_number on the given value: a name's raw value, else int(value).
                let number: Int128?
                switch given[mux] {
                case .label(let name)?: number = s.rawValueLast(forChoice: name)
                case .integer(let v)?: number = v
                case .real(let d)?: number = d.isFinite && abs(d) < 1e37 ? Int128(d.rounded(.towardZero)) : nil
                case nil: throw .missingSignal(s.name)
                }
                guard let number, let child = children[number] else {
                    throw .unknownMultiplexerValue(multiplexer: s.name, value: number ?? 0, expected: children.keys.sorted())
                }
                try packNode(child, buffer)
            }
        }
        data.withUnsafeMutableBytes { buffer in
            do throws(SignalEncodeError) { try packNode(0, buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return Array(data[..<length])
    }
}

extension SignalDefinition {
    /// The raw value of a value name; with duplicate names the last one's (cantools' inverse mapping).
    func rawValueLast(forChoice name: String) -> Int128? {
        choiceNames.lastIndex(of: name).map { choiceValues[$0] }
    }
}
