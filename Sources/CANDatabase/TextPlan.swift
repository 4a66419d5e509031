/// A message without multiplexers compiled for decoding and printing in one pass (candecode-swift's hot path),
/// laid out for the cache: one 48-byte step per signal; for each text form (multi-line, single line) one pool
/// holding the message's name and then each signal's prefix and unit in print order, so a frame's text is read
/// front to back; value names next to their raw values, the short ones (up to 8 bytes) inline.
///
/// Built by ``MessageLayout`` (nil for a message it cannot take: multiplexed, or a whole-number factor or
/// offset beyond Int64); ``writeDecodedText(_:singleLine:to:)`` prints exactly what decoding into
/// ``DecodedSignals`` and ``DecodedSignals/appendText(_:singleLine:to:)`` print.
final class TextPlan: @unchecked Sendable {  // immutable after init; the pointers are its own
    struct Step {
        /// The factor and offset: Doubles' bit patterns for real values, Int64s for ``MessageLayout/Kind/integerScaled``.
        var factorBits: UInt64
        var offsetBits: UInt64
        /// Where the signal's prefix (",\n    Name: " / ", Name: ") starts in the multi-line and the single-line
        /// pool; its unit follows it.
        var lineStart: UInt32
        var inlineStart: UInt32
        /// The signal's value names in ``choices`` (compact ones), or its index in the layout's signals.
        var choiceStart: UInt32
        var linePrefixCount: UInt16
        var inlinePrefixCount: UInt16
        var unitCount: UInt16
        var choiceCount: UInt16
        var firstByte: UInt8
        var byteCount: UInt8
        var shift: UInt8
        var length: UInt8
        var kind: MessageLayout.Kind
        /// `isSigned`, `isBigEndian`, `compactChoices`, `denseChoices`.
        var flags: UInt8
        var decimals: Int8

        static let signed: UInt8 = 1, bigEndian: UInt8 = 2, compact: UInt8 = 4, dense: UInt8 = 8

        var factor: Double { Double(bitPattern: factorBits) }
        var offset: Double { Double(bitPattern: offsetBits) }
        var integerFactor: Int64 { Int64(bitPattern: factorBits) }
        var integerOffset: Int64 { Int64(bitPattern: offsetBits) }
        var isSigned: Bool { flags & Self.signed != 0 }
        var isBigEndian: Bool { flags & Self.bigEndian != 0 }
        /// Whether the value names are in ``choices`` (all fit Int64, and so does every raw value); otherwise
        /// the layout's table is searched.
        var compactChoices: Bool { flags & Self.compact != 0 }
        /// Whether the compact value names are for consecutive values (0 "Off", 1 "On", …: nearly every signal
        /// in real files), so the raw value minus the first indexes them, without a search.
        var denseChoices: Bool { flags & Self.dense != 0 }
        var mask: UInt64 { length >= 64 ? .max : (1 << UInt64(length)) &- 1 }
    }

    /// A value name beside its raw value, 16 bytes: a name of up to 7 bytes inline (its bytes, then its length in
    /// the top byte), a longer one as its place in ``choiceText`` (start in the low 32 bits, length in the next
    /// 24, 0xFF in the top byte).
    struct Choice {
        var value: Int64
        var text: UInt64

        static let outOfLine: UInt64 = 0xFF << 56
    }

    let layout: Unmanaged<MessageLayout>
    let stepCount: Int
    let steps: UnsafeMutablePointer<Step>
    let choices: UnsafeMutablePointer<Choice>
    let choiceText: UnsafeMutablePointer<UInt8>
    let linePool: UnsafeMutablePointer<UInt8>
    let inlinePool: UnsafeMutablePointer<UInt8>
    let nameCount: Int

