import Testing

import SocketBase
@testable import CANSocket

@Suite("candump log lines")
struct CandumpLogTests {
    @Test func parseAndPrint() throws {
        let line = try CandumpLogLine(parsing: "(0000000001.000000) vcan0 123#DEADBEEF")
        #expect(line.timestamp == KernelTimestamp(seconds: 1, nanoseconds: 0))
        #expect(line.interface == "vcan0" && line.direction == nil)
        #expect(line.canFrame! == (try CANFrame(id: CANID(standard: 0x123), data: [0xDE, 0xAD, 0xBE, 0xEF])))
        #expect(line.description == "(0000000001.000000) vcan0 123#DEADBEEF")
        let sent = try CandumpLogLine(parsing: "(1700000000.123456) can1 12345678##5AA T")
        #expect(sent.direction == "T" && sent.canFrame!.isFD && sent.timestamp.microseconds == 123_456)
        #expect(sent.description == "(1700000000.123456) can1 12345678##5AA T")
    }

    /// A newer candump's `-N` log line: nine digits of nanoseconds, read into the one kernel timestamp.
    @Test func nanosecondTimestamps() throws {
        let line = try CandumpLogLine(parsing: "(1700000000.123456789) vcan0 123#DEADBEEF")
        #expect(line.timestamp == KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789))
        #expect(line.timestamp == KernelTimestamp(decimal: "1700000000.123456789"))
        // Printed back with the precision it was read with (candump -N's nine digits).
        #expect(line.description == "(1700000000.123456789) vcan0 123#DEADBEEF")
    }

    @Test func paddedNamesAndWidth() throws {
        let line = try CandumpLogLine(parsing: "(1700000000.000001)  vcan0 123#R")
        #expect(line.interface == "vcan0" && line.canFrame!.isRemote)
        var buffer: [UInt8] = []
        line.appendFormatted(to: &buffer, interfaceWidth: 6)
        #expect(String(decoding: buffer, as: UTF8.self) == "(1700000000.000001)  vcan0 123#R")
    }

    @Test(arguments: [
        ("1700000000.000001) vcan0 123#", 1),
        ("(1700000000.00001) vcan0 123#", 13),
        ("(9223372036.000000) vcan0 123#", 2),
        ("(1700000000.000001)vcan0 123#", 20),
        ("(1700000000.000001) vcan0", 26),
        ("(1700000000.000001) vcan0 123#GG", 31),
        ("(1700000000.000001) vcan0 123#00 X", 33),
    ])
    func errorsHaveColumns(text: String, column: Int) {
        do {
            _ = try CandumpLogLine(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.column == column, "\(text): \(error)")
        }
    }

    @Test func nanosecondTimestampsKeepTheirPrecision() throws {
        let line = try CandumpLogLine(parsing: "(1700000000.123456789) can0 123#11")
        #expect(line.timestamp == KernelTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789))
        #expect(line.precision == .nanoseconds)
        #expect(line.description == "(1700000000.123456789) can0 123#11")
        var micro = line
        micro.precision = .microseconds
        #expect(micro.description == "(1700000000.123456) can0 123#11")
        let six = try CandumpLogLine(parsing: "(1700000000.000042) can0 123#11")
        #expect(six.precision == .microseconds && six.timestamp.nanoseconds == 42_000)
    }

    /// `.5` is rejected, and the message says why (what canplayer would do with it) and where.
    @Test(arguments: ["(1700000001.5) can0 456##311223344", "(1700000001.12345678) can0 123#", "(1700000001.1234567890) can0 123#",
                      "(1700000001.) can0 123#"])
    func fractionsOtherThanSixOrNineDigitsAreRejected(text: String) {
        do {
            _ = try CandumpLogLine(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.column == 13, "\(error)")
            #expect(error.message.contains("6 (microseconds) or 9 (nanoseconds)"), "\(error)")
            if text.hasPrefix("(1700000001.5)") {
                #expect(error.message.contains("'.5'") && error.message.contains("5 µs"), "\(error)")
            }
        }
    }

    /// Every flags nibble current candump can write (it ORs FDF into BRS/ESI: `##4`…`##7`), and any other.
    @Test func fdFlagNibbles() throws {
        for nibble in 0..<16 {
            let digit = String(nibble, radix: 16, uppercase: true)
            let line = try CandumpLogLine(parsing: "(1700000000.000001) can0 456##\(digit)11223344")
            #expect(line.canFrame!.isFD && line.canFrame!.rawFlagsByte == UInt8(nibble) && line.canFrame!.count == 4)
            #expect(line.canFrame!.fdFlags.contains(.bitRateSwitch) == (nibble & 1 != 0))
            #expect(line.canFrame!.fdFlags.contains(.errorStateIndicator) == (nibble & 2 != 0))
            #expect(line.description == "(1700000000.000001) can0 456##\(digit)11223344")
        }
        #expect(throws: CANTextParseError.self) { try CandumpLogLine(parsing: "(1700000000.000001) can0 456##G11") }
    }

