#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CANSocket
import SocketBase
import ToolkitTestSupport

extension CANBus {
@Suite("CAN_BCM on vcan (VM)", .needsCAN, .serialized)
struct CANBCMSocketTests {
    // MARK: Helpers

    /// A CAN_RAW socket on `interface` that sees only `ids` (standard), as a user's receiver would.
    func rawReceiver(_ ids: [UInt32], interface: String = "vcan0") throws -> CANRawSocket {
        var options = CANRawSocket.Options()
        options.filters = ids.map { CANFilter(id: $0, mask: 0x7FF | CANFrame.extendedFlag) }
        let socket = try CANRawSocket(interface: interface, options: options)
        try socket.socket.setTimeout(.seconds(2))
        return socket
    }

    /// Every frame that arrives until none has for `quiet` (or `limit` has passed).
    func drain(_ socket: CANRawSocket, quiet: Duration = .milliseconds(300), limit: Duration = .seconds(3)) throws -> [CANReceivedFrame] {
        let previous = socket.socket.timeout
        try socket.socket.setTimeout(quiet)
        defer { try? socket.socket.setTimeout(previous) }
        let end = ContinuousClock.now + limit
        var frames: [CANReceivedFrame] = []
        while ContinuousClock.now < end {
            do { frames.append(try socket.receive()) } catch is SocketTimeoutError { break }
        }
        return frames
    }

    /// Every frame that arrives within `window`.
    func collect(_ socket: CANRawSocket, for window: Duration) throws -> [CANReceivedFrame] {
        let end = ContinuousClock.now + window
        var frames: [CANReceivedFrame] = []
        while ContinuousClock.now < end {
            guard try socket.socket.waitForReadable(timeout: end - ContinuousClock.now) else { break }
            frames.append(try socket.receive())
        }
        return frames
    }

    /// Every BCM event that arrives until none has for `quiet` (or `limit` has passed).
    func drain(_ bcm: CANBCMSocket, quiet: Duration = .milliseconds(300), limit: Duration = .seconds(3)) throws -> [BCMEvent] {
        try bcm.socket.setTimeout(quiet)
        let end = ContinuousClock.now + limit
        var events: [BCMEvent] = []
        while ContinuousClock.now < end {
            do { events.append(try bcm.receive()) } catch is SocketTimeoutError { break }
        }
        return events
    }

    func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }

    func intervals(_ frames: [CANReceivedFrame]) -> [Duration] {
        zip(frames.dropFirst(), frames).map { $0.timestamp.since($1.timestamp) }
    }

    func frame(_ id: UInt32, _ data: [UInt8]) throws -> CANFrame { try CANFrame(id: CANID(standard: id), data: data) }

    func send(_ raw: CANRawSocket, _ id: UInt32, _ data: [UInt8]) throws { try raw.send(frame(id, data)) }

    // MARK: Transmit jobs

    @Test("a 10 ms cyclic job arrives at a CAN_RAW receiver every ~10 ms, and TX_DELETE stops it")
    func cyclicTiming() throws {
        let raw = try rawReceiver([0x101])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let job = try bcm.startTransmitting([frame(0x101, [0xC0, 0xFF, 0xEE])], interval: .milliseconds(10))
        #expect(job == BCMJobKey(rawID: 0x101, interfaceIndex: bcm.address.interfaceIndex, isFD: false))
        let frames = try (0..<30).map { _ in try raw.receive() }
        #expect(frames.allSatisfy { $0.frame.data == [0xC0, 0xFF, 0xEE] })
        let m = median(intervals(frames))
        #expect(m >= .milliseconds(5) && m <= .milliseconds(30), "median interval \(m)")
        try bcm.stopTransmitting(job)
        _ = try drain(raw, quiet: .milliseconds(100))  // what was in flight
        #expect(try drain(raw, quiet: .milliseconds(300)).isEmpty, "nothing after TX_DELETE")
        #expect(throws: SystemCallError.self) { try bcm.stopTransmitting(job) }
    }

    @Test("a counted job (count 5 at ival1, ival2 = 0) sends exactly 5 frames, then TX_EXPIRED arrives")
    func countedJobExpires() throws {
        let raw = try rawReceiver([0x102])
        let bcm = try CANBCMSocket(interface: "vcan0")
        try bcm.socket.setTimeout(.seconds(3))
        let job = try bcm.startTransmitting([frame(0x102, [5])], count: 5, countInterval: .milliseconds(20),
                                            interval: .zero, flags: .countEvent)
        #expect(try bcm.receive() == .txExpired(job))
        let frames = try drain(raw, quiet: .milliseconds(400))
        #expect(frames.count == 5, "frames: \(frames.count)")
        if frames.count == 5 {
            let m = median(intervals(frames))
            #expect(m >= .milliseconds(10) && m <= .milliseconds(60), "median interval \(m)")
        }
        #expect(try drain(bcm, quiet: .milliseconds(100)).isEmpty, "one TX_EXPIRED only")
    }

