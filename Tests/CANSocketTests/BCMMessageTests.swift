import CCANShims
import Testing

@testable import CANSocket

@Suite("BCM message codec")
struct BCMMessageTests {
    @Test("bcm_msg_head's size and field offsets equal the C struct's")
    func layoutMatchesTheCStruct() {
        #expect(BCMMessage.headerSize == MemoryLayout<bcm_msg_head>.size)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.opcode) == 0)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.flags) == 4)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.count) == 8)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.ival1) == 16)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.ival2) == 32)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.can_id) == 48)
        #expect(MemoryLayout<bcm_msg_head>.offset(of: \bcm_msg_head.nframes) == 52)
        #expect(MemoryLayout<bcm_timeval>.size == 16)
    }

    @Test("opcodes and flags equal the kernel header's constants")
    func constantsMatchTheHeader() {
        let opcodes: [(BCMOpcode, Int)] = [
            (.txSetup, Int(TX_SETUP)), (.txDelete, Int(TX_DELETE)), (.txRead, Int(TX_READ)), (.txSend, Int(TX_SEND)),
            (.rxSetup, Int(RX_SETUP)), (.rxDelete, Int(RX_DELETE)), (.rxRead, Int(RX_READ)),
            (.txStatus, Int(TX_STATUS)), (.txExpired, Int(TX_EXPIRED)), (.rxStatus, Int(RX_STATUS)),
            (.rxTimeout, Int(RX_TIMEOUT)), (.rxChanged, Int(RX_CHANGED)),
        ]
        for (opcode, c) in opcodes { #expect(Int(opcode.rawValue) == c, "\(opcode)") }
        let flags: [(BCMFlags, Int)] = [
            (.setTimer, Int(SETTIMER)), (.startTimer, Int(STARTTIMER)), (.countEvent, Int(TX_COUNTEVT)),
            (.announce, Int(TX_ANNOUNCE)), (.copyID, Int(TX_CP_CAN_ID)), (.filterID, Int(RX_FILTER_ID)),
            (.checkDLC, Int(RX_CHECK_DLC)), (.noAutoTimer, Int(RX_NO_AUTOTIMER)),
            (.announceResume, Int(RX_ANNOUNCE_RESUME)), (.resetMultiplexIndex, Int(TX_RESET_MULTI_IDX)),
            (.remoteReply, Int(RX_RTR_FRAME)), (.fdFrames, Int(CAN_FD_FRAME)),
        ]
        for (flag, c) in flags { #expect(Int(flag.rawValue) == c, "\(flag)") }
        #expect(BCMOpcode.rxChanged.description == "RX_CHANGED")
        #expect(BCMOpcode(rawValue: 42).description == "opcode 42")
        #expect(BCMFlags([.setTimer, .startTimer, .fdFrames]).description == "SETTIMER|STARTTIMER|CAN_FD_FRAME")
    }

    @Test("the encoded head equals a C bcm_msg_head filled with the same values")
    func headBytesEqualTheCStruct() throws {
        let frame = try CANFrame(id: CANID(extended: 0x1234_5678), data: [1, 2, 3])
        let message = BCMMessage(opcode: .txSetup, flags: [.setTimer, .startTimer, .countEvent], count: 7,
                                 interval1: .seconds(2) + .microseconds(345_678), interval2: .milliseconds(10),
                                 rawID: frame.rawID, frames: [frame, frame])
        let bytes = try message.encoded()
        #expect(bytes.count == 56 + 2 * 16)

        var head = bcm_msg_head()
        head.opcode = UInt32(TX_SETUP)
        head.flags = UInt32(SETTIMER | STARTTIMER | TX_COUNTEVT)
        head.count = 7
        head.ival1 = bcm_timeval(tv_sec: 2, tv_usec: 345_678)
        head.ival2 = bcm_timeval(tv_sec: 0, tv_usec: 10_000)
        head.can_id = 0x1234_5678 | UInt32(CAN_EFF_FLAG)
        head.nframes = 2
        let c = withUnsafeBytes(of: &head) { Array($0) }
        #expect(Array(bytes[..<56]) == c)
        #expect(Array(bytes[56..<72]) == frame.kernelBytes)
        #expect(Array(bytes[72..<88]) == frame.kernelBytes)
    }

    @Test("classic and FD messages round-trip; CAN_FD_FRAME selects 72-byte frames")
    func roundTrips() throws {
        let classic = BCMMessage(opcode: .rxSetup, flags: [.setTimer, .checkDLC], interval1: .milliseconds(250),
                                 interval2: .microseconds(1500), rawID: 0x321,
                                 frames: [try CANFrame(id: CANID(standard: 0x321), data: [0xFF, 0, 0x0F])])
        let classicBytes = try classic.encoded()
        #expect(classicBytes.count == 72)
        #expect(try BCMMessage(kernelBytes: classicBytes) == classic)

        let fdFrames = try (0..<3).map { try CANFrame(fd: CANID(standard: 0x100), data: Array(repeating: UInt8($0), count: 64), flags: [.bitRateSwitch]) }
        let fd = BCMMessage(opcode: .txSetup, flags: [.setTimer, .startTimer, .fdFrames], interval2: .milliseconds(5),
                            rawID: 0x100, frames: fdFrames)
        let fdBytes = try fd.encoded()
        #expect(fdBytes.count == 56 + 3 * 72)
        #expect(fdBytes[56 + 72 + 8] == 1, "second frame's first data byte sits at 56 + 72 + 8")
        let decoded = try BCMMessage(kernelBytes: fdBytes)
        #expect(decoded == fd)
        #expect(decoded.frames.allSatisfy { $0.isFD })

        let empty = BCMMessage(opcode: .txDelete, rawID: 0x8000_0001)
        #expect(try empty.encoded().count == 56)
        #expect(try BCMMessage(kernelBytes: empty.encoded()) == empty)
    }

    @Test("invalid messages are refused before a system call")
    func validation() throws {
        let classic = try CANFrame(id: CANID(standard: 0x10), data: [1])
        let fd = try CANFrame(fd: CANID(standard: 0x10), data: [1])
        #expect(throws: BCMError.tooManyFrames(opcode: .txSetup, count: 257, maximum: 256)) {
            try BCMMessage(opcode: .txSetup, rawID: 0x10, frames: Array(repeating: classic, count: 257)).validate()
        }
        #expect(throws: Never.self) {
            try BCMMessage(opcode: .rxSetup, rawID: 0x10, frames: Array(repeating: classic, count: 257)).validate()
        }
        #expect(throws: BCMError.tooManyFrames(opcode: .rxSetup, count: 258, maximum: 257)) {
            try BCMMessage(opcode: .rxSetup, rawID: 0x10, frames: Array(repeating: classic, count: 258)).validate()
        }
        #expect(throws: BCMError.mixedFrameKinds(index: 1, jobIsFD: false)) {
            try BCMMessage(opcode: .txSetup, rawID: 0x10, frames: [classic, fd]).encoded()
        }
        #expect(throws: BCMError.mixedFrameKinds(index: 0, jobIsFD: true)) {
            try BCMMessage(opcode: .txSetup, flags: .fdFrames, rawID: 0x10, frames: [classic]).encoded()
        }
        #expect(throws: BCMError.negativeInterval(name: "interval 1 (ival1)", value: .milliseconds(-1))) {
            try BCMMessage(opcode: .txSetup, interval1: .milliseconds(-1), rawID: 0x10, frames: [classic]).encoded()
        }
        #expect(throws: BCMError.intervalTooLong(name: "interval 2 (ival2)", value: .seconds(400 * 86400 + 1))) {
            try BCMMessage(opcode: .txSetup, interval2: .seconds(400 * 86400 + 1), rawID: 0x10, frames: [classic]).encoded()
        }
        #expect(throws: BCMError.idOutOfRange(0x800)) {
            try BCMMessage(opcode: .txDelete, rawID: 0x800).encoded()
        }
        #expect(throws: Never.self) { try BCMMessage(opcode: .txDelete, rawID: 0x8000_0800).encoded() }
        #expect(BCMError.mixedFrameKinds(index: 1, jobIsFD: false).description
            == "frame 1 is CAN FD in a classic job: all frames of a job must be of one kind")
        #expect(BCMError.tooManyFrames(opcode: .txSetup, count: 300, maximum: 256).description
            == "TX_SETUP: 300 frames, the kernel takes at most 256 per job")
    }

    @Test("malformed kernel bytes give a typed error, never a crash")
    func decodingErrors() throws {
        #expect(throws: BCMError.truncatedMessage(count: 55)) { try BCMMessage(kernelBytes: [UInt8](repeating: 0, count: 55)) }
        var bytes = try BCMMessage(opcode: .rxChanged, rawID: 0x123, frames: [CANFrame(id: CANID(standard: 0x123), data: [1])]).encoded()
        #expect(throws: BCMError.lengthMismatch(count: 71, nframes: 1, frameSize: 16)) { try BCMMessage(kernelBytes: Array(bytes.dropLast())) }
        bytes[52] = 0xFF; bytes[53] = 0xFF; bytes[54] = 0xFF; bytes[55] = 0xFF  // nframes = UInt32.max
        #expect(throws: BCMError.lengthMismatch(count: 72, nframes: UInt32.max, frameSize: 16)) { try BCMMessage(kernelBytes: bytes) }
        bytes[52] = 1; bytes[53] = 0; bytes[54] = 0; bytes[55] = 0
        bytes[5] = 0x08  // CAN_FD_FRAME: a 72-byte frame is now expected
        #expect(throws: BCMError.lengthMismatch(count: 72, nframes: 1, frameSize: 72)) { try BCMMessage(kernelBytes: bytes) }
    }
}

