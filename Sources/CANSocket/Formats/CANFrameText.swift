#if canImport(Glibc)
import Glibc
#endif
import SocketBase

/// The text forms of a CAN frame that can-utils uses, byte-compatible with can-utils 2020.11.0's lib.c:
/// the compact form of cansend and candump logs (`123#DEADBEEF`, `sprint_canframe`/`parse_canframe`) and the
/// long form of candump's screen output (`123   [4]  DE AD BE EF`, `sprint_long_canframe`).
///
/// The `append` functions write into a caller's reused byte buffer through ``ByteText`` (one hex lookup table for
/// the package): nothing is allocated once the buffer has grown to its working size.
public enum CANFrameText {
    static let space = UInt8(ascii: " ")

    /// candump's view flags for the long form (`CANLIB_VIEW_*`).
    public struct View: Hashable, Sendable {
        /// Append the printable bytes as ASCII (`-a`, `CANLIB_VIEW_ASCII`).
        public var ascii = false
        /// Bytes in binary (`-i`, `CANLIB_VIEW_BINARY`).
        public var binary = false
        /// Bytes in reverse order, marked with a backtick (`-S`, `CANLIB_VIEW_SWAP`).
        public var swap = false
        /// Decode error frames on following lines (`-e`, `CANLIB_VIEW_ERROR`).
        public var errorDecode = false
        /// Indent standard ids to line up with extended ones (`CANLIB_VIEW_INDENT_SFF`; candump sets it once
        /// it has seen an extended frame).
        public var indentStandardIDs = false
        /// A classic frame's raw DLC in braces, `{B}`, where its length is bracketed (`-8`,
        /// `CANLIB_VIEW_LEN8_DLC` of can-utils master): the len8_dlc 9…F of an 8-byte frame, else the length.
        public var rawDLC = false

        public init() {}
    }

    // MARK: Compact form

    /// Appends the compact form (`sprint_canframe` without separators): `123#DEADBEEF`, `12345678#`,
    /// `123#R`, `123#R3`, `123##5AABB` (FD, flags nibble first), `20000004#0004000000000000` (error frame).
    /// - Parameters:
    ///   - rawDLC: Append a classic 8-byte frame's raw DLC 9…F as `_B` (`R8_B`), as can-utils since v2021.06
    ///     does; off by default, as 2020.11 (which candump-swift's output matches) never writes it.
    public static func appendCompact(_ frame: CANFrame, separator: Bool = false, rawDLC: Bool = false,
                                     to buffer: inout [UInt8]) {
        appendID(frame, to: &buffer)
        buffer.append(UInt8(ascii: "#"))
        if !frame.isFD && frame.rawID & CANFrame.remoteFlag != 0 {
            buffer.append(UInt8(ascii: "R"))
            if frame.count > 0 && frame.count <= 8 { buffer.append(ByteText.hexDigit(frame.count)) }
            if rawDLC { appendRawDLC(frame, to: &buffer) }
            return
        }
        let length = min(frame.count, frame.isFD ? 64 : 8)
        if frame.isFD {
            buffer.append(UInt8(ascii: "#"))
            buffer.append(ByteText.hexDigit(frame.rawFlagsByte))
            if separator && length > 0 { buffer.append(UInt8(ascii: ".")) }
        }
        frame.withUnsafeData { data in
            ByteText.appendHexBytes(UnsafeRawBufferPointer(rebasing: data[..<length]), separator: separator ? UInt8(ascii: ".") : nil,
                                    to: &buffer)
        }
        if rawDLC && !frame.isFD { appendRawDLC(frame, to: &buffer) }
    }

    /// `_<raw dlc>` after a classic 8-byte frame whose len8_dlc is 9…15, as current can-utils' `snprintf_canframe`
    /// writes it (2020.11 has no len8_dlc and writes nothing).
    @inline(__always)
    static func appendRawDLC(_ frame: CANFrame, to buffer: inout [UInt8]) {
        if frame.count == 8 && frame.len8DLC > 8 {
            buffer.append(UInt8(ascii: "_"))
            buffer.append(ByteText.hexDigit(Int(frame.len8DLC & 0x0F)))
        }
    }

