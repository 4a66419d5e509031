import Testing
@testable import UDS

@Suite("ECU simulator: NRC order and service logic")
struct SimulatorTests {
    func answer(_ simulator: ECUSimulator, _ request: [UInt8]) -> [UInt8]? {
        simulator.handle(request).compactMap { if case .send(let pdu) = $0 { pdu } else { nil } }.last
    }

    @Test func nrcOrderFollowsISO14229() {
        let ecu = ECUSimulator(.sample)
        // An unknown service is refused first, whatever else is wrong with it.
        #expect(answer(ecu, [0x83]) == [0x7F, 0x83, 0x11])
        // A service not allowed in the default session: 0x7F before its sub-function is looked at.
        #expect(answer(ecu, [0x31, 0x7F]) == [0x7F, 0x31, 0x7F])
        // A missing sub-function is a length error.
        #expect(answer(ecu, [0x10]) == [0x7F, 0x10, 0x13])
        // An unsupported sub-function beats a wrong length (0x12 before 0x13).
        #expect(answer(ecu, [0x11, 0x09, 0x00, 0x00]) == [0x7F, 0x11, 0x12])
        #expect(answer(ecu, [0x11, 0x01, 0x00]) == [0x7F, 0x11, 0x13])
        // ReadDataByIdentifier: length before range.
        #expect(answer(ecu, [0x22, 0xF1]) == [0x7F, 0x22, 0x13])
        #expect(answer(ecu, [0x22, 0x12, 0x34]) == [0x7F, 0x22, 0x31])
        // WriteDataByIdentifier: length, range, then security.
        #expect(answer(ecu, [0x2E, 0x01]) == [0x7F, 0x2E, 0x13])
        #expect(answer(ecu, [0x2E, 0xF1, 0x90, 0x00]) == [0x7F, 0x2E, 0x31])
        #expect(answer(ecu, [0x2E, 0x01, 0x00, 0x01]) == [0x7F, 0x2E, 0x13])
        #expect(answer(ecu, [0x2E, 0x01, 0x00, 0x01, 0x02]) == [0x7F, 0x2E, 0x33])
        // In the extended session: routine sequence and range.
        #expect(answer(ecu, [0x10, 0x03])?.first == 0x50)
        #expect(answer(ecu, [0x31, 0x03, 0xFF, 0x00]) == [0x7F, 0x31, 0x24])
        #expect(answer(ecu, [0x31, 0x01, 0x12, 0x34]) == [0x7F, 0x31, 0x31])
        // SecurityAccess: sendKey without a seed is a sequence error; a wrong key invalidKey, then attempts.
        #expect(answer(ecu, [0x27, 0x02, 0x00]) == [0x7F, 0x27, 0x24])
        #expect(answer(ecu, [0x27, 0x05]) == [0x7F, 0x27, 0x12])
        for expected: UInt8 in [0x35, 0x35, 0x36] {
            #expect(answer(ecu, [0x27, 0x01]) == [0x67, 0x01, 0x11, 0x22, 0x33, 0x44])
            #expect(answer(ecu, [0x27, 0x02, 0, 0, 0, 0]) == [0x7F, 0x27, expected])
        }
        // TransferData without RequestDownload.
        #expect(answer(ecu, [0x36, 0x01, 0x00]) == [0x7F, 0x36, 0x24])
    }

    @Test func suppressBitSilencesOnlyPositiveAnswers() {
        let ecu = ECUSimulator(.sample)
        #expect(ecu.handle([0x3E, 0x80]).isEmpty)
        #expect(answer(ecu, [0x3E, 0x00]) == [0x7E, 0x00])
        // A negative answer is still sent with the bit set.
        #expect(answer(ecu, [0x11, 0x89]) == [0x7F, 0x11, 0x12])
    }

    @Test func injectedBehaviour() {
        var c = ECUSimulatorConfiguration.sample
        c.injections = [.init(match: [0x22, 0xF1, 0x90], behaviour: .pending(count: 2, interval: .milliseconds(5)), times: 1),
                        .init(match: [0x22, 0xF1, 0x87], behaviour: .busy, times: 1),
                        .init(match: [0x14], behaviour: .negative(.conditionsNotCorrect)),
                        .init(match: [0x11], behaviour: .silent)]
        let ecu = ECUSimulator(c)
        let steps = ecu.handle([0x22, 0xF1, 0x90])
        #expect(steps.count == 5)
        #expect(steps[0] == .send([0x7F, 0x22, 0x78]))
        #expect(steps[1] == .pause(.milliseconds(5)))
        #expect(steps[4] == .send([0x62, 0xF1, 0x90] + Array("WVWZZZ1JZXW000001".utf8)))
        // Only once.
        #expect(ecu.handle([0x22, 0xF1, 0x90]).count == 1)
        #expect(answer(ecu, [0x22, 0xF1, 0x87]) == [0x7F, 0x22, 0x21])
        #expect(answer(ecu, [0x22, 0xF1, 0x87])?.first == 0x62)
        #expect(answer(ecu, [0x14, 0xFF, 0xFF, 0xFF]) == [0x7F, 0x14, 0x22])
        #expect(ecu.handle([0x11, 0x01]).isEmpty)
    }

    @Test func downloadChecksSequenceCounters() {
        let ecu = ECUSimulator(.sample)
        _ = ecu.handle([0x10, 0x02])
        _ = ecu.handle([0x27, 0x01])
        #expect(answer(ecu, [0x27, 0x02] + sampleKey([0x11, 0x22, 0x33, 0x44])) == [0x67, 0x02])
        #expect(answer(ecu, [0x34, 0x00, 0x22, 0x10, 0x00, 0x00, 0x04]) == [0x74, 0x20, 0x00, 130])
        #expect(answer(ecu, [0x36, 0x02, 1, 2]) == [0x7F, 0x36, 0x73])
        #expect(answer(ecu, [0x36, 0x01, 1, 2]) == [0x76, 0x01])
        #expect(answer(ecu, [0x36, 0x01, 1, 2]) == [0x76, 0x01])   // a repeat is acknowledged, not written twice
        #expect(answer(ecu, [0x37]) == [0x7F, 0x37, 0x24])         // 2 of 4 bytes
        #expect(answer(ecu, [0x36, 0x02, 3, 4]) == [0x76, 0x02])
        #expect(answer(ecu, [0x36, 0x03, 5]) == [0x7F, 0x36, 0x71]) // beyond the size
        #expect(answer(ecu, [0x37]) == [0x77])
        #expect(ecu.memory(at: 0x1000, count: 4) == [1, 2, 3, 4])
    }
}