    @Test func len8DLCOnClassicFrames() throws {
        let data = try CandumpLogLine(parsing: "(1700000000.000001) can0 123#1122334455667788_B")
        #expect(data.canFrame!.len8DLC == 0xB && data.canFrame!.count == 8 && data.canFrame!.dlc == 0xB)
        #expect(data.description == "(1700000000.000001) can0 123#1122334455667788_B")
        // candump-swift's own output stays 2020.11's, which never writes the raw DLC.
        #expect(CANFrameText.compact(data.frame) == "123#1122334455667788")
        #expect(CANFrameText.compact(data.canFrame!, rawDLC: true) == "123#1122334455667788_B")
        let remote = try CandumpLogLine(parsing: "(1700000000.000001) can0 12345678#R8_F T")
        #expect(remote.canFrame!.isRemote && remote.canFrame!.count == 8 && remote.canFrame!.len8DLC == 0xF && remote.direction == "T")
        #expect(remote.description == "(1700000000.000001) can0 12345678#R8_F T")
        let plain = try CandumpLogLine(parsing: "(1700000000.000001) can0 123#1122334455667788")
        #expect(plain.canFrame!.len8DLC == 0 && plain.canFrame! != data.canFrame!)
        // Where can-utils would ignore the suffix (fewer than 8 bytes, a DLC of 8 or less), it is an error here.
        for (text, column) in [("(1700000000.000001) can0 123#11223344556677_B", 44),
                               ("(1700000000.000001) can0 123#1122334455667788_8", 47),
                               ("(1700000000.000001) can0 123#1122334455667788_", 47),
                               ("(1700000000.000001) can0 123#1122334455667788_BB", 48),
                               ("(1700000000.000001) can0 123##01122334455667788_B", 48)] {
            do {
                _ = try CandumpLogLine(parsing: text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.column == column, "\(text): \(error)")
            }
        }
    }

    @Test func errorFramesAndDirections() throws {
        let error = try CandumpLogLine(parsing: "(1700000000.000001) can0 20000080#0000000000000000 R")
        #expect(error.canFrame!.isError && error.canFrame!.count == 8 && error.direction == "R")
        #expect(error.description == "(1700000000.000001) can0 20000080#0000000000000000 R")
        #expect(throws: CANTextParseError.self) { try CandumpLogLine(parsing: "(1700000000.000001) can0 123#11 X") }
        #expect(throws: CANTextParseError.self) { try CandumpLogLine(parsing: "(1700000000.000001) can0 123#11 TT") }
    }

    /// CAN XL lines are told apart by the id field (5 digits) and read as XL frames; a 5-digit id where a classic
    /// frame is expected (``CANFrameText/parse(_:)``) is refused by name.
    @Test func canXLLinesAreRead() throws {
        let text = "(1700000000.000001) vcan2 39598#82:4A:3239B34A#3CAB T"
        #expect(CANFrameText.compactKind(Array("39598#82:4A:3239B34A#3CAB".utf8)) == .xl)
        #expect(CANFrameText.compactKind(Array("123##5AA".utf8)) == .can)
        let line = try CandumpLogLine(parsing: text)
        guard case .xl(let frame) = line.frame else { Issue.record("not XL: \(line.frame)"); return }
        #expect(frame.vcid == 0x39 && frame.priority == 0x598 && frame.flags.rawValue == 0x82 && frame.serviceDataUnitType == 0x4A
                && frame.acceptanceField == 0x3239B34A && frame.data == [0x3C, 0xAB] && line.direction == "T")
        #expect(line.canFrame == nil && line.description == text)
        do {
            _ = try CANFrameText.parse("39598#82:4A:3239B34A#3CAB")
            Issue.record("XL parsed as a classic frame")
        } catch {
            #expect(error.column == 1 && error.message.contains("CAN XL"), "\(error)")
        }
    }

    @Test func readerStopsOrSkipsWithLineNumbers() {
        let log = """
            (0000000001.000000) vcan0 123#01
            (0000000002.000000) vcan0 123#0
            (0000000003.000000) vcan0 123#03\r

            (0000000004.000000) vcan0 456#R
            """
        let stopping = Array(CandumpLogReader(text: log))
        #expect(stopping.count == 2)
        guard case .failure(let error) = stopping[1] else { Issue.record("no error"); return }
        #expect(error.line == 2 && error.column == 32)
        #expect(error.description.hasPrefix("line 2, column 32: "))

        let skipping = Array(CandumpLogReader(text: log, onError: .skip))
        #expect(skipping.count == 4)
        let frames = skipping.compactMap { try? $0.get().frame.description }
        #expect(frames == ["123#01", "123#03", "456#R"])
    }
}

