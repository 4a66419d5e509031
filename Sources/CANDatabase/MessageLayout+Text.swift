extension MessageLayout {
    /// Decodes a payload and writes its text in one pass over the signals, for a message without multiplexers:
    /// what ``MessageDefinition/decode(data:into:)`` then ``DecodedSignals/appendText(_:singleLine:to:)`` give,
    /// without storing the values in between (candecode-swift's hot path).
    /// - Parameters:
    ///   - data: The payload, zero-padded to at least 72 bytes (see ``extractBits(_:_:)``).
    ///   - start: Room for ``textBound`` + 8 bytes (names are copied eight bytes at a time).
    /// - Returns: The number of bytes written.
    func writeDecodedText(_ data: UnsafeRawPointer, singleLine: Bool, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var out = ByteCursor(start)
        let text = UnsafePointer(textTable)
        if singleLine { out.put(UInt8(ascii: " ")) } else { out.put(0x0A) }
        Self.copy(text + name.lowerBound, name.count, to: &out)
        if singleLine { out.put(UInt8(ascii: "(")) } else { out.put(UInt8(ascii: "("), 0x0A) }
        let count = signals.count
        var i = 0
        while i < count {
            let signal = UnsafePointer(signalTable + i)
            let bits = Self.extractBits(signal, data)
            // ",\n    Name: " or ", Name: ", the first one without its separator.
            let prefix = singleLine ? signal.pointee.inlinePrefix : signal.pointee.linePrefix
            let skip = i == 0 ? 2 : 0
            Self.copy(text + prefix.lowerBound + skip, prefix.count - skip, to: &out)
            i += 1
            let kind = signal.pointee.kind
            switch kind {
            case .integerIdentity, .integerScaled, .integerReal:
                let raw: Int128
                let rawDouble: Double
                if signal.pointee.isSigned {
                    let up = UInt64(64 - signal.pointee.length)
                    let v = Int64(bitPattern: bits << up) >> Int64(up)  // sign-extended
                    raw = Int128(truncatingIfNeeded: v)
                    rawDouble = Double(v)
                } else {
                    raw = Int128(truncatingIfNeeded: bits)
                    rawDouble = Double(bits)
                }
                if signal.pointee.choiceCount != 0 {
                    let choice = choiceIndex(signal, raw)
                    if choice >= 0 { writeChoice(signal, choice, text, to: &out); continue }
                }
                switch kind {
                case .integerIdentity:
                    DecodedSignals.writeDecimal(raw, to: &out)
                case .integerScaled:
                    let (p, overflow1) = raw.multipliedReportingOverflow(by: signal.pointee.integerFactor)
                    let (sum, overflow2) = p.addingReportingOverflow(signal.pointee.integerOffset)
                    DecodedSignals.writeDecimal(overflow1 || overflow2 ? 0 : sum, to: &out)
                default:
                    PythonFloat.writeRepr(rawDouble * signal.pointee.factor + signal.pointee.offset,
                                          decimals: signal.pointee.decimals, to: &out)
                }
            case .float32, .float64:
                let raw = kind == .float32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : Double(bitPattern: bits)
                if signal.pointee.choiceCount != 0 && raw.isFinite {
                    let truncated = abs(raw) < 1e37 ? Int128(raw.rounded(.towardZero)) : 0
                    let choice = choiceIndex(signal, truncated)
                    if choice >= 0 { writeChoice(signal, choice, text, to: &out); continue }
                }
                let factor = signal.pointee.factor, offset = signal.pointee.offset
                PythonFloat.writeRepr(factor == 1 && offset == 0 ? raw : raw * factor + offset, to: &out)
            }
            let unit = signal.pointee.unit
            Self.copy(text + unit.lowerBound, unit.count, to: &out)
        }
        if singleLine { out.put(UInt8(ascii: ")")) } else { out.put(0x0A, UInt8(ascii: ")")) }
        return out.count(from: start)
    }

    /// A value name, in place of the number and unit.
    @inline(__always)
    private func writeChoice(_ signal: UnsafePointer<Signal>, _ choice: Int32, _ text: UnsafePointer<UInt8>, to out: inout ByteCursor) {
        let range = choiceTextTable[signal.pointee.choiceNamesStart + Int(choice)]
        Self.copy(text + range.lowerBound, range.count, to: &out)
    }

    /// ``choice(_:_:)`` on the table copy.
    @inline(__always)
    func choiceIndex(_ signal: UnsafePointer<Signal>, _ raw: Int128) -> Int32 {
        var low = signal.pointee.choiceStart, high = low + signal.pointee.choiceCount
        while low < high {
            let mid = (low &+ high) >> 1
            let v = choiceTable[mid].value
            if v == raw { return choiceTable[mid].index }
            if v < raw { low = mid + 1 } else { high = mid }
        }
        return -1
    }

    /// Copies `count` bytes eight at a time: it reads up to 7 bytes past the source (``textTable`` has 16
    /// bytes of zeros after the text) and writes up to 7 past the end, which the next write covers or the
    /// caller's slack holds.
    @inline(__always)
    static func copy(_ source: UnsafePointer<UInt8>, _ count: Int, to out: inout ByteCursor) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(out.position)
        var k = 0
        while k < count {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: k, as: UInt64.self), toByteOffset: k, as: UInt64.self)
            k += 8
        }
        out.position += count
    }
}