    @Test("count frames at interval 1, then interval 2 goes on")
    func countThenSecondInterval() throws {
        let raw = try rawReceiver([0x10B])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let job = try bcm.startTransmitting([frame(0x10B, [0x0B])], count: 3, countInterval: .milliseconds(10),
                                            interval: .milliseconds(150))
        let frames = try (0..<5).map { _ in try raw.receive() }
        try bcm.stopTransmitting(job)
        let gaps = intervals(frames)
        #expect(gaps[0] < .milliseconds(60) && gaps[1] < .milliseconds(60), "the counted frames: \(gaps)")
        #expect(gaps[2] >= .milliseconds(110) && gaps[3] >= .milliseconds(110), "then interval 2: \(gaps)")
    }

    @Test("updating data changes the frames without restarting the cycle")
    func updateKeepsTheCycle() throws {
        let raw = try rawReceiver([0x103])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let job = try bcm.startTransmitting([frame(0x103, [0xAA])], interval: .milliseconds(200))
        _ = try raw.receive()  // sent at once (STARTTIMER)
        let second = try raw.receive()
        pause(.milliseconds(50))
        let updatedAt = KernelTimestamp.now
        try bcm.updateTransmitting(job, frames: [frame(0x103, [0xBB])])
        let third = try raw.receive()
        #expect(second.frame.data == [0xAA])
        #expect(third.frame.data == [0xBB], "the next frame carries the new data")
        let gap = third.timestamp.since(second.timestamp)
        // A restarted cycle would send at once, ~50 ms after the previous frame.
        #expect(gap >= .milliseconds(160) && gap <= .milliseconds(260), "gap \(gap); update came \(updatedAt.since(second.timestamp)) after the frame")
        try bcm.stopTransmitting(job)
    }

    @Test("TX_READ returns the job (TX_STATUS) with its frames and intervals; a missing job is EINVAL")
    func readBack() throws {
        let bcm = try CANBCMSocket(interface: "vcan0")
        try bcm.socket.setTimeout(.seconds(2))
        let frames = [try frame(0x104, [1, 2]), try frame(0x104, [3, 4, 5])]
        let job = try bcm.startTransmitting(frames, count: 3, countInterval: .milliseconds(300), interval: .milliseconds(500))
        try bcm.requestTransmitStatus(job)
        guard case .txStatus(let status) = try bcm.receive() else { Issue.record("expected TX_STATUS"); return }
        #expect(status.key == job)
        #expect(status.frames == frames)
        #expect(status.interval1 == .milliseconds(300) && status.interval2 == .milliseconds(500))
        #expect(status.count <= 3 && status.count >= 1, "count left: \(status.count)")
        try bcm.stopTransmitting(job)
        do {
            try bcm.requestTransmitStatus(job)
            Issue.record("TX_READ of a deleted job succeeded")
        } catch let error as SystemCallError {
            #expect(error.errno == .invalidArgument)
            #expect(error.description.hasPrefix("write(TX_READ)(vcan0): "), "\(error)")
        }
    }

    @Test("a multiplexed job sends its frames in turn; TX_RESET_MULTI_IDX restarts at the first")
    func multiplex() throws {
        let raw = try rawReceiver([0x105])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let job = try bcm.startTransmitting([frame(0x105, [1]), frame(0x105, [2]), frame(0x105, [3])], interval: .milliseconds(10))
        let seen = try (0..<9).map { _ in try raw.receive().frame[0] }
        #expect(seen.prefix(3) == [1, 2, 3], "the first goes out at once: \(seen)")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $1 == $0 % 3 + 1 }, "\(seen)")
        try bcm.updateTransmitting(job, frames: [frame(0x105, [11]), frame(0x105, [12]), frame(0x105, [13])],
                                   flags: .resetMultiplexIndex)
        var next = try raw.receive().frame[0]
        while next < 11 { next = try raw.receive().frame[0] }
        #expect(next == 11, "the first frame with new data is the first of the set")
        try bcm.stopTransmitting(job)
    }