@Suite("CandumpFormatter")
struct CandumpFormatterTests {
    func frame(_ text: String) throws -> CANFrame { try CANFrameText.parse(text) }

    @Test func deltaAndZeroTimestamps() throws {
        var delta = CandumpFormatter(options: .init(timestamp: .delta), commandLineNames: ["vcan0"])
        var zero = CandumpFormatter(options: .init(timestamp: .zero), commandLineNames: ["vcan0"])
        var d: [UInt8] = []
        var z: [UInt8] = []
        let times = [KernelTimestamp(seconds: 100, nanoseconds: 900_000_999), KernelTimestamp(seconds: 101, nanoseconds: 100_000_000),
                     KernelTimestamp(seconds: 100, nanoseconds: 0), KernelTimestamp(seconds: 1_100, nanoseconds: 5_000)]
        for time in times {
            delta.appendTimestampColumn(time, to: &d)
            zero.appendTimestampColumn(time, to: &z)
        }
        // Whole microseconds, borrow from the seconds, negative differences clamp to 0, at least 3 digits.
        #expect(String(decoding: d, as: UTF8.self) == "(000.000000) (000.200000) (000.000000) (1000.000005) ")
        #expect(String(decoding: z, as: UTF8.self) == "(000.000000) (000.200000) (000.000000) (999.100005) ")
    }

    @Test func screenLineShape() throws {
        var formatter = CandumpFormatter(options: .init(timestamp: .absolute, colorLevel: 2, extraInfo: true),
                                         commandLineNames: ["any"])
        var buffer: [UInt8] = []
        let time = KernelTimestamp(seconds: 12, nanoseconds: 345_678_000)
        formatter.append(frame: try frame("123##3AA"), interface: "can1", timestamp: time, origin: .remote, to: &buffer)
        formatter.append(frame: try frame("12345678#"), interface: "vcan10", timestamp: time, origin: .localHost, to: &buffer)
        formatter.append(frame: try frame("123#"), interface: "can1", timestamp: time, origin: .ownSocket, to: &buffer)
        let blue = "\u{1B}[1m\u{1B}[34m", red = "\u{1B}[1m\u{1B}[31m", off = "\u{1B}[0m"
        #expect(String(decoding: buffer, as: UTF8.self) == """
             (0000000012.345678)  \(blue)can1  RX B E  123  [01]  AA\(off)
             (0000000012.345678)  \(red)vcan10  TX - -  12345678   [0] \(off)
             (0000000012.345678)  \(blue)  can1  TX - -       123   [0] \(off)

            """)
        #expect(formatter.interfaces == ["can1", "vcan10"] && formatter.interfaceWidth == 6)
    }

    @Test func logFormatOption() throws {
        var formatter = CandumpFormatter(options: .init(extraInfo: true, logFormat: true), commandLineNames: ["vcan0"])
        var buffer: [UInt8] = []
        formatter.append(frame: try frame("1ABCDEF0#R"), interface: "vcan0", timestamp: KernelTimestamp(seconds: 7, nanoseconds: 999),
                         origin: .remote, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "(0000000007.000000) vcan0 1ABCDEF0#R R\n")
    }

    @Test func dropCountLine() {
        var buffer: [UInt8] = []
        CandumpFormatter.appendDropCount(dropped: 1, interface: "vcan0", total: 1, to: &buffer)
        CandumpFormatter.appendDropCount(dropped: 3, interface: "can1", total: 0xFFFF_FFFF, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == """
            DROPCOUNT: dropped 1 CAN frame on 'vcan0' socket (total drops 1)
            DROPCOUNT: dropped 3 CAN frames on 'can1' socket (total drops -1)

            """)
    }

    @Test func warmFormatterKeepsItsBuffer() throws {
        var formatter = CandumpFormatter(options: .init(timestamp: .absolute, ascii: true, errorDecode: true),
                                         commandLineNames: ["vcan0"])
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        let frames = [try frame("123#DEADBEEF"), try frame("123##1" + String(repeating: "55", count: 64)),
                      try frame("200000FF#02FF0F1FFF000000")]
        formatter.append(frame: frames[0], interface: "vcan0", timestamp: .init(seconds: 1, nanoseconds: 0), origin: .remote, to: &buffer)
        let base = buffer.withUnsafeBufferPointer { $0.baseAddress }
        for _ in 0..<50 {
            for frame in frames {
                formatter.append(frame: frame, interface: "vcan0", timestamp: .init(seconds: 1, nanoseconds: 0), origin: .remote, to: &buffer)
            }
        }
        #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == base)
        #expect(buffer.count > 50 * 300)
    }
}