    /// nil when the message needs the general path.
    init?(_ layout: MessageLayout) {
        guard !layout.isMultiplexed else { return nil }
        let text = layout.text
        func bytes(_ r: Range<Int>) -> ArraySlice<UInt8> { text[r] }
        var steps: [Step] = []
        var choices: [Choice] = []
        var choiceText: [UInt8] = []
        var line: [UInt8] = Array(bytes(layout.name)), inline: [UInt8] = Array(bytes(layout.name))
        for (index, s) in layout.signals.enumerated() {
            var integerFactor: Int64 = 0, integerOffset: Int64 = 0
            if s.kind == .integerScaled {
                guard let f = Int64(exactly: s.integerFactor), let o = Int64(exactly: s.integerOffset) else { return nil }
                integerFactor = f; integerOffset = o
            }
            guard s.choiceCount <= Int(UInt16.max) else { return nil }
            let entries = layout.choices[s.choiceStart ..< s.choiceStart + s.choiceCount]
            let compact = s.kind != .float32 && s.kind != .float64 && (s.isSigned || s.length < 64)
                && entries.allSatisfy { Int64(exactly: $0.value) != nil }
            let choiceStart = compact ? choices.count : index
            var dense = false
            if compact {
                for entry in entries {
                    let name = Array(bytes(layout.choiceTexts[s.choiceNamesStart + Int(entry.index)]))
                    var packed: UInt64
                    if name.count <= 7 {
                        packed = UInt64(name.count) << 56
                        for (k, b) in name.enumerated() { packed |= UInt64(b) << (8 * UInt64(k)) }
                    } else {
                        guard name.count < 1 << 24, choiceText.count < Int(UInt32.max) else { return nil }
                        packed = Choice.outOfLine | UInt64(name.count) << 32 | UInt64(choiceText.count)
                        choiceText.append(contentsOf: name)
                    }
                    choices.append(Choice(value: Int64(entry.value), text: packed))
                }
                let values = choices[choiceStart...].map(\.value)
                dense = !values.isEmpty && values.indices.allSatisfy { values[$0] == values[values.startIndex] + Int64($0 - values.startIndex) }
            }
            let linePrefix = bytes(s.linePrefix), inlinePrefix = bytes(s.inlinePrefix), unit = bytes(s.unit)
            guard linePrefix.count <= Int(UInt16.max), unit.count <= Int(UInt16.max) else { return nil }
            let real = s.kind != .integerScaled
            steps.append(Step(
                factorBits: real ? s.factor.bitPattern : UInt64(bitPattern: integerFactor),
                offsetBits: real ? s.offset.bitPattern : UInt64(bitPattern: integerOffset),
                lineStart: UInt32(line.count), inlineStart: UInt32(inline.count), choiceStart: UInt32(choiceStart),
                linePrefixCount: UInt16(linePrefix.count), inlinePrefixCount: UInt16(inlinePrefix.count),
                unitCount: UInt16(unit.count), choiceCount: UInt16(truncatingIfNeeded: s.choiceCount),
                firstByte: UInt8(s.firstByte), byteCount: UInt8(s.byteCount), shift: UInt8(s.shift), length: UInt8(s.length),
                kind: s.kind,
                flags: (s.isSigned ? Step.signed : 0) | (s.isBigEndian ? Step.bigEndian : 0) | (compact ? Step.compact : 0) | (dense ? Step.dense : 0),
                decimals: Int8(s.decimals)))
            line.append(contentsOf: linePrefix); line.append(contentsOf: unit)
            inline.append(contentsOf: inlinePrefix); inline.append(contentsOf: unit)
            guard line.count < Int(UInt32.max) else { return nil }
        }
        self.layout = Unmanaged.passUnretained(layout)  // the layout owns this plan
        stepCount = steps.count
        nameCount = layout.name.count
        func copy<T>(_ array: [T], padding: Int = 0, zero: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: array.count + padding + 1)
            p.initialize(from: array, count: array.count)
            (p + array.count).initialize(repeating: zero, count: padding + 1)
            return p
        }
        self.steps = copy(steps, zero: Step(factorBits: 0, offsetBits: 0, lineStart: 0, inlineStart: 0, choiceStart: 0, linePrefixCount: 0,
                                             inlinePrefixCount: 0, unitCount: 0, choiceCount: 0, firstByte: 0, byteCount: 0,
                                             shift: 0, length: 0, kind: .integerIdentity, flags: 0, decimals: -1))
        self.choices = copy(choices, zero: Choice(value: 0, text: 0))
        // 16 bytes of zeros after each pool, for word-wise copies.
        self.choiceText = copy(choiceText, padding: 16, zero: 0)
        linePool = copy(line, padding: 16, zero: 0)
        inlinePool = copy(inline, padding: 16, zero: 0)
    }

    deinit {
        steps.deallocate()
        choices.deallocate()
        choiceText.deallocate()
        linePool.deallocate()
        inlinePool.deallocate()
    }

    /// Decodes a payload and writes its text in one pass over the signals.
    /// - Parameters:
    ///   - data: The payload, zero-padded to at least 72 bytes (see ``MessageLayout/extractBits(_:_:)``).
    ///   - start: Room for the layout's ``MessageLayout/textBound`` + 16 bytes (copies go sixteen bytes at a time).
    /// - Returns: The number of bytes written.
    func writeDecodedText(_ data: UnsafeRawPointer, singleLine: Bool, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var out = ByteCursor(start)
        let pool = UnsafePointer(singleLine ? inlinePool : linePool)
        if singleLine { out.put(UInt8(ascii: " ")) } else { out.put(0x0A) }
        Self.copy(pool, nameCount, to: &out)
        if singleLine { out.put(UInt8(ascii: "(")) } else { out.put(UInt8(ascii: "("), 0x0A) }
        var i = 0
        while i < stepCount {
            let step = UnsafePointer(steps + i)
            let bits: UInt64
            if step.pointee.byteCount <= 8 {
                let word = data.loadUnaligned(fromByteOffset: Int(step.pointee.firstByte), as: UInt64.self)
                bits = (step.pointee.isBigEndian ? UInt64(bigEndian: word) : UInt64(littleEndian: word)) >> UInt64(step.pointee.shift) & step.pointee.mask
            } else {
                bits = layout._withUnsafeGuaranteedRef { MessageLayout.extractBits($0.signalTable + i, data) }
            }
            // ",\n    Name: " or ", Name: ", the first one without its separator.
            let prefixStart = Int(singleLine ? step.pointee.inlineStart : step.pointee.lineStart)
            let prefixCount = Int(singleLine ? step.pointee.inlinePrefixCount : step.pointee.linePrefixCount)
            let skip = i == 0 ? 2 : 0
            Self.copy(pool + prefixStart + skip, prefixCount - skip, to: &out)
            let signalIndex = i
            i += 1
            let kind = step.pointee.kind
            switch kind {
            case .integerIdentity, .integerScaled, .integerReal:
                let raw: Int64
                let rawDouble: Double
                if step.pointee.isSigned {
                    let up = UInt64(64 - step.pointee.length)
                    raw = Int64(bitPattern: bits << up) >> Int64(up)  // sign-extended
                    rawDouble = Double(raw)
                } else {
                    raw = Int64(bitPattern: bits)  // only read as a number below when compact (length < 64)
                    rawDouble = Double(bits)
                }
                if step.pointee.choiceCount != 0 {
                    if step.pointee.compactChoices {
                        if writeChoice(step, raw, to: &out) { continue }
                    } else {
                        let wide = step.pointee.isSigned ? Int128(raw) : Int128(bits)
                        if writeLayoutChoice(signalIndex, wide, to: &out) { continue }
                    }
                }
                switch kind {
                case .integerIdentity:
                    if step.pointee.isSigned { DecodedSignals.writeDecimal(Int128(raw), to: &out) }
                    else { DecodedSignals.writeDecimal(bits, to: &out) }
                case .integerScaled:
                    let wide = step.pointee.isSigned ? Int128(raw) : Int128(bits)
                    let (p, overflow1) = wide.multipliedReportingOverflow(by: Int128(step.pointee.integerFactor))
                    let (sum, overflow2) = p.addingReportingOverflow(Int128(step.pointee.integerOffset))
                    DecodedSignals.writeDecimal(overflow1 || overflow2 ? 0 : sum, to: &out)
                default:
                    PythonFloat.writeRepr(rawDouble * step.pointee.factor + step.pointee.offset,
                                          decimals: Int(step.pointee.decimals), to: &out)
                }
            case .float32, .float64:
                let raw = kind == .float32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : Double(bitPattern: bits)
                if step.pointee.choiceCount != 0 && raw.isFinite {
                    let truncated = abs(raw) < 1e37 ? Int128(raw.rounded(.towardZero)) : 0
                    if writeLayoutChoice(signalIndex, truncated, to: &out) { continue }
                }
                let factor = step.pointee.factor, offset = step.pointee.offset
                PythonFloat.writeRepr(factor == 1 && offset == 0 ? raw : raw * factor + offset, to: &out)
            }
            Self.copy(pool + prefixStart + prefixCount, Int(step.pointee.unitCount), to: &out)
        }
        if singleLine { out.put(UInt8(ascii: ")")) } else { out.put(0x0A, UInt8(ascii: ")")) }
        return out.count(from: start)
    }

    /// The value name of `raw`, if it has one, from the compact table.
    @inline(__always)
    private func writeChoice(_ step: UnsafePointer<Step>, _ raw: Int64, to out: inout ByteCursor) -> Bool {
        let start = Int(step.pointee.choiceStart), count = Int(step.pointee.choiceCount)
        if step.pointee.denseChoices {
            // Wrapping: a raw value below the first lands far above the count. (The values fit Int64, so an
            // offset below the count is the exact difference.)
            let offset = UInt64(bitPattern: raw &- choices[start].value)
            guard offset < UInt64(count) else { return false }
            putName(choices[start + Int(offset)].text, to: &out)
            return true
        }
        var low = start, high = start + count
        while low < high {
            let mid = (low &+ high) >> 1
            let v = choices[mid].value
            if v == raw {
                putName(choices[mid].text, to: &out)
                return true
            }
            if v < raw { low = mid + 1 } else { high = mid }
        }
        return false
    }

    /// A value name, from a ``Choice``'s `text`.
    @inline(__always)
    private func putName(_ text: UInt64, to out: inout ByteCursor) {
        if text & Choice.outOfLine != Choice.outOfLine {
            // The bytes in memory order, then the length byte, which the next write covers.
            UnsafeMutableRawPointer(out.position).storeBytes(of: text.littleEndian, as: UInt64.self)
            out.position += Int(text >> 56)
        } else {
            Self.copy(choiceText + Int(text & 0xFFFF_FFFF), Int(text >> 32 & 0xFF_FFFF), to: &out)
        }
    }

    /// The value name of `raw`, if it has one, from the layout's table (values beyond Int64, floats).
    private func writeLayoutChoice(_ signalIndex: Int, _ raw: Int128, to out: inout ByteCursor) -> Bool {
        layout._withUnsafeGuaranteedRef { layout in
            let signal = UnsafePointer(layout.signalTable + signalIndex)
            let choice = layout.choiceIndex(signal, raw)
            guard choice >= 0 else { return false }
            let range = layout.choiceTextTable[signal.pointee.choiceNamesStart + Int(choice)]
            Self.copy(layout.textTable + range.lowerBound, range.count, to: &out)
            return true
        }
    }

    /// Copies `count` bytes sixteen at a time: it reads up to 15 bytes past the source (the pools, the value
    /// names and the layout's text have 16 bytes of zeros after them) and writes up to 16 past the end (also when
    /// `count` is 0), which the next write covers or the caller's slack holds.
    @inline(__always)
    static func copy(_ source: UnsafePointer<UInt8>, _ count: Int, to out: inout ByteCursor) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(out.position)
        var k = 0
        repeat {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self), toByteOffset: k, as: SIMD16<UInt8>.self)
            k &+= 16
        } while k < count
        out.position += count
    }
}
