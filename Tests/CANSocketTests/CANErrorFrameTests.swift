import CCANShims
import Testing

@testable import CANSocket

@Suite("CANErrorFrame")
struct CANErrorFrameTests {
    @Test func classesMatchTheCHeader() {
        #expect(CANErrorFrame.Classes.txTimeout.rawValue == CAN_ERR_TX_TIMEOUT)
        #expect(CANErrorFrame.Classes.lostArbitration.rawValue == CAN_ERR_LOSTARB)
        #expect(CANErrorFrame.Classes.controller.rawValue == CAN_ERR_CRTL)
        #expect(CANErrorFrame.Classes.protocolViolation.rawValue == CAN_ERR_PROT)
        #expect(CANErrorFrame.Classes.transceiver.rawValue == CAN_ERR_TRX)
        #expect(CANErrorFrame.Classes.noAcknowledgement.rawValue == CAN_ERR_ACK)
        #expect(CANErrorFrame.Classes.busOff.rawValue == CAN_ERR_BUSOFF)
        #expect(CANErrorFrame.Classes.busError.rawValue == CAN_ERR_BUSERROR)
        #expect(CANErrorFrame.Classes.restarted.rawValue == CAN_ERR_RESTARTED)
        #expect(CANErrorFrame.Classes.counters.rawValue == CAN_ERR_CNT)
        #expect(CANErrorFrame.ControllerProblems.active.rawValue == CAN_ERR_CRTL_ACTIVE)
        #expect(CANErrorFrame.ControllerProblems.txPassive.rawValue == CAN_ERR_CRTL_TX_PASSIVE)
        #expect(CANErrorFrame.ProtocolViolations.errorOnTransmission.rawValue == CAN_ERR_PROT_TX)
        #expect(CANErrorFrame.ProtocolViolationLocation.acknowledgeDelimiter.rawValue == CAN_ERR_PROT_LOC_ACK_DEL)
        #expect(CANErrorFrame.TransceiverStatus.canLowShortToCANHigh.rawValue == CAN_ERR_TRX_CANL_SHORT_TO_CANH)
    }

    @Test func decodesTheParts() throws {
        let frame = try CANFrame(errorClass: 0x0000_00AE, data: [5, 0x14, 0x0C, 0x0A, 0x07, 0, 0x60, 0x81])
        let error = try #require(CANErrorFrame(frame))
        #expect(error.classes == [.lostArbitration, .controller, .protocolViolation, .noAcknowledgement, .busError])
        #expect(error.arbitrationLostBit == 5)
        #expect(error.controllerProblems == [.rxWarning, .rxPassive])
        #expect(error.protocolViolations == [.bitStuffing, .dominantBit])
        #expect(error.protocolViolationLocation == .dataField && error.protocolViolationLocation.description == "data-field")
        #expect(error.transceiverStatus == .canHighShortToGround)
        #expect(error.transmitErrorCounter == 0x60 && error.receiveErrorCounter == 0x81)
        #expect(error.frame == frame)
        #expect(CANErrorFrame(try CANFrame(id: CANID(standard: 1), data: [])) == nil)
    }

    @Test func textAsCanUtilsWritesIt() throws {
        func text(_ id: UInt32, _ data: [UInt8], separator: StaticString = ",") throws -> String {
            try #require(CANErrorFrame(try CANFrame(errorClass: id, data: data))).text(separator: separator)
        }
        #expect(try text(0x002, [7, 0, 0, 0, 0, 0, 0, 0]) == "lost-arbitration{at bit 7}")
        #expect(try text(0x004, [0, 0x41, 0, 0, 0, 0, 0, 0]) == "controller-problem{rx-overflow,back-to-error-active}")
        #expect(try text(0x004, [0, 0, 0, 0, 0, 0, 0, 0]) == "controller-problem{}")
        #expect(try text(0x008, [0, 0, 0x81, 0x1B, 0, 0, 0, 0]) == "protocol-violation{{single-bit-error,error-on-tx}{acknowledge-delimiter}}")
        // Location 0 and locations past the table print nothing between the braces.
        #expect(try text(0x008, [0, 0, 0, 0, 0, 0, 0, 0]) == "protocol-violation{{}{}}")
        #expect(try text(0x008, [0, 0, 0, 0x20, 0, 0, 0, 0]) == "protocol-violation{{}{}}")
        #expect(try text(0x141, [0, 0, 0, 0, 0, 0, 0, 0]) == "tx-timeout,bus-off,restarted-after-bus-off")
        #expect(try text(0x060, [0, 0, 0, 0, 0, 0, 0, 0], separator: "\n\t") == "no-acknowledgement-on-tx\n\tbus-off")
        // The counters come after a separator even with no class before them.
        #expect(try text(0x200, [0, 0, 0, 0, 0, 0, 1, 200]) == ",error-counter-tx-rx{{1}{200}}")
        #expect(try text(0x000, [0, 0, 0, 0, 0, 0, 0, 0]) == "")
        #expect(try text(0x400, [0, 0, 0, 0, 0, 0, 1, 1]) == "")  // invalid class: nothing
    }

    @Test func appendsIntoTheReservedBufferWithoutGrowingIt() throws {
        let error = try #require(CANErrorFrame(try CANFrame(errorClass: 0xFF, data: [1, 0x7F, 0xFF, 0x1F, 0x80, 0, 9, 9])))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        let base = buffer.withUnsafeBufferPointer { $0.baseAddress }
        let written = error.appendText(separator: "\n\t", to: &buffer)
        #expect(written == buffer.count && written > 200)
        #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == base)
    }
}
