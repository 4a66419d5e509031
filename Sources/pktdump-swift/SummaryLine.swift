import PacketSocket

/// The text after the timestamp on each line. Until the codecs' tcpdump-style formatter is merged this is a
/// minimal stand-in: the link-level header with -e, then the EtherType and length.
struct SummaryLine {
    var linkLevelHeader: Bool

    /// Appends the summary of an Ethernet frame to `line` (no newline).
    mutating func append(frame: UnsafeRawBufferPointer, originalLength: Int, to line: inout [UInt8]) {
        guard frame.count >= 14 else {
            line.append(contentsOf: "[|ether]".utf8)
            return
        }
        let etherType = UInt16(frame[12]) << 8 | UInt16(frame[13])
        if linkLevelHeader {
            appendMAC(frame, at: 6, to: &line)
            line.append(contentsOf: " > ".utf8)
            appendMAC(frame, at: 0, to: &line)
            line.append(contentsOf: ", ".utf8)
        }
        line.append(contentsOf: "ethertype 0x".utf8)
        appendHex(UInt8(etherType >> 8), to: &line)
        appendHex(UInt8(etherType & 0xFF), to: &line)
        line.append(contentsOf: ", length ".utf8)
        appendDecimal(originalLength, to: &line)
    }

    private func appendMAC(_ frame: UnsafeRawBufferPointer, at offset: Int, to line: inout [UInt8]) {
        for i in 0..<6 {
            if i > 0 { line.append(UInt8(ascii: ":")) }
            appendHex(frame[offset + i], to: &line)
        }
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

func appendHex(_ byte: UInt8, to line: inout [UInt8]) {
    line.append(hexDigits[Int(byte >> 4)])
    line.append(hexDigits[Int(byte & 0xF)])
}

/// Appends a non-negative integer in decimal without building a String.
func appendDecimal(_ value: Int, to line: inout [UInt8]) {
    var value = max(0, value)
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
        repeat {
            buffer[count] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
            count += 1
        } while value > 0
        for i in stride(from: count - 1, through: 0, by: -1) { line.append(buffer[i]) }
    }
}
