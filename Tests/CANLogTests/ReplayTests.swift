import CANLog
import CANSocket
import SocketBase
import Testing

/// The player's scheduling, routing and full-queue handling, on a simulated clock and a recording sender: no
/// socket, no real time, every figure exact.
@Suite struct ReplayTests {
    /// Simulated time, shared by the clock (owned by the player) and the sender that stamps its sends.
    final class TimeBox: @unchecked Sendable { var time: Int64 = 1_000_000_000 }

    /// A clock that jumps to each deadline, `lateness` late (a wake-up that overshoots), and records the sleeps.
    struct SimulatedClock: CANReplayClock {
        let box = TimeBox()
        var lateness: Int64 = 0
        var sleeps: [Int64] = []
        /// Stop checks after which the replay is told to stop; nil never.
        var stopAfter: Int?
        var checks = 0

        mutating func now() -> Int64 { box.time }

        mutating func sleep(until deadline: Int64?) -> Bool {
            checks += 1
            if let stopAfter, checks > stopAfter { return false }
            guard let deadline else { return true }
            sleeps.append(deadline)
            box.time = max(box.time, deadline + lateness)
            return true
        }
    }

    /// Records what was sent when, on which interface; answers ENOBUFS a given number of times for chosen frames.
    final class RecordingSender: CANReplaySender {
        var interfaces: [String] = []
        var sent: [(interface: String, frame: CANFrame, time: Int64)] = []
        var fullQueueAnswers: [UInt32: Int] = [:]   // raw id -> ENOBUFS answers left
        var waits = 0
        var clockTime: () -> Int64 = { 0 }
        /// Nanoseconds the first send takes (a cold start), added to the shared clock.
        var firstSendCost: Int64 = 0
        var advance: (Int64) -> Void = { _ in }
        var missing: Set<String> = []

        func route(for interface: String) throws -> Int {
            if missing.contains(interface) { throw CANReplayError.cannotOpen(interface: interface, underlying: Errno.noSuchDevice) }
            interfaces.append(interface)
            return interfaces.count - 1
        }

        func send(_ frame: CANFrame, route: Int) throws -> CANReplaySendResult {
            if let left = fullQueueAnswers[frame.rawID], left > 0 {
                fullQueueAnswers[frame.rawID] = left - 1
                return .queueFull
            }
            sent.append((interfaces[route], frame, clockTime()))
            if sent.count == 1 { advance(firstSendCost) }
            return .sent
        }

        func waitForRoom(route: Int) throws { waits += 1 }
    }

    static func line(_ seconds: Int64, _ micros: Int, _ interface: String, id: UInt32) -> Result<CandumpLogLine, CANLogError> {
        .success(CandumpLogLine(timestamp: KernelTimestamp(seconds: seconds, microseconds: micros), interface: interface,
                                frame: try! CANFrame(id: CANID(standard: id), data: [UInt8(id & 0xFF)])))
    }

    /// Plays `log`: the statistics, the send times relative to the first send, the sender and the clock.
    static func play(_ log: [Result<CandumpLogLine, CANLogError>], _ options: CANReplayOptions,
                     clock: SimulatedClock = SimulatedClock(), sender: RecordingSender = RecordingSender())
        throws -> (CANLogPlayer<RecordingSender, SimulatedClock>.Statistics, [Int64], RecordingSender, SimulatedClock) {
        let box = clock.box
        sender.clockTime = { box.time }
        sender.advance = { box.time += $0 }
        var player = CANLogPlayer(options: options, sender: sender, clock: clock)
        let statistics = try player.play(log)
        let first = sender.sent.first?.time ?? 0
        return (statistics, sender.sent.map { $0.time - first }, sender, player.clock)
    }

