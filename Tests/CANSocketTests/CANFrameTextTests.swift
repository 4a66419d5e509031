import Testing

@testable import CANSocket

// Expected strings worked out from can-utils 2020.11.0 lib.c (sprint_canframe, parse_canframe,
// sprint_long_canframe), not copied from program output.

@Suite("cansend / candump log frame syntax")
struct CANFrameCompactTests {
    @Test(arguments: [
        ("123#DEADBEEF", "123#DEADBEEF"),
        ("123#deadbeef", "123#DEADBEEF"),
        ("123#DE.AD.BE.EF", "123#DEADBEEF"),
        ("123#", "123#"),
        ("12345678#00", "12345678#00"),
        ("1FFFFFFF#1122334455667788", "1FFFFFFF#1122334455667788"),
        ("123#R", "123#R"),
        ("123#R0", "123#R"),           // a DLC of 0 is not printed
        ("123#r3", "123#R3"),
        ("00000123#R8", "00000123#R8"),
        ("123##1AABB", "123##1AABB"),
        ("123##0", "123##0"),
        ("123##f.11.22", "123##F1122"),
        ("20000004#0004000000000000", "20000004#0004000000000000"),  // error frame: no EFF flag
        ("123#AA.", "123#AA"),          // a trailing separator is allowed
    ])
    func parseThenPrint(input: String, printed: String) throws {
        let frame = try CANFrameText.parse(input)
        #expect(CANFrameText.compact(frame) == printed)
        // What candump -L writes parses back to the same frame.
        #expect(try CANFrameText.parse(printed) == frame)
    }

    @Test func parsedFields() throws {
        let extended = try CANFrameText.parse("12345678#0102")
        #expect(extended.rawID == 0x9234_5678 && extended.data == [1, 2])
        let error = try CANFrameText.parse("2000000C#0010080A0000557F")
        #expect(error.isError && !error.isExtended && error.rawID == 0x2000_000C && error.count == 8)
        let remote = try CANFrameText.parse("7FF#R5")
        #expect(remote.isRemote && remote.count == 5 && remote.rawID == 0x4000_07FF)
        let fd = try CANFrameText.parse("123##3" + String(repeating: "AB", count: 64))
        #expect(fd.isFD && fd.count == 64 && fd.fdFlags == [.bitRateSwitch, .errorStateIndicator])
        // parse_canframe keeps the flags nibble as written (no FDF added), as cansend sends it.
        #expect(fd.rawFlagsByte == 3)
    }

    @Test func separatorsInPrint() throws {
        let frame = try CANFrameText.parse("123#DEADBEEF")
        #expect(CANFrameText.compact(frame, separator: true) == "123#DE.AD.BE.EF")
        #expect(CANFrameText.compact(try CANFrameText.parse("123##1AABB"), separator: true) == "123##1.AA.BB")
        #expect(CANFrameText.compact(try CANFrameText.parse("123##1"), separator: true) == "123##1")
    }

    @Test(arguments: [
        ("12#1", 3),                     // neither cs[3] nor cs[8] is '#': the id ends too early
        ("1G3#00", 2),                   // not a hex digit in the id
        ("800#00", 1),                   // 3 digits, but above 0x7FF
        ("123#ABC", 8),                  // odd number of digits
        ("123#11..22", 8),               // one separator per byte only
        ("123##", 6),                    // FD needs a flags digit
        ("123#112233445566778899", 21),  // a ninth byte
        ("123#R9", 6),                   // remote DLC above 8
        ("123#Rx", 6),
        ("", 1),
    ])
    func parseErrorsSayWhere(input: String, column: Int) {
        #expect(throws: CANTextParseError.self) { try CANFrameText.parse(input) }
        do {
            _ = try CANFrameText.parse(input)
        } catch {
            #expect(error.column == column, "\(input): \(error)")
            #expect(!error.message.isEmpty)
        }
    }
}

