extension DecodedSignals {
    /// Appends the decoded message the way `cantools decode` prints it after ` ::`.
    ///
    /// Multi-line: `\nName(\n    Signal: 12 unit,\n    Other: On\n)`; single line: ` Name(Signal: 12 unit, Other: On)`.
    /// Signals come in the message's order (by start bit), those the multiplexer did not select left out;
    /// a value with a name prints the name, without the unit; numbers print as Python prints them.
    public func appendText(_ message: MessageDefinition, singleLine: Bool, to buffer: inout [UInt8]) {
        var room = [UInt8](repeating: 0, count: message.layout.textBound)
        let n = room.withUnsafeMutableBufferPointer { writeText(message.layout, singleLine: singleLine, to: $0.baseAddress!) }
        buffer.append(contentsOf: room[..<n])
    }

    /// ``appendText(_:singleLine:to:)`` into room for at least ``MessageLayout/textBound`` bytes.
    /// - Returns: The number of bytes written.
    func writeText(_ layout: MessageLayout, singleLine: Bool, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var out = ByteCursor(start)
        layout.text.withUnsafeBufferPointer { text in layout.signals.withUnsafeBufferPointer { signals in
            if singleLine { out.put(UInt8(ascii: " ")) } else { out.put(0x0A) }
            out.put(UnsafeBufferPointer(rebasing: text[layout.name]))
            if singleLine { out.put(UInt8(ascii: "(")) } else { out.put(UInt8(ascii: "("), 0x0A) }
            var first = true
            var i = 0
            while i < count {
                defer { i += 1 }
                guard isPresent[i] else { continue }
                let s = signals.baseAddress! + i  // read in place: a copy of the layout costs more than its use
                // ",\n    Name: " or ", Name: ", the first one without its separator.
                let prefix = singleLine ? s.pointee.inlinePrefix : s.pointee.linePrefix
                out.put(UnsafeBufferPointer(rebasing: text[first ? prefix.lowerBound + 2 ..< prefix.upperBound : prefix]))
                first = false
                let choice = choiceIndices[i]
                if choice >= 0 {
                    out.put(UnsafeBufferPointer(rebasing: text[layout.choiceTexts[s.pointee.choiceNamesStart + Int(choice)]]))
                    continue
                }
                if s.pointee.hasIntegerValues { Self.writeDecimal(integerValues[i], to: &out) } else { PythonFloat.writeRepr(values[i], to: &out) }
                out.put(UnsafeBufferPointer(rebasing: text[s.pointee.unit]))
            }
            if singleLine { out.put(UInt8(ascii: ")")) } else { out.put(0x0A, UInt8(ascii: ")")) }
        } }
        return out.count(from: start)
    }

    /// The text form as a string.
    public func text(_ message: MessageDefinition, singleLine: Bool = false) -> String {
        var buffer: [UInt8] = []
        appendText(message, singleLine: singleLine, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the physical value of signal i: an integer in decimal, a real as Python's `repr`.
    @inline(__always)
    public func appendValue(_ i: Int, _ s: SignalDefinition, to buffer: inout [UInt8]) {
        if s.hasIntegerValues { Self.appendDecimal(integerValues[i], to: &buffer) } else { PythonFloat.appendRepr(values[i], to: &buffer) }
    }

    /// Appends `"name":"Message","signals":{"A":1,"B":2.5},"labels":{"B":"On"}` (no braces around): the JSON
    /// members for one decoded message. Non-finite numbers become `null` (JSON has no NaN).
    public func appendJSONMembers(_ message: MessageDefinition, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #""name":"#.utf8)
        Self.appendJSONString(message.name, to: &buffer)
        buffer.append(contentsOf: #","signals":{"#.utf8)
        var first = true
        for i in 0..<count where isPresent[i] {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            let s = message.signals[i]
            Self.appendJSONString(s.name, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            if !s.hasIntegerValues && !values[i].isFinite { buffer.append(contentsOf: "null".utf8) } else { appendValue(i, s, to: &buffer) }
        }
        buffer.append(contentsOf: #"},"labels":{"#.utf8)
        first = true
        for i in 0..<count where isPresent[i] && choiceIndices[i] >= 0 {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            let s = message.signals[i]
            Self.appendJSONString(s.name, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            Self.appendJSONString(s.choiceNames[Int(choiceIndices[i])], to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    static let hex = Array("0123456789abcdef".utf8)

    /// A literal's bytes, copied at once.
    @inline(__always)
    static func append(_ text: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A JSON string literal, with `"`, `\` and control characters escaped.
    public static func appendJSONString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(byte)
            case 0x0A: buffer.append(contentsOf: #"\n"#.utf8)
            case 0..<0x20:
                buffer.append(contentsOf: #"\u00"#.utf8)
                buffer.append(hex[Int(byte >> 4)]); buffer.append(hex[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// A decimal integer, without allocating.
    @inline(__always)
    public static func appendDecimal(_ value: Int128, to buffer: inout [UInt8]) {
        buffer.appendShort { writeDecimal(value, to: &$0) }
    }

    /// A decimal integer, without allocating.
    @inline(__always)
    public static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        buffer.appendShort { writeDecimal(Int128(value), to: &$0) }
    }

    /// Writes a decimal integer (at most 40 bytes).
    @inline(__always)
    static func writeDecimal(_ value: Int128, to out: inout ByteCursor) {
        if value < 0 { out.put(UInt8(ascii: "-")) }
        if let small = UInt64(exactly: value.magnitude) { writeDecimal(small, to: &out); return }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes: 39 digits at most
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while magnitude > 0 { d[n] = UInt8(ascii: "0") + UInt8(magnitude % 10); magnitude /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { out.put(d[i]) }
        }
    }

    /// Writes a decimal integer, two digits a step from a table (at most 20 bytes).
    @inline(__always)
    static func writeDecimal(_ value: UInt64, to out: inout ByteCursor) {
        if value < 10 { out.put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits at most
        var n = 24
        var v = value
        withUnsafeMutableBytes(of: &digits) { d in
            Self.digitPairs.withUnsafeBufferPointer { pairs in
                while v >= 100 {
                    let r = Int(v % 100)
                    v /= 100
                    n -= 2
                    d[n] = pairs[2 * r]; d[n + 1] = pairs[2 * r + 1]
                }
                if v >= 10 {
                    n -= 2
                    d[n] = pairs[2 * Int(v)]; d[n + 1] = pairs[2 * Int(v) + 1]
                } else {
                    n -= 1
                    d[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v)
                }
            }
            out.put(UnsafeBufferPointer(start: d.baseAddress!.assumingMemoryBound(to: UInt8.self) + n, count: 24 - n))
        }
    }

    /// "00" "01" … "99".
    static let digitPairs: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }
}