    /// The compact form as a string.
    public static func compact(_ frame: CANFrame, separator: Bool = false, rawDLC: Bool = false) -> String {
        var buffer: [UInt8] = []
        appendCompact(frame, separator: separator, rawDLC: rawDLC, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// 8 hex digits for error and extended frames, 3 for standard ones.
    @inline(__always)
    static func appendID(_ frame: CANFrame, to buffer: inout [UInt8]) {
        if frame.isError {
            appendHex(frame.rawID & (CANFrame.errorMask | CANFrame.errorFlag), digits: 8, to: &buffer)
        } else if frame.isExtended {
            appendHex(frame.rawID & CANFrame.errorMask, digits: 8, to: &buffer)
        } else {
            appendHex(frame.rawID & CANID.standardMax, digits: 3, to: &buffer)
        }
    }

    @inline(__always)
    static func appendHex(_ value: UInt32, digits: Int, to buffer: inout [UInt8]) {
        ByteText.appendHex(value, digits: digits, to: &buffer)
    }

    // MARK: Long form

    /// Appends candump's screen form of a frame (`fprint_long_canframe`), without the line end:
    /// `123   [4]  DE AD BE EF`, `12345678   [2]  01 02`, `123   [0]  remote request`, `456  [12]  11 22 …`,
    /// with `-a` ASCII, `-S` swapped, `-i` binary columns, and with `-e` the error decode on following lines.
    /// - Parameters:
    ///   - warnings: Receives what can-utils would print to stderr (an invalid error class), for the caller
    ///     to write there; nothing is appended otherwise.
    public static func appendLong(_ frame: CANFrame, view: View, to buffer: inout [UInt8], warnings: inout [UInt8]) {
        let start = buffer.count
        let maximum = frame.isFD ? 64 : 8
        let length = min(frame.count, maximum)
        // A 15-character field holds the id and the bracketed length; the data starts inside it.
        ByteText.appendSpaces(15, to: &buffer)
        var offset: Int
        func put(_ value: UInt32, digits: Int, at position: Int) {
            var v = value
            for i in stride(from: digits - 1, through: 0, by: -1) {
                buffer[start + position + i] = ByteText.hexDigit(v)
                v >>= 4
            }
        }
        if frame.isError {
            put(frame.rawID & (CANFrame.errorMask | CANFrame.errorFlag), digits: 8, at: 0)
            offset = 10
        } else if frame.isExtended {
            put(frame.rawID & CANFrame.errorMask, digits: 8, at: 0)
            offset = 10
        } else if view.indentStandardIDs {
            put(frame.rawID & CANID.standardMax, digits: 3, at: 5)
            offset = 10
        } else {
            put(frame.rawID & CANID.standardMax, digits: 3, at: 0)
            offset = 5
        }
        if !frame.isFD {
            if view.rawDLC {
                // master's lib.c falls back to the length unless an 8-byte frame has a raw DLC 9…F.
                let dlc = length == 8 && frame.len8DLC > 8 ? Int(frame.len8DLC & 0x0F) : length
                buffer[start + offset + 1] = UInt8(ascii: "{")
                buffer[start + offset + 2] = ByteText.hexDigit(dlc)
                buffer[start + offset + 3] = UInt8(ascii: "}")
            } else {
                buffer[start + offset + 1] = UInt8(ascii: "[")
                buffer[start + offset + 2] = UInt8(ascii: "0") + UInt8(length)
                buffer[start + offset + 3] = UInt8(ascii: "]")
            }
            if frame.rawID & CANFrame.remoteFlag != 0 {
                buffer.removeSubrange((start + offset + 5)...)
                buffer.append(contentsOf: " remote request".utf8)
                // fprint_long_canframe still decodes an error frame that (oddly) has CAN_RTR_FLAG set.
                appendErrorDecode(frame, view: view, longStart: start, to: &buffer, warnings: &warnings)
                return
            }
        } else {
            buffer[start + offset] = UInt8(ascii: "[")
            buffer[start + offset + 1] = UInt8(ascii: "0") + UInt8(length / 10)
            buffer[start + offset + 2] = UInt8(ascii: "0") + UInt8(length % 10)
            buffer[start + offset + 3] = UInt8(ascii: "]")
        }
        offset += 5
        buffer.removeSubrange((start + offset)...)

        let columnWidth = view.binary ? 9 : 3
        frame.withUnsafeData { data in
            if view.binary {
                for k in 0..<length {
                    let i = view.swap ? length - 1 - k : k
                    buffer.append(view.swap && k > 0 ? UInt8(ascii: "`") : space)
                    for bit in stride(from: 7, through: 0, by: -1) {
                        buffer.append(data[i] & (1 << bit) != 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                    }
                }
            } else {
                for k in 0..<length {
                    let i = view.swap ? length - 1 - k : k
                    buffer.append(view.swap && k > 0 ? UInt8(ascii: "`") : space)
                    ByteText.appendHexByte(data[i], to: &buffer)
                }
            }
        }

        if length <= 8 {
            if frame.isError {
                appendRightAligned("ERRORFRAME", width: columnWidth * (8 - length) + 13, to: &buffer)
            } else if view.ascii {
                let quote: StaticString = view.swap ? "`" : "'"
                appendRightAligned(quote, width: columnWidth * (8 - length) + 4, to: &buffer)
                frame.withUnsafeData { data in
                    for k in 0..<length {
                        let byte = data[view.swap ? length - 1 - k : k]
                        buffer.append(byte > 0x1F && byte < 0x7F ? byte : UInt8(ascii: "."))
                    }
                }
                buffer.append(view.swap ? UInt8(ascii: "`") : UInt8(ascii: "'"))
            }
        }

        appendErrorDecode(frame, view: view, longStart: start, to: &buffer, warnings: &warnings)
    }

    /// fprint_long_canframe's `-e` part: "\n\t" then snprintf_can_error_frame's text, which can-utils writes
    /// into the buffer that still holds the long form; when it writes nothing, the long form appears again.
    static func appendErrorDecode(_ frame: CANFrame, view: View, longStart start: Int, to buffer: inout [UInt8],
                                  warnings: inout [UInt8]) {
        guard view.errorDecode, let error = CANErrorFrame(frame) else { return }
        let longEnd = buffer.count
        buffer.append(contentsOf: [0x0A, 0x09])
        if !error.hasValidClass {
            CANErrorFrame.append("Error class 0x", to: &warnings)
            appendHexTrimmed(error.classes.rawValue, to: &warnings)
            CANErrorFrame.append(" is invalid\n", to: &warnings)
        }
        if error.appendText(separator: "\n\t", to: &buffer) == 0 {
            buffer.append(contentsOf: buffer[start..<longEnd])
        }
    }

    /// Appends the long form like ``appendLong(_:view:to:warnings:)``, writing any warning
    /// ("Error class 0x400 is invalid") straight to stderr as can-utils does.
    public static func appendLong(_ frame: CANFrame, view: View, to buffer: inout [UInt8]) {
        var warnings: [UInt8] = []
        appendLong(frame, view: view, to: &buffer, warnings: &warnings)
        if !warnings.isEmpty {
            try? FileDescriptor.standardError.writeAll(warnings)
        }
    }

    /// printf's `%x` without padding.
    static func appendHexTrimmed(_ value: UInt32, to buffer: inout [UInt8]) {
        ByteText.appendHex(value, .lower, to: &buffer)
    }

    /// The long form as a string.
    public static func long(_ frame: CANFrame, view: View = View()) -> String {
        var buffer: [UInt8] = []
        appendLong(frame, view: view, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// printf's `%*s`: `text` right-aligned in `width` columns (never truncated).
    static func appendRightAligned(_ text: StaticString, width: Int, to buffer: inout [UInt8]) {
        ByteText.appendRightAligned(text, width: width, to: &buffer)
    }
}
