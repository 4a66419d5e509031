import Dispatch
import Synchronization
import Testing
@testable import UDS

@Suite("UDS client against the simulator (in memory)")
struct ClientTests {
    @Test func rigFlow() throws {
        let h = SimulatorHarness()
        defer { h.stop() }
        let c = h.client
        #expect(try c.changeSession(.programming).p2 == .milliseconds(50))
        #expect(h.simulator.session == 0x02)
        #expect(try c.unlock(level: 1, key: sampleKey) == [0x11, 0x22, 0x33, 0x44])
        // Already unlocked: an all-zero seed, no key sent.
        #expect(try c.unlock(level: 1, key: { _ in Issue.record("key asked again"); return [] }) == [0, 0, 0, 0])
        #expect(try c.readDataByIdentifier(0xF190) == Array("WVWZZZ1JZXW000001".utf8))
        let both = try c.readDataByIdentifiers([0xF190, 0xF187], table: [0xF190: 17, 0xF187: 5])
        #expect(both[0xF187] == [1, 2, 3, 4, 5])
        try c.writeDataByIdentifier(0x0100, data: [0xBE, 0xEF])
        #expect(h.simulator.value(of: 0x0100) == [0xBE, 0xEF])
        #expect(try c.routine(.start, identifier: 0xFF00).statusRecord == [0x00])
        #expect(try c.routine(.requestResults, identifier: 0xFF00).statusRecord == [0x01, 0x02])
        try c.routine(.stop, identifier: 0xFF00)
        #expect(try c.readDTCs(statusMask: 0x08).map(\.code) == [0x123456, 0xABCDEF])
        #expect(try c.readDTCs(statusMask: 0x01).map(\.code) == [0x123456])
        #expect(try c.readDTCInformation(.extendedDataRecordByDTCNumber(dtc: 0x123456, record: 0xFF, recordLengths: [1: 1]))
                == .extendedData(DTCRecord(code: 0x123456, status: 0x2F), [(record: 1, data: [0x05])]))
        try c.clearDiagnosticInformation(group: 0xABCDEF)
        #expect(try c.readDTCs().count == 1)
        try c.communicationControl(.disableRxAndTx)
        try c.controlDTCSetting(.off)
        let io = try c.inputOutputControl(.init(0x0100, parameter: .shortTermAdjustment, state: [1, 2]))
        #expect(io.statusRecord == [0x03, 1, 2])   // the parameter echoed, then the state
        try c.writeMemory(address: 0x10, data: [7, 7, 7])
        #expect(try c.readMemory(MemoryAddress(address: 0x10, size: 3)) == [7, 7, 7])
        // 64 KiB in 128-byte blocks: 512 blocks, the counter wraps 0xFF → 0x00 twice.
        let image = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        let summary = try c.download(image, to: 0x8000)
        #expect(summary.blockSize == 128)
        #expect(summary.blocks == 512)
        #expect(summary.lastSequenceCounter == 0x00)
        #expect(h.simulator.memory(at: 0x8000, count: 65536) == image)
        #expect(h.simulator.completedDownloads.first?.size == 65536)
        #expect(try c.upload(MemoryAddress(address: 0x8000, size: 1000)) == Array(image[..<1000]))
        try c.reset(.hardReset)
        #expect(h.simulator.session == 0x01)
    }

    @Test func negativeResponsesAreTypedErrors() throws {
        let h = SimulatorHarness()
        defer { h.stop() }
        let error = #expect(throws: UDSNegativeResponse.self) { try h.client.readDataByIdentifier(0x1234) }
        #expect(error?.code == .requestOutOfRange)
        #expect(error?.description == "ReadDataByIdentifier 1234: requestOutOfRange (0x31)")
    }

    @Test func responsePendingExtendsToP2StarEveryTime() throws {
        var c = ECUSimulatorConfiguration.sample
        c.injections = [.init(match: [0x22, 0xF1, 0x90], behaviour: .pending(count: 4, interval: .milliseconds(60)))]
        // Each pending gap (60 ms) is longer than P2 (40 ms) but within P2* (300 ms).
        let h = SimulatorHarness(c, timing: UDSTiming(p2: .milliseconds(40), p2Star: .milliseconds(300)))
        defer { h.stop() }
        #expect(try h.client.readDataByIdentifier(0xF190).count == 17)
    }

    @Test func timeoutsNamePhaseAndTime() throws {
        var c = ECUSimulatorConfiguration.sample
        c.injections = [.init(match: [0x11], behaviour: .silent),
                        .init(match: [0x22, 0xF1, 0x87], behaviour: .pending(count: 1, interval: .seconds(1)))]
        let h = SimulatorHarness(c, timing: UDSTiming(p2: .milliseconds(100), p2Star: .milliseconds(150)))
        defer { h.stop() }
        let start = ContinuousClock.now
        let p2 = #expect(throws: UDSTimeout.self) { try h.client.reset(.hardReset) }
        let elapsed = ContinuousClock.now - start
        #expect(p2?.phase == .p2)
        #expect(elapsed >= .milliseconds(100) && elapsed < .milliseconds(400))
        #expect(p2?.description == "ECUReset 0x01: no response within P2 (100 ms)")
        let p2Star = #expect(throws: UDSTimeout.self) { try h.client.readDataByIdentifier(0xF187) }
        #expect(p2Star?.phase == .p2Star)
        #expect(p2Star?.pendingCount == 1)
    }

    @Test func busyIsRetriedUpToTheLimit() throws {
        var c = ECUSimulatorConfiguration.sample
        c.injections = [.init(match: [0x22, 0xF1, 0x87], behaviour: .busy, times: 2),
                        .init(match: [0x22, 0xF1, 0x90], behaviour: .busy)]
        let h = SimulatorHarness(c, busyRetryLimit: 2)
        defer { h.stop() }
        #expect(try h.client.readDataByIdentifier(0xF187) == [1, 2, 3, 4, 5])
        let before = h.testerEnd.sent.count
        let error = #expect(throws: UDSNegativeResponse.self) { try h.client.readDataByIdentifier(0xF190) }
        #expect(error?.code == .busyRepeatRequest)
        #expect(h.testerEnd.sent.count - before == 3)   // the request and 2 repeats
    }

    @Test func suppressedRequestDoesNotWait() throws {
        let h = SimulatorHarness(timing: UDSTiming(p2: .seconds(5)))
        defer { h.stop() }
        let start = ContinuousClock.now
        try h.client.testerPresent(suppressPositiveResponse: true)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(try h.client.send(DiagnosticSessionControl(.extendedDiagnostic, suppressPositiveResponse: true)) == nil)
        // The next request gets its own answer.
        #expect(try h.client.readDataByIdentifier(0xF187) == [1, 2, 3, 4, 5])
    }

    @Test func concurrentCallersGetTheirOwnAnswers() throws {
        let h = SimulatorHarness()
        defer { h.stop() }
        let failures = Atomic<Int>(0)
        let group = DispatchGroup()
        for i in 0..<8 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<25 {
                    let did: UInt16 = i % 2 == 0 ? 0xF190 : 0xF187
                    let expected = did == 0xF190 ? Array("WVWZZZ1JZXW000001".utf8) : [1, 2, 3, 4, 5]
                    if (try? h.client.readDataByIdentifier(did)) != expected { failures.add(1, ordering: .relaxed) }
                }
            }
        }
        group.wait()
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(h.simulator.requestsHandled == 200)
    }

    @Test func keepAliveRunsDuringPendingWaits() throws {
        var c = ECUSimulatorConfiguration.sample
        c.injections = [.init(match: [0x22, 0xF1, 0x90], behaviour: .pending(count: 6, interval: .milliseconds(100)))]
        let h = SimulatorHarness(c, timing: UDSTiming(p2: .milliseconds(200), p2Star: .milliseconds(500)))
        defer { h.stop() }
        h.client.startKeepAlive(every: .milliseconds(50))
        #expect(try h.client.readDataByIdentifier(0xF190).count == 17)
        h.client.stopKeepAlive()
        let keepAlive = h.testerEnd.sent.filter { $0.pdu == [0x3E, 0x80] }.map(\.time)
        // About 600 ms of pending at one per 50 ms; the schedule is fixed, so a late send (a loaded machine) is
        // followed by a shorter gap, never by a skipped beat of more than two periods.
        #expect(keepAlive.count >= 8)
        let gaps = zip(keepAlive.dropFirst(), keepAlive).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 < .milliseconds(150) })
    }
}