@Suite("candump screen frame form")
struct CANFrameLongTests {
    func long(_ text: String, _ configure: (inout CANFrameText.View) -> Void = { _ in }) throws -> String {
        var view = CANFrameText.View()
        configure(&view)
        var buffer: [UInt8] = []
        var warnings: [UInt8] = []
        CANFrameText.appendLong(try CANFrameText.parse(text), view: view, to: &buffer, warnings: &warnings)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func classic() throws {
        // 15 spaces, id at 0, '[' at offset 5+1, data after two spaces.
        #expect(try long("123#DEADBEEF") == "123   [4]  DE AD BE EF")
        #expect(try long("123#") == "123   [0] ")
        #expect(try long("123#DEADBEEF") { $0.indentStandardIDs = true } == "     123   [4]  DE AD BE EF")
        #expect(try long("12345678#01") == "12345678   [1]  01")
    }

    @Test func remote() throws {
        #expect(try long("123#R3") == "123   [3]  remote request")
        #expect(try long("1ABCDEF0#R") == "1ABCDEF0   [0]  remote request")
    }

    @Test func fd() throws {
        #expect(try long("123##1AABB") == "123  [02]  AA BB")
        #expect(try long("00000001##0" + String(repeating: "11", count: 12)) == "00000001  [12] " + String(repeating: " 11", count: 12))
        // ASCII is only for up to 8 bytes.
        #expect(try long("123##0" + String(repeating: "41", count: 12)) { $0.ascii = true } == "123  [12] " + String(repeating: " 41", count: 12))
        #expect(try long("123##04142") { $0.ascii = true } == "123  [02]  41 42" + String(repeating: " ", count: 21) + "'AB'")
    }

    @Test func asciiSwapBinary() throws {
        // %*s with width 3*(8-len)+4 = 22 for two bytes: 21 spaces and the quote.
        #expect(try long("123#4101") { $0.ascii = true } == "123   [2]  41 01" + String(repeating: " ", count: 21) + "'A.'")
        #expect(try long("123#4101") { $0.swap = true } == "123   [2]  01`41")
        #expect(try long("123#4101") { $0.swap = true; $0.ascii = true } == "123   [2]  01`41" + String(repeating: " ", count: 21) + "`.A`")
        #expect(try long("123#A501") { $0.binary = true } == "123   [2]  10100101 00000001")
        // Binary columns are 9 wide: 9*(8-2)+4 = 58.
        #expect(try long("123#A501") { $0.binary = true; $0.swap = true; $0.ascii = true }
                == "123   [2]  00000001`10100101" + String(repeating: " ", count: 57) + "`..`")
        // 0x20 and 0x7E print, 0x1F and 0x7F do not.
        #expect(try long("123#1F207E7F") { $0.ascii = true }.hasSuffix("'. ~.'"))
    }

    @Test func errorFrame() throws {
        // ERRORFRAME right-aligned in 3*(8-len)+13 columns.
        #expect(try long("20000004#0004000000000000") == "20000004   [8]  00 04 00 00 00 00 00 00   ERRORFRAME")
        // The 15-character id field ends in a space; then %*s pads ERRORFRAME to 3*8+13 = 37 columns.
        #expect(try long("20000080#") == "20000080   [0] " + String(repeating: " ", count: 27) + "ERRORFRAME")
        #expect(try long("20000004#0004000000000000") { $0.errorDecode = true }
                == "20000004   [8]  00 04 00 00 00 00 00 00   ERRORFRAME\n\tcontroller-problem{rx-error-warning}")
    }

    @Test func errorDecodeWithNothingToSayRepeatsTheLine() throws {
        // snprintf_can_error_frame writes nothing for class 0 without counters; fprint_long_canframe then
        // prints its buffer, which still holds the long form.
        let line = "20000000   [8]  00 00 00 00 00 00 00 00   ERRORFRAME"
        #expect(try long("20000000#0000000000000000") { $0.errorDecode = true } == line + "\n\t" + line)
    }

    @Test func invalidErrorClassWarns() throws {
        var view = CANFrameText.View()
        view.errorDecode = true
        var buffer: [UInt8] = []
        var warnings: [UInt8] = []
        CANFrameText.appendLong(try CANFrameText.parse("20000401#0000000000000000"), view: view, to: &buffer, warnings: &warnings)
        #expect(String(decoding: warnings, as: UTF8.self) == "Error class 0x401 is invalid\n")
        let line = "20000401   [8]  00 00 00 00 00 00 00 00   ERRORFRAME"
        #expect(String(decoding: buffer, as: UTF8.self) == line + "\n\t" + line)
    }

    @Test func remoteErrorFrameIsStillDecoded() throws {
        // sprint_long_canframe returns early for RTR, but fprint_long_canframe decodes all the same.
        #expect(try long("20000040#R") { $0.errorDecode = true } == "20000040   [0]  remote request\n\tbus-off")
    }
}
