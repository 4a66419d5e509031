extension DecodedSignals {
    /// Appends the decoded message the way `cantools decode` prints it after ` ::`.
    ///
    /// Multi-line: `\nName(\n    Signal: 12 unit,\n    Other: On\n)`; single line: ` Name(Signal: 12 unit, Other: On)`.
    /// Signals come in the message's order (by start bit), those the multiplexer did not select left out;
    /// a value with a name prints the name, without the unit; numbers print as Python prints them.
    public func appendText(_ message: MessageDefinition, singleLine: Bool, to buffer: inout [UInt8]) {
        let layout = message.layout
        layout.text.withUnsafeBufferPointer { text in
            if singleLine {
                buffer.append(UInt8(ascii: " "))
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[layout.name]))
                buffer.append(UInt8(ascii: "("))
            } else {
                buffer.append(0x0A)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[layout.name]))
                buffer.append(contentsOf: "(\n".utf8)
            }
            var first = true
            var i = 0
            while i < count {
                defer { i += 1 }
                guard isPresent[i] else { continue }
                if first { first = false } else if singleLine { buffer.append(contentsOf: ", ".utf8) } else { buffer.append(contentsOf: ",\n".utf8) }
                if !singleLine { buffer.append(contentsOf: "    ".utf8) }
                let s = layout.signals[i]
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[s.name]))
                buffer.append(contentsOf: ": ".utf8)
                let choice = choiceIndices[i]
                if choice >= 0 {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[layout.choiceTexts[s.choiceNamesStart + Int(choice)]]))
                    continue
                }
                if s.hasIntegerValues { Self.appendDecimal(integerValues[i], to: &buffer) } else { PythonFloat.appendRepr(values[i], to: &buffer) }
                if !s.unit.isEmpty {
                    buffer.append(UInt8(ascii: " "))
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[s.unit]))
                }
            }
            if singleLine { buffer.append(UInt8(ascii: ")")) } else { buffer.append(contentsOf: "\n)".utf8) }
        }
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
        if let small = Int64(exactly: value) { appendDecimal(small, to: &buffer); return }
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 { buffer.append(UInt8(ascii: "0") + UInt8(magnitude)); return }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes: 39 digits at most
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while magnitude > 0 { d[n] = UInt8(ascii: "0") + UInt8(magnitude % 10); magnitude /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
    }

    /// A decimal integer, without allocating.
    @inline(__always)
    public static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude, to: &buffer)
    }

    /// A decimal integer, without allocating: two digits per step from a table.
    @inline(__always)
    static func appendDecimal(_ value: UInt64, to buffer: inout [UInt8]) {
        if value < 10 { buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)); return }
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
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[n...]))
        }
    }

    /// "00" "01" … "99".
    static let digitPairs: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }
}