    @Test("an FD job on vcan0 produces FD frames; classic and FD jobs with one id are two jobs")
    func fdJobs() throws {
        let raw = try rawReceiver([0x106])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let fd = try CANFrame(fd: CANID(standard: 0x106), data: Array(0..<16), flags: .bitRateSwitch)
        let fdJob = try bcm.startTransmitting([fd], interval: .milliseconds(20))
        let classicJob = try bcm.startTransmitting([frame(0x106, [0x42])], interval: .milliseconds(20))
        #expect(fdJob.isFD && !classicJob.isFD && fdJob != classicJob)
        let frames = try (0..<10).map { _ in try raw.receive().frame }
        #expect(frames.contains(fd), "the FD frame, as set up")
        #expect(frames.contains { !$0.isFD && $0.data == [0x42] })
        #expect(frames.filter(\.isFD).allSatisfy { $0.count == 16 && $0.fdFlags.contains(.bitRateSwitch) })
        try bcm.stopTransmitting(fdJob)
        _ = try collect(raw, for: .milliseconds(60))
        let after = try (0..<5).map { _ in try raw.receive().frame }
        #expect(after.allSatisfy { !$0.isFD }, "only the classic job is left")
        try bcm.stopTransmitting(classicJob)

        let classicOnly = try CANBCMSocket(interface: "vcan1")
        #expect(throws: CANSocketError.frameTooLong(interface: "vcan1", mtu: 16)) {
            try classicOnly.startTransmitting([fd], interval: .milliseconds(10))
        }
    }

    @Test("several jobs on one socket run independently")
    func independentJobs() throws {
        let raw = try rawReceiver([0x107, 0x108])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let fast = try bcm.startTransmitting([frame(0x107, [1])], interval: .milliseconds(10))
        let slow = try bcm.startTransmitting([frame(0x108, [2])], interval: .milliseconds(50))
        let frames = try collect(raw, for: .milliseconds(500))
        try bcm.stopTransmitting(fast)
        _ = try collect(raw, for: .milliseconds(60))
        let fastCount = frames.filter { $0.frame.rawID == 0x107 }.count
        let slowCount = frames.filter { $0.frame.rawID == 0x108 }.count
        #expect(slowCount >= 5 && fastCount >= 2 * slowCount, "0x107: \(fastCount), 0x108: \(slowCount)")
        let later = try (0..<3).map { _ in try raw.receive().frame.rawID }
        #expect(later == [0x108, 0x108, 0x108], "the slow job goes on after the fast one is deleted")
        try bcm.stopTransmitting(slow)
    }

    @Test("TX_SEND sends one frame once")
    func sendOnce() throws {
        let raw = try rawReceiver([0x109])
        let bcm = try CANBCMSocket(interface: "vcan0")
        try bcm.sendOnce(frame(0x109, [9, 9]))
        let frames = try drain(raw)
        #expect(frames.map(\.frame) == [try frame(0x109, [9, 9])])
    }

    @Test("bad requests fail with clear errors; a missing interface fails at once")
    func errors() throws {
        #expect(throws: SystemCallError.self) { try CANBCMSocket(interface: "vcan9") }
        let bcm = try CANBCMSocket(interface: "vcan0")
        let classic = try frame(0x10A, [1])
        let fd = try CANFrame(fd: CANID(standard: 0x10A), data: [1])
        #expect(throws: BCMError.mixedFrameKinds(index: 1, jobIsFD: false)) {
            try bcm.startTransmitting([classic, fd], interval: .milliseconds(10))
        }
        #expect(throws: BCMError.tooManyFrames(opcode: .txSetup, count: 257, maximum: 256)) {
            try bcm.startTransmitting(Array(repeating: classic, count: 257), interval: .milliseconds(10))
        }
        #expect(throws: BCMError.negativeInterval(name: "interval 2 (ival2)", value: .milliseconds(-5))) {
            try bcm.startTransmitting([classic], interval: .milliseconds(-5))
        }
        #expect(throws: BCMError.countWithoutInterval(count: 3)) {
            try bcm.startTransmitting([classic], count: 3, interval: .milliseconds(10))
        }
        #expect(throws: BCMError.noFrames(opcode: .txSetup)) { try bcm.startTransmitting([], interval: .milliseconds(10)) }
        #expect(throws: BCMError.remoteReplyMustBeClassic) { try bcm.replyToRemoteRequests(for: CANID(standard: 0x10A), with: fd) }
        do {
            try bcm.stopReceiving(BCMJobKey(rawID: 0x10A, interfaceIndex: 0, isFD: false))
            Issue.record("RX_DELETE of a missing job succeeded")
        } catch let error as SystemCallError {
            #expect(error.description == "write(RX_DELETE)(vcan0): Invalid argument (errno 22)")
        }
        // 256 frames is the kernel's limit, and accepted.
        let job = try bcm.startTransmitting(Array(repeating: classic, count: 256), interval: .seconds(1))
        try bcm.stopTransmitting(job)
    }

    // MARK: Receive jobs

    @Test("RX_SETUP with a mask reports the first frame and changes in masked bits only")
    func maskedChanges() throws {
        let sender = try CANRawSocket(interface: "vcan0")
        let bcm = try CANBCMSocket(interface: "vcan0")
        let mask = try frame(0x201, [0xFF, 0x00])
        let job = try bcm.startReceiving(id: CANID(standard: 0x201), mask: mask)
        try send(sender, 0x201, [0x11, 0x22])
        try send(sender, 0x201, [0x11, 0x22])  // same: nothing
        try send(sender, 0x201, [0x11, 0x33])  // unmasked byte: nothing
        try send(sender, 0x201, [0x44, 0x33])  // masked byte: one
        try send(sender, 0x202, [0x99, 0x99])  // another id: nothing
        let events = try drain(bcm)
        #expect(events == [.rxChanged(job, try frame(0x201, [0x11, 0x22])), .rxChanged(job, try frame(0x201, [0x44, 0x33]))])
        try bcm.requestReceiveStatus(job)
        try bcm.socket.setTimeout(.seconds(2))
        guard case .rxStatus(let status) = try bcm.receive() else { Issue.record("expected RX_STATUS"); return }
        #expect(status.frames == [mask] && status.key == job)
        try bcm.stopReceiving(job)
        try send(sender, 0x201, [0x55, 0x55])
        #expect(try drain(bcm, quiet: .milliseconds(200)).isEmpty, "nothing after RX_DELETE")
    }

    @Test("an FD receive job (CAN_FD_FRAME) compares and reports CAN FD frames; classic frames with the id are not its")
    func fdReceiveJob() throws {
        let sender = try CANRawSocket(interface: "vcan0")
        let bcm = try CANBCMSocket(interface: "vcan0")
        let id = try CANID(standard: 0x208)
        var maskBytes = [UInt8](repeating: 0, count: 16)
        maskBytes[12] = 0xFF  // only byte 12 matters
        let job = try bcm.startReceiving(id: id, mask: CANFrame(fd: id, data: maskBytes))
        #expect(job.isFD)
        let first = try CANFrame(fd: id, data: [UInt8](repeating: 1, count: 16))
        var sameByte12 = [UInt8](repeating: 2, count: 16)
        sameByte12[12] = 1
        var changed = sameByte12
        changed[12] = 9
        let changedFrame = try CANFrame(fd: id, data: changed)
        try sender.send(first)
        try sender.send(CANFrame(fd: id, data: sameByte12))
        try sender.send(changedFrame)
        try sender.send(CANFrame(id: id, data: [9, 9]))  // classic: another job's
        let events = try drain(bcm)
        #expect(events == [.rxChanged(job, first), .rxChanged(job, changedFrame)])
        try bcm.stopReceiving(job)
    }

    @Test("RX_FILTER_ID reports every frame; RX_CHECK_DLC reports a length change")
    func filterIDAndDLC() throws {
        let sender = try CANRawSocket(interface: "vcan0")
        let bcm = try CANBCMSocket(interface: "vcan0")
        let all = try bcm.startReceiving(id: CANID(standard: 0x203))
        let dlc = try bcm.startReceiving(id: CANID(standard: 0x204), mask: frame(0x204, [0xFF]), flags: .checkDLC)
        for _ in 0..<3 { try send(sender, 0x203, [7]) }
        try send(sender, 0x204, [1])
        try send(sender, 0x204, [1, 0])  // same masked bits, longer
        try send(sender, 0x204, [1, 0])
        let events = try drain(bcm)
        #expect(events.filter { $0.key == all }.count == 3)
        #expect(events.filter { $0.key == dlc } == [.rxChanged(dlc, try frame(0x204, [1])), .rxChanged(dlc, try frame(0x204, [1, 0]))])
    }

    @Test("RX_TIMEOUT arrives when the cyclic sender stops; RX_ANNOUNCE_RESUME reports its return")
    func timeoutAndResume() throws {
        let sender = try CANBCMSocket(interface: "vcan0")
        let bcm = try CANBCMSocket(interface: "vcan0")
        let mask = try frame(0x205, [0xFF])
        let job = try bcm.startReceiving(id: CANID(standard: 0x205), mask: mask, timeout: .milliseconds(100),
                                         flags: .announceResume)
        let tx = try sender.startTransmitting([frame(0x205, [1])], interval: .milliseconds(20))
        pause(.milliseconds(300))
        try sender.stopTransmitting(tx)
        let stoppedAt = ContinuousClock.now
        try bcm.socket.setTimeout(.seconds(2))
        #expect(try bcm.receive() == .rxChanged(job, try frame(0x205, [1])), "first reception only: the data never changes")
        #expect(try bcm.receive() == .rxTimeout(job))
        let waited = ContinuousClock.now - stoppedAt
        #expect(waited >= .milliseconds(60), "timeout after \(waited)")
        // The same data again: reported only because of RX_ANNOUNCE_RESUME.
        try sender.sendOnce(frame(0x205, [1]))
        #expect(try bcm.receive() == .rxChanged(job, try frame(0x205, [1])))
        try bcm.stopReceiving(job)
    }

    @Test("throttling (ival2) limits RX_CHANGED to one per interval and delivers the latest data")
    func throttling() throws {
        let sender = try CANRawSocket(interface: "vcan0")
        let bcm = try CANBCMSocket(interface: "vcan0")
        let mask = try frame(0x206, [0xFF])
        func run(throttle: Duration) throws -> (events: [BCMEvent], elapsed: Duration) {
            let job = try bcm.startReceiving(id: CANID(standard: 0x206), mask: mask, throttle: throttle)
            let start = ContinuousClock.now
            for i in 0..<20 {
                try send(sender, 0x206, [UInt8(i + 1)])
                pause(.milliseconds(10))
            }
            let elapsed = ContinuousClock.now - start
            let events = try drain(bcm)
            try bcm.stopReceiving(job)
            return (events, elapsed)
        }
        let free = try run(throttle: .zero)
        #expect(free.events.count == 20, "unthrottled: every change")
        let throttled = try run(throttle: .milliseconds(100))
        let bound = Int(throttled.elapsed / .milliseconds(100)) + 2
        #expect(throttled.events.count >= 2 && throttled.events.count <= bound,
                "\(throttled.events.count) events in \(throttled.elapsed), at most \(bound) expected")
        if case .rxChanged(_, let last)? = throttled.events.last { #expect(last.data == [20], "the latest data is delivered") }
        else { Issue.record("no RX_CHANGED") }
    }

    @Test("RTR auto-reply answers `cansend vcan0 123#R` with the job's frame")
    func remoteReply() throws {
        let raw = try rawReceiver([0x123])
        let bcm = try CANBCMSocket(interface: "vcan0")
        let reply = try frame(0x123, [0xAB, 0xCD])
        let job = try bcm.replyToRemoteRequests(for: CANID(standard: 0x123), with: reply)
        #expect(job.isRemoteReply)
        #expect(try Subprocess.run(["cansend", "vcan0", "123#R"]).status == 0)
        let frames = try drain(raw).map(\.frame)
        #expect(frames == [try CANFrame(remote: CANID(standard: 0x123)), reply], "the request, then the reply")
        try bcm.stopReceiving(job)
        #expect(try Subprocess.run(["cansend", "vcan0", "123#R"]).status == 0)
        #expect(try drain(raw).map(\.frame) == [try CANFrame(remote: CANID(standard: 0x123))], "no reply after RX_DELETE")
    }

    // MARK: Async

    @Test("events() yields notifications and ends when its task is cancelled")
    func asyncEvents() async throws {
        let sender = try CANBCMSocket(interface: "vcan0")
        let bcm = try CANBCMSocket(interface: "vcan0")
        let job = try bcm.startReceiving(id: CANID(standard: 0x207))
        let tx = try sender.startTransmitting([frame(0x207, [7])], interval: .milliseconds(10))
        var count = 0
        for try await event in bcm.events() {
            #expect(event.key == job)
            count += 1
            if count == 5 { break }
        }
        #expect(count == 5)
        try sender.stopTransmitting(tx)
        let consumer = Task {
            var n = 0
            for try await _ in bcm.events() { n += 1 }
            return n
        }
        try await Task.sleep(for: .milliseconds(300))
        consumer.cancel()
        _ = try await consumer.value  // returns: the stream ended on cancellation
    }
}
}