@Suite("BCM events")
struct BCMEventTests {
    func decode(_ message: BCMMessage, ifindex: CInt = 3) throws -> BCMEvent {
        try message.encoded().withUnsafeBytes { raw in try BCMEvent(kernelBytes: raw, interfaceIndex: ifindex) }
    }

    @Test("kernel notifications decode into typed events keyed by (id, interface, FD)")
    func notifications() throws {
        let frame = try CANFrame(id: CANID(standard: 0x123), data: [9, 8])
        #expect(try decode(BCMMessage(opcode: .rxChanged, flags: .checkDLC, rawID: 0x123, frames: [frame]))
            == .rxChanged(BCMJobKey(rawID: 0x123, interfaceIndex: 3, isFD: false), frame))
        #expect(try decode(BCMMessage(opcode: .txExpired, flags: [.countEvent, .fdFrames], rawID: 0x8000_0042))
            == .txExpired(BCMJobKey(rawID: 0x8000_0042, interfaceIndex: 3, isFD: true)))
        #expect(try decode(BCMMessage(opcode: .rxTimeout, rawID: 0x7FF)) == .rxTimeout(BCMJobKey(rawID: 0x7FF, interfaceIndex: 3, isFD: false)))
        let status = try decode(BCMMessage(opcode: .txStatus, flags: [.setTimer, .startTimer], count: 2,
                                           interval1: .milliseconds(1), interval2: .milliseconds(100),
                                           rawID: 0x123, frames: [frame, frame]))
        guard case .txStatus(let s) = status else { Issue.record("expected TX_STATUS, got \(status)"); return }
        #expect(s.count == 2 && s.interval1 == .milliseconds(1) && s.interval2 == .milliseconds(100) && s.frames == [frame, frame])
        #expect(s.key.description == "123@3")
    }

    @Test("a request opcode from the kernel, or RX_CHANGED without its frame, is an error")
    func unexpected() throws {
        #expect(throws: BCMError.unexpectedOpcode(.txSetup)) { try decode(BCMMessage(opcode: .txSetup, rawID: 1)) }
        #expect(throws: BCMError.lengthMismatch(count: 56, nframes: 0, frameSize: 16)) { try decode(BCMMessage(opcode: .rxChanged, rawID: 1)) }
    }
}