    @Test func originalTimingFollowsTheLogFromTheFirstFrame() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(100, 1000, "can0", id: 2),
                   Self.line(100, 5000, "can0", id: 3), Self.line(101, 0, "can0", id: 4)]
        let (statistics, times, sender, _) = try Self.play(log, CANReplayOptions())
        #expect(statistics.framesSent == 4)
        #expect(times == [0, 1_000_000, 5_000_000, 1_000_000_000])
        #expect(sender.interfaces == ["can0"])
    }

    @Test func lateWakeUpsDoNotAccumulate() throws {
        // Every sleep ends 300 µs late; deadlines are absolute, so each frame is 300 µs late, not 300 µs × n.
        let log = (0..<50).map { Self.line(5, $0 * 1000, "can0", id: UInt32($0)) }
        var clock = SimulatedClock()
        clock.lateness = 300_000
        let (_, times, _, finished) = try Self.play(log, CANReplayOptions(), clock: clock)
        // The timing is anchored where the first frame went out; after it every deadline is 1 ms further.
        let anchor = finished.sleeps[1] - 1_000_000
        for (i, deadline) in finished.sleeps.enumerated().dropFirst() { #expect(deadline == anchor + Int64(i) * 1_000_000) }
        // Each send is its own deadline + 300 µs, so the spacing stays 1 ms (a sleep(gap) player would drift to
        // 1.3 ms per frame, 14.7 ms behind at the end).
        #expect(times == [0] + (1..<50).map { Int64($0) * 1_000_000 + 300_000 })
    }

    @Test func aSlowFirstSendDelaysTheReplayInsteadOfBunchingFrames() throws {
        // The first send takes 25 ms: the frames due in that time keep their 1 ms spacing from it.
        let log = (0..<40).map { Self.line(5, $0 * 1000, "can0", id: UInt32($0)) }
        for timing in [CANReplayOptions.Timing.original, .fixedGap(.milliseconds(1))] {
            let sender = RecordingSender()
            sender.firstSendCost = 25_000_000
            let (_, times, _, _) = try Self.play(log, CANReplayOptions(timing: timing), sender: sender)
            #expect(times == [0] + (1..<40).map { 25_000_000 + Int64($0) * 1_000_000 }, "\(timing)")
        }
    }

    @Test func fixedGapIgnoresTheTimestamps() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(200, 0, "can0", id: 2), Self.line(100, 7, "can0", id: 3)]
        let (_, times, _, _) = try Self.play(log, CANReplayOptions(timing: .fixedGap(.milliseconds(20)), loops: .count(2)))
        #expect(times == (0..<6).map { Int64($0) * 20_000_000 })
    }

    @Test func immediateNeverSleeps() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(300, 0, "can0", id: 2)]
        let (statistics, times, _, clock) = try Self.play(log, CANReplayOptions(timing: .immediate))
        #expect(statistics.framesSent == 2)
        #expect(clock.sleeps.isEmpty)
        #expect(times == [0, 0])
    }

    @Test func longGapsAreSkippedAndTimingGoesOnFromTheNextFrame() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(100, 500_000, "can0", id: 2),
                   Self.line(110, 500_000, "can0", id: 3), Self.line(110, 502_000, "can0", id: 4),
                   Self.line(111, 0, "can0", id: 5)]
        let (_, times, _, _) = try Self.play(log, CANReplayOptions(skipGapsLongerThan: .seconds(2)))
        // The 10 s gap is skipped: frame 3 at once after frame 2, frames 4 and 5 relative to frame 3.
        #expect(times == [0, 500_000_000, 500_000_000, 502_000_000, 1_000_000_000])
        // Without -s the gap is waited out.
        let (_, full, _, _) = try Self.play(log, CANReplayOptions())
        #expect(full[2] == 10_500_000_000)
    }

    @Test func aTimestampGoingBackwardsRestartsTheTiming() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(100, 2000, "can0", id: 2),
                   Self.line(50, 0, "can0", id: 3), Self.line(50, 3000, "can0", id: 4)]
        let (_, times, _, _) = try Self.play(log, CANReplayOptions())
        #expect(times == [0, 2_000_000, 2_000_000, 5_000_000])
    }

    @Test func loopsRestartTheTimingAndCount() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(100, 4000, "can0", id: 2)]
        let (statistics, times, sender, _) = try Self.play(log, CANReplayOptions(loops: .count(3)))
        #expect(statistics.loopsCompleted == 3)
        #expect(sender.sent.map(\.frame.rawID) == [1, 2, 1, 2, 1, 2])
        // Each loop's first frame goes out at once after the previous loop's last.
        #expect(times == [0, 4_000_000, 4_000_000, 8_000_000, 8_000_000, 12_000_000])
    }

    @Test func infiniteLoopsEndWhenTheClockSaysStop() throws {
        let log = [Self.line(100, 0, "can0", id: 1), Self.line(100, 1000, "can0", id: 2)]
        var clock = SimulatedClock()
        clock.stopAfter = 7
        let (statistics, _, _, _) = try Self.play(log, CANReplayOptions(loops: .infinite), clock: clock)
        #expect(statistics.stopped)
        #expect(statistics.framesSent == 7)
        #expect(statistics.loopsCompleted == 3)
    }

    @Test func assignmentsRouteAndSkipUnassignedInterfaces() throws {
        let log = [Self.line(1, 0, "can0", id: 1), Self.line(1, 10, "can1", id: 2), Self.line(1, 20, "can0", id: 3),
                   Self.line(1, 30, "can2", id: 4)]
        let mapping = try CANInterfaceMapping(parsing: ["vcan1=can0", "vcan0=can2", "vcan9=can0"])
        let (statistics, _, sender, _) = try Self.play(log, CANReplayOptions(mapping: mapping))
        #expect(sender.sent.map(\.interface) == ["vcan1", "vcan1", "vcan0"])
        #expect(sender.sent.map(\.frame.rawID) == [1, 3, 4])
        #expect(statistics.framesNotAssigned == 1)
        #expect(sender.interfaces == ["vcan1", "vcan0"])   // one route per write interface, asked once
        // No assignments: the log's own names.
        let (_, _, same, _) = try Self.play(log, CANReplayOptions())
        #expect(same.sent.map(\.interface) == ["can0", "can1", "can0", "can2"])
    }

    @Test func badAssignmentsAreRefused() {
        #expect(throws: CANInterfaceMappingError.missingEquals("vcan0")) { try CANInterfaceMapping(parsing: ["vcan0"]) }
        #expect(throws: CANInterfaceMappingError.emptyName(role: "log-if")) { try CANInterfaceMapping(parsing: ["vcan0="]) }
        #expect(throws: CANInterfaceMappingError.nameTooLong(role: "write-if", name: "abcdefghijklmnop")) {
            try CANInterfaceMapping(parsing: ["abcdefghijklmnop=can0"])
        }
    }

    @Test func aFullQueueIsWaitedOutAndNoFrameIsSkipped() throws {
        let log = (1...5).map { Self.line(1, $0 * 100, "can0", id: UInt32($0)) }
        let sender = RecordingSender()
        sender.fullQueueAnswers = [2: 3, 4: 1]
        let (statistics, _, _, _) = try Self.play(log, CANReplayOptions(timing: .immediate), sender: sender)
        #expect(sender.sent.map(\.frame.rawID) == [1, 2, 3, 4, 5])
        #expect(statistics.fullQueueWaits == 4)
        #expect(sender.waits == 4)
    }

    @Test func aBadLineStopsTheReplayAfterTheFramesBeforeIt() throws {
        let error = CANLogError("'G' is not a hex digit", file: "trace.log", line: 3, column: 20)
        let log = [Self.line(1, 0, "can0", id: 1), Self.line(1, 10, "can0", id: 2), .failure(error)]
        let sender = RecordingSender()
        #expect(throws: error) { try Self.play(log, CANReplayOptions(), sender: sender) }
        #expect(sender.sent.count == 2)
        #expect("\(error)" == "trace.log:3:20: 'G' is not a hex digit")
    }

    @Test func aMissingInterfaceIsNamed() {
        let sender = RecordingSender()
        sender.missing = ["vcan9"]
        #expect {
            try Self.play([Self.line(1, 0, "vcan9", id: 1)], CANReplayOptions(), sender: sender)
        } throws: { error in
            "\(error)".hasPrefix("write-if interface name 'vcan9' is wrong!")
        }
    }

    @Test func extremeTimestampsSaturateInsteadOfTrapping() throws {
        var schedule = CANReplaySchedule(timing: .original, skipGapsLongerThan: .seconds(Int64.max))
        schedule.startLoop()
        _ = schedule.deadline(forLogTime: KernelTimestamp(seconds: Int64.min / 2, nanoseconds: 0), now: { Int64.max - 5 })
        let far = schedule.deadline(forLogTime: KernelTimestamp(seconds: Int64.max / 2, nanoseconds: 0), now: { 0 })
        #expect(far == Int64.max)
    }

    @Test func aStreamIsReadAsItArrivesAndPlayedOnce() throws {
        let pipe = try FileDescriptor.pipe()
        // Lines split across writes, a CRLF line end, an empty line.
        for piece in ["(1700000000.000000) can0 1", "23#11\n(1700000000.001000) can0 456#22\r\n", "\n(1700000000.0", "02000) can1 789#33"] {
            try pipe.write.writeAll(Array(piece.utf8))
        }
        try pipe.write.close()
        let (statistics, times, sender, _) = try Self.play(Array(CandumpLogStream(pipe.read, name: "stdin")), CANReplayOptions())
        #expect(sender.sent.map(\.frame.rawID) == [0x123, 0x456, 0x789])
        #expect(times == [0, 1_000_000, 2_000_000])
        #expect(statistics.framesSent == 3)
        // Single pass: a player looping over the stream itself plays it once, as canplayer plays stdin once.
        let again = try FileDescriptor.pipe()
        try again.write.writeAll(Array("(1.000000) can0 123#11\n".utf8))
        try again.write.close()
        var player = CANLogPlayer(options: CANReplayOptions(loops: .infinite), sender: RecordingSender(), clock: SimulatedClock())
        let looped = try player.play(CandumpLogStream(again.read, name: "stdin"))
        #expect(looped.framesSent == 1)
        try pipe.read.close()
        try again.read.close()
    }

    @Test func aBadStreamLineIsNamedByLine() throws {
        let pipe = try FileDescriptor.pipe()
        try pipe.write.writeAll(Array("(1.000000) can0 123#11\n\n(1.000100) can0 12G#11\n".utf8))
        try pipe.write.close()
        let results = Array(CandumpLogStream(pipe.read, name: "stdin"))
        try pipe.read.close()
        #expect(results.count == 2)
        guard case .failure(let error) = results[1] else { Issue.record("no error"); return }
        #expect("\(error)".hasPrefix("stdin:3:"), "\(error)")
    }
}
