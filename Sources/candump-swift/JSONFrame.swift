import CANSocket
import SocketBase

/// `--json`: one JSON object per frame, one per line, formatted without allocation.
///
/// `{"timestamp":1700000000.123456,"interface":"vcan0","id":"123","extended":false,"remote":false,
/// "error":false,"fd":false,"brs":false,"esi":false,"len":4,"data":"DEADBEEF","direction":"rx"}`
///
/// A CAN XL frame has its own fields (hex as candump prints them):
/// `{"timestamp":…,"interface":"vcan0","xl":true,"priority":"598","vcid":"39","flags":"82","sec":false,
/// "rrs":true,"sdt":"4A","af":"3239B34A","len":2,"data":"3CAB","direction":"tx"}`
enum JSONFrame {
    static func append(_ received: CANReceivedAnyFrame, to buffer: inout [UInt8]) {
        switch received.frame {
        case .can(let frame):
            append(frame, received, to: &buffer)
        case .xl(let frame):
            appendStart(received.timestamp, received.interface, to: &buffer)
            buffer.append(contentsOf: #"","xl":true,"priority":""#.utf8)
            ByteText.appendHex(UInt32(frame.priority), digits: 3, to: &buffer)
            buffer.append(contentsOf: #"","vcid":""#.utf8)
            ByteText.appendHexByte(frame.vcid, to: &buffer)
            buffer.append(contentsOf: #"","flags":""#.utf8)
            ByteText.appendHexByte(frame.flags.rawValue, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
            appendField("sec", frame.flags.contains(.simpleExtendedContent), to: &buffer)
            appendField("rrs", frame.flags.contains(.remoteRequestSubstitution), to: &buffer)
            buffer.append(contentsOf: #","sdt":""#.utf8)
            ByteText.appendHexByte(frame.serviceDataUnitType, to: &buffer)
            buffer.append(contentsOf: #"","af":""#.utf8)
            ByteText.appendHex(frame.acceptanceField, digits: 8, to: &buffer)
            buffer.append(contentsOf: #"","len":"#.utf8)
            CANFrameText.appendDecimal(UInt64(frame.data.count), width: 1, to: &buffer)
            buffer.append(contentsOf: #","data":""#.utf8)
            frame.data.withUnsafeBufferPointer { data in
                for byte in data { ByteText.appendHexByte(byte, to: &buffer) }
            }
            appendEnd(received.origin, to: &buffer)
        }
    }

    private static func append(_ frame: CANFrame, _ received: CANReceivedAnyFrame, to buffer: inout [UInt8]) {
        appendStart(received.timestamp, received.interface, to: &buffer)
        buffer.append(contentsOf: #"","id":""#.utf8)
        let id = frame.id.rawValue
        ByteText.appendHex(id, digits: frame.isExtended ? 8 : 3, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        appendField("extended", frame.isExtended, to: &buffer)
        appendField("remote", frame.isRemote, to: &buffer)
        appendField("error", frame.isError, to: &buffer)
        appendField("fd", frame.isFD, to: &buffer)
        appendField("brs", frame.isFD && frame.fdFlags.contains(.bitRateSwitch), to: &buffer)
        appendField("esi", frame.isFD && frame.fdFlags.contains(.errorStateIndicator), to: &buffer)
        buffer.append(contentsOf: #","len":"#.utf8)
        CANFrameText.appendDecimal(UInt64(frame.count), width: 1, to: &buffer)
        buffer.append(contentsOf: #","data":""#.utf8)
        if !frame.isRemote {
            frame.withUnsafeData { data in
                for byte in data { ByteText.appendHexByte(byte, to: &buffer) }
            }
        }
        appendEnd(received.origin, to: &buffer)
    }

    /// `{"timestamp":…,"interface":"…` (the value's closing quote is the caller's).
    private static func appendStart(_ timestamp: KernelTimestamp, _ interface: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #"{"timestamp":"#.utf8)
        CANFrameText.appendDecimal(UInt64(max(0, timestamp.seconds)), width: 1, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        CANFrameText.appendDecimal(UInt64(timestamp.microseconds), width: 6, to: &buffer)
        buffer.append(contentsOf: #","interface":""#.utf8)
        for byte in interface.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { buffer.append(UInt8(ascii: "\\")) }
            buffer.append(byte)
        }
    }

    /// `","direction":"tx"}` and the line end (after a closed string value).
    private static func appendEnd(_ origin: CANReceivedFrame.Origin, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #"","direction":""#.utf8)
        buffer.append(contentsOf: (origin.isTransmitted ? "tx" : "rx").utf8)
        buffer.append(contentsOf: "\"}\n".utf8)
    }

    private static func appendField(_ name: StaticString, _ value: Bool, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #",""#.utf8)
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        buffer.append(contentsOf: (value ? "\":true" : "\":false").utf8)
    }
}
