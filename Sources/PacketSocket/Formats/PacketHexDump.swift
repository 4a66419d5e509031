/// The raw bytes of a packet under its summary line, as tcpdump prints them with `-x`, `-xx`, `-X`, `-XX`, `-A`
/// and `-AA` (`print-ascii.c`: `hex_print`, `hex_and_ascii_print`, `ascii_print`), written into a caller's reused
/// byte buffer without allocating.
///
/// With ``includesLinkLayerHeader`` false (`-x`, `-X`, `-A`) the dump starts after the link-layer header the
/// summary printer walked (``PacketSummaryFormatter/linkLayerHeaderLength``) and nothing is printed when no byte
/// follows it.
public struct PacketHexDump: Hashable, Sendable {
    /// How the bytes are shown.
    public enum Style: Hashable, Sendable {
        /// `\n\t0x0000:  4500 0021 …`: eight groups of two bytes per line (`-x`).
        case hex
        /// The hex groups padded to 40 columns, two spaces and the bytes as ASCII, `.` for the unprintable (`-X`).
        case hexAndASCII
        /// A newline, then the bytes as text: printable bytes, tabs, spaces and newlines as they are, CRs dropped
        /// before a newline and at the end, every other byte `.` (`-A`).
        case ascii
    }

    public var style: Style
    /// Dump from the frame's first byte (`-xx`, `-XX`, `-AA`) rather than after the link-layer header.
    public var includesLinkLayerHeader: Bool

    public init(style: Style, includesLinkLayerHeader: Bool = false) {
        self.style = style
        self.includesLinkLayerHeader = includesLinkLayerHeader
    }

    /// Appends the dump of a captured frame (tcpdump's `pretty_print_packet` after the summary).
    /// - Parameters:
    ///   - frame: The captured bytes.
    ///   - linkLayerHeaderLength: The length of the link-layer header the summary printer walked.
    ///   - line: The buffer to append to (the summary line, without its newline).
    public func append(_ frame: UnsafeRawBufferPointer, linkLayerHeaderLength: Int, to line: inout [UInt8]) {
        let skip = includesLinkLayerHeader ? 0 : max(0, linkLayerHeaderLength)
        guard frame.count > skip else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: frame[skip...])
        switch style {
        case .hex: Self.appendHex(bytes, to: &line)
        case .hexAndASCII: Self.appendHexAndASCII(bytes, to: &line)
        case .ascii: Self.appendASCII(bytes, to: &line)
        }
    }

    /// tcpdump's `hex_print(ndo, "\n\t", …)`.
    public static func appendHex(_ bytes: UnsafeRawBufferPointer, to line: inout [UInt8]) {
        for index in 0..<bytes.count {
            if index % 16 == 0 { appendOffset(index, to: &line) }
            if index % 2 == 0 { line.append(UInt8(ascii: " ")) }
            line.putHex(bytes[index], digits: 2)
        }
    }

    /// tcpdump's `hex_and_ascii_print(ndo, "\n\t", …)`: also what it prints for a payload no printer decodes.
    public static func appendHexAndASCII(_ bytes: UnsafeRawBufferPointer, to line: inout [UInt8]) {
        var start = 0
        while start < bytes.count {
            let end = min(start + 16, bytes.count)
            appendOffset(start, to: &line)
            var columns = 0
            for index in start..<end {
                if (index - start) % 2 == 0 { line.append(UInt8(ascii: " ")); columns += 1 }
                line.putHex(bytes[index], digits: 2)
                columns += 2
            }
            // `%-*s` pads the hex to 40 columns, then two spaces before the text.
            for _ in columns..<42 { line.append(UInt8(ascii: " ")) }
            for index in start..<end { line.append(isGraphic(bytes[index]) ? bytes[index] : UInt8(ascii: ".")) }
            start = end
        }
    }

    /// tcpdump's `ascii_print`.
    public static func appendASCII(_ bytes: UnsafeRawBufferPointer, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\n"))
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\r") {
                // A CR is left out before a newline and as one of the last two bytes, else printed as `.`.
                let remaining = bytes.count - index - 1
                if remaining > 1 && bytes[index + 1] != UInt8(ascii: "\n") { line.append(UInt8(ascii: ".")) }
            } else if isGraphic(byte) || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                line.append(byte)
            } else {
                line.append(UInt8(ascii: "."))
            }
        }
    }

    /// `\n\t0x0010: ` (`%04x`: more digits past 0xffff).
    @inline(__always)
    private static func appendOffset(_ offset: Int, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\n")); line.append(UInt8(ascii: "\t"))
        line.put("0x")
        if offset > 0xFFFF { line.putHex(offset) } else { line.putHex(offset, digits: 4) }
        line.put(": ")
    }

    /// `ND_ASCII_ISGRAPH`: `!` to `~`.
    @inline(__always)
    private static func isGraphic(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
