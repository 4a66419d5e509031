import CANSocket
import SocketBase

/// `--json`: one JSON object per frame, one per line, formatted without allocation.
///
/// `{"timestamp":1700000000.123456,"interface":"vcan0","id":"123","extended":false,"remote":false,
/// "error":false,"fd":false,"brs":false,"esi":false,"len":4,"data":"DEADBEEF","direction":"rx"}`
enum JSONFrame {
    static func append(_ received: CANReceivedFrame, to buffer: inout [UInt8]) {
        let frame = received.frame
        buffer.append(contentsOf: #"{"timestamp":"#.utf8)
        CANFrameText.appendDecimal(UInt64(max(0, received.timestamp.seconds)), width: 1, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        CANFrameText.appendDecimal(UInt64(received.timestamp.microseconds), width: 6, to: &buffer)
        buffer.append(contentsOf: #","interface":""#.utf8)
        for byte in received.interface.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { buffer.append(UInt8(ascii: "\\")) }
            buffer.append(byte)
        }
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
        buffer.append(contentsOf: #"","direction":""#.utf8)
        buffer.append(contentsOf: (received.origin.isTransmitted ? "tx" : "rx").utf8)
        buffer.append(contentsOf: "\"}\n".utf8)
    }

    private static func appendField(_ name: StaticString, _ value: Bool, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: #",""#.utf8)
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        buffer.append(contentsOf: (value ? "\":true" : "\":false").utf8)
    }
}
