import CCANShims
import Testing

@testable import CANSocket

/// Frame equality across the ways a frame comes to be (parsed, built, received), and literals without `try`.
@Suite struct CANFrameValueTests {
    @Test func fdFormatFlagIsTheKernelConstant() {
        #expect(CANFDFlags.fdFormat.rawValue == CANFD_FDF)
        #expect(CANFDFlags.bitRateSwitch.rawValue == CANFD_BRS && CANFDFlags.errorStateIndicator.rawValue == CANFD_ESI)
    }

    /// `456##3…` (can-utils 2020.11 style, no FDF in the nibble) and `##7` (current can-utils) are the same
    /// frame as one built with BRS + ESI, which carries FDF as the kernel does.
    @Test(arguments: ["456##3AABBCCDD", "456##7AABBCCDD"])
    func parsedFDFrameEqualsBuiltFrame(text: String) throws {
        let parsed = try CANFrameText.parse(text)
        let built = try CANFrame(fd: CANID(standard: 0x456), data: [0xAA, 0xBB, 0xCC, 0xDD],
                                 flags: [.bitRateSwitch, .errorStateIndicator])
        #expect(built.fdFlags.contains(.fdFormat))
        #expect(parsed == built && built == parsed)
        #expect(parsed.hashValue == built.hashValue)
        #expect(Set([parsed, built]).count == 1)
        // What the kernel hands back for the built frame (FDF set) equals both too.
        let received = try CANFrame(kernelBytes: built.kernelBytes)
        #expect(received == parsed)
        // The text keeps what it said: equality ignores FDF, printing does not.
        #expect(CANFrameText.compact(parsed) == text)
    }

    @Test func fdFlagsStillMatter() throws {
        let brs = try CANFrameText.parse("456##1AA")
        let esi = try CANFrameText.parse("456##2AA")
        let none = try CANFrameText.parse("456##0AA")
        #expect(brs != esi && brs != none && esi != none)
        #expect(none == (try CANFrame(fd: CANID(standard: 0x456), data: [0xAA])))
        // A classic frame is never equal to an FD frame with the same id and data.
        #expect(try CANFrameText.parse("456#AA") != none)
    }

    @Test func literalIDsNeedNoTry() throws {
        #expect(CANID.standard(0x123) == (try CANID(standard: 0x123)))
        #expect(CANID.standard(0x7FF) == (try CANID(standard: 0x7FF)))
        #expect(CANID.extended(0x1ABC_DEF0) == (try CANID(extended: 0x1ABC_DEF0)))
        #expect(CANID.extended(0x123) != CANID.standard(0x123))
        #expect(CANID.extended(0x123).isExtended && !CANID.standard(0x123).isExtended)
        let frame = try CANFrame(id: .standard(0x123), data: [0xDE, 0xAD])
        #expect(frame.id == CANID.standard(0x123))
    }

    @Test func literalFramesNeedNoTry() throws {
        let classic: CANFrame = "123#DEADBEEF"
        #expect(classic == (try CANFrame(id: CANID(standard: 0x123), data: [0xDE, 0xAD, 0xBE, 0xEF])))
        let fd: CANFrame = "456##3AABB"
        #expect(fd == (try CANFrame(fd: CANID(standard: 0x456), data: [0xAA, 0xBB], flags: [.bitRateSwitch, .errorStateIndicator])))
        let remote: CANFrame = "1ABCDEF0#R"
        #expect(remote == (try CANFrame(remote: CANID(extended: 0x1ABC_DEF0))))
        #expect(remote == (try CANFrameText.parse("1ABCDEF0#R")))
    }

    /// The named-field error frame is the same value as the one decoded from the same 8 bytes.
    @Test func errorFrameFromNamedFields() throws {
        let named = CANErrorFrame(classes: [.lostArbitration, .controller, .protocolViolation, .transceiver, .counters],
                                  arbitrationLostBit: 5, controllerProblems: [.rxPassive, .txPassive],
                                  protocolViolations: .init(rawValue: 0x0C), protocolViolationLocation: .dataField,
                                  transceiverStatus: .canLowShortToCANHigh, controllerSpecific: 0x33,
                                  transmitErrorCounter: 12, receiveErrorCounter: 130)
        let bytes: [UInt8] = [5, 0x30, 0x0C, 0x0A, 0x80, 0x33, 12, 130]
        let decoded = try #require(CANErrorFrame(try CANFrame(errorClass: 0x21E, data: bytes)))
        #expect(named == decoded && named.hashValue == decoded.hashValue)
        #expect(named.data == bytes)
        #expect(named.frame == (try CANFrame(errorClass: 0x21E, data: bytes)))
        #expect(named.transmitErrorCounter == 12 && named.receiveErrorCounter == 130 && named.arbitrationLostBit == 5)
        #expect(try CANErrorFrame(classes: named.classes, data: bytes) == named)
        #expect(try CANErrorFrame(classes: .busOff, data: [1]) == CANErrorFrame(classes: .busOff, arbitrationLostBit: 1))
        #expect(throws: CANFrameError.tooMuchData(count: 9, maximum: 8)) {
            try CANErrorFrame(classes: .busOff, data: [UInt8](repeating: 0, count: 9))
        }
    }
}
