import CCANShims
import Testing

@testable import CANSocket

@Suite("CANID")
struct CANIDTests {
    @Test func standardAndExtendedBounds() throws {
        let standard = try CANID(standard: 0x7FF)
        #expect(standard.rawValue == 0x7FF && !standard.isExtended)
        #expect(standard.kernelID == 0x7FF)
        let extended = try CANID(extended: 0x1FFF_FFFF)
        #expect(extended.rawValue == 0x1FFF_FFFF && extended.isExtended)
        #expect(extended.kernelID == 0x9FFF_FFFF)
        #expect(throws: CANFrameError.idOutOfRange(0x800, extended: false)) { try CANID(standard: 0x800) }
        #expect(throws: CANFrameError.idOutOfRange(0x2000_0000, extended: true)) { try CANID(extended: 0x2000_0000) }
    }

    @Test func errorMessagesSayWhatWasWrong() {
        #expect(CANFrameError.idOutOfRange(0x800, extended: false).description == "CAN id 0x800 does not fit 11 bits (max 0x7FF)")
        #expect(CANFrameError.invalidFDLength(13).description.contains("13 bytes is not a CAN FD length"))
    }

    @Test func kernelWordKeepsOnlyIDBits() {
        let id = CANID(kernelID: 0xC000_0123)  // EFF + RTR
        #expect(id.isExtended && id.rawValue == 0x123)
        #expect(CANID(kernelID: 0x4000_0FFF).rawValue == 0x7FF)
        #expect(CANID(kernelID: 0x123).description == "123")
        #expect(CANID(kernelID: 0x8000_00AB).description == "000000AB")
    }
}

@Suite("CANFrame")
struct CANFrameTests {
    @Test func kernelSizesMatchTheCStructs() {
        #expect(CANFrame.classicSize == MemoryLayout<can_frame>.size)
        #expect(CANFrame.fdSize == MemoryLayout<canfd_frame>.size)
        #expect(MemoryLayout<can_frame>.offset(of: \can_frame.data) == 8)
        #expect(MemoryLayout<can_frame>.offset(of: \can_frame.len8_dlc) == 7)
        #expect(MemoryLayout<canfd_frame>.offset(of: \canfd_frame.flags) == 5)
        #expect(MemoryLayout<canfd_frame>.offset(of: \canfd_frame.data) == 8)
    }

    @Test func classicDataFrame() throws {
        let frame = try CANFrame(id: CANID(standard: 0x123), data: [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(frame.rawID == 0x123 && frame.count == 4 && frame.data == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(!frame.isFD && !frame.isRemote && !frame.isError && !frame.isExtended && frame.isData)
        #expect(frame[3] == 0xEF && frame[4] == 0)
        #expect(frame.dlc == 4)
        #expect(throws: CANFrameError.tooMuchData(count: 9, maximum: 8)) {
            try CANFrame(id: CANID(standard: 1), data: [UInt8](repeating: 0, count: 9))
        }
    }

    @Test func len8DLCOnlyOnEightByteFrames() throws {
        let frame = try CANFrame(id: CANID(standard: 1), data: [UInt8](repeating: 0xAA, count: 8), len8DLC: 12)
        #expect(frame.len8DLC == 12 && frame.dlc == 12 && frame.count == 8)
        #expect(throws: CANFrameError.invalidLen8DLC(12, count: 7)) {
            try CANFrame(id: CANID(standard: 1), data: [UInt8](repeating: 0, count: 7), len8DLC: 12)
        }
        #expect(throws: CANFrameError.invalidLen8DLC(8, count: 8)) {
            try CANFrame(id: CANID(standard: 1), data: [UInt8](repeating: 0, count: 8), len8DLC: 8)
        }
    }

    @Test func remoteFrame() throws {
        let frame = try CANFrame(remote: CANID(extended: 0x1234_5678), length: 3)
        #expect(frame.rawID == 0xC000_0000 | 0x1234_5678)
        #expect(frame.isRemote && frame.isExtended && frame.count == 3 && frame.data.isEmpty)
        #expect(frame.id == (try CANID(extended: 0x1234_5678)))
        #expect(throws: CANFrameError.invalidRemoteLength(9)) { try CANFrame(remote: CANID(standard: 1), length: 9) }
    }

    @Test(arguments: [0, 1, 7, 8, 12, 16, 20, 24, 32, 48, 64])
    func fdFrameValidLengths(length: Int) throws {
        let bytes = (0..<length).map { UInt8($0) }
        let frame = try CANFrame(fd: CANID(standard: 0x456), data: bytes, flags: [.bitRateSwitch])
        #expect(frame.isFD && frame.count == length && frame.data == bytes)
        #expect(frame.fdFlags == [.bitRateSwitch, .fdFormat])
        #expect(CANFrame.fdLengths[Int(frame.dlc)] == length)
    }

    @Test(arguments: [9, 10, 13, 33, 63, 65])
    func fdFrameInvalidLengths(length: Int) {
        #expect(throws: CANFrameError.self) {
            try CANFrame(fd: CANID(standard: 0x456), data: [UInt8](repeating: 0, count: length))
        }
    }

    @Test func errorFrame() throws {
        let frame = try CANFrame(errorClass: 0x004, data: [0, 0x04, 0, 0, 0, 0, 0, 0])
        #expect(frame.isError && frame.rawID == 0x2000_0004 && frame.count == 8)
        #expect(frame.id.rawValue == 0x004 && frame.id.isExtended)
        #expect(throws: CANFrameError.self) { try CANFrame(errorClass: 0x2000_0000, data: []) }
    }

    @Test func equalityComparesOnlyTheUsedBytes() throws {
        // Same frame reached two ways: bytes beyond `count` differ in the kernel buffer.
        var raw = [UInt8](repeating: 0, count: 16)
        raw[0] = 0x23; raw[1] = 0x01; raw[4] = 2; raw[8] = 0xAA; raw[9] = 0xBB; raw[10] = 0xCC
        let decoded = try CANFrame(kernelBytes: raw)
        let built = try CANFrame(id: CANID(standard: 0x123), data: [0xAA, 0xBB])
        #expect(decoded == built)
        #expect(decoded.hashValue == built.hashValue)
        #expect(decoded != (try CANFrame(id: CANID(standard: 0x123), data: [0xAA, 0xBC])))
        #expect(Set([decoded, built]).count == 1)
    }

    // MARK: Kernel codec against the real structs

    @Test func encodeClassicIntoCStruct() throws {
        let frame = try CANFrame(id: CANID(extended: 0x1ABC_DEF0), data: [1, 2, 3, 4, 5, 6, 7, 8], len8DLC: 15)
        var c = can_frame()
        withUnsafeMutableBytes(of: &c) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0xEE) }
        let written = withUnsafeMutableBytes(of: &c) { frame.encode(into: $0) }
        #expect(written == 16)
        #expect(c.can_id == 0x9ABC_DEF0)
        #expect(c.len == 8 && c.__pad == 0 && c.__res0 == 0 && c.len8_dlc == 15)
        #expect(withUnsafeBytes(of: c.data) { Array($0) } == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func encodeFDIntoCStructZeroPads() throws {
        let frame = try CANFrame(fd: CANID(standard: 0x7FF), data: [0x11, 0x22, 0x33], flags: [.bitRateSwitch, .errorStateIndicator])
        var c = canfd_frame()
        withUnsafeMutableBytes(of: &c) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0xEE) }
        let written = withUnsafeMutableBytes(of: &c) { frame.encode(into: $0) }
        #expect(written == 72)
        #expect(c.can_id == 0x7FF && c.len == 3)
        #expect(c.flags == UInt8(CANFD_BRS | CANFD_ESI | CANFD_FDF))
        #expect(c.__res0 == 0 && c.__res1 == 0)
        let data = withUnsafeBytes(of: c.data) { Array($0) }
        #expect(data[0..<3] == [0x11, 0x22, 0x33] && data[3...].allSatisfy { $0 == 0 })
    }

    @Test func remoteEncodesNoData() throws {
        let frame = try CANFrame(remote: CANID(standard: 0x12), length: 5)
        var c = can_frame()
        let written = withUnsafeMutableBytes(of: &c) { frame.encode(into: $0) }
        #expect(written == 16 && c.can_id == 0x12 | UInt32(CAN_RTR_FLAG) && c.len == 5)
        #expect(withUnsafeBytes(of: c.data) { Array($0) } == [0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func decodeClassicFromCStruct() throws {
        var c = can_frame()
        c.can_id = 0x123 | UInt32(CAN_EFF_FLAG)
        c.len = 8
        c.len8_dlc = 9
        c.data = (9, 8, 7, 6, 5, 4, 3, 2)
        let frame = try withUnsafeBytes(of: c) { try CANFrame(kernelBytes: $0) }
        #expect(frame.isExtended && frame.id.rawValue == 0x123 && !frame.isFD)
        #expect(frame.data == [9, 8, 7, 6, 5, 4, 3, 2] && frame.len8DLC == 9 && frame.dlc == 9)
        // Round trip: the same 16 bytes.
        #expect(frame.kernelBytes == withUnsafeBytes(of: c) { Array($0) })
    }

    @Test func decodeFDFromCStruct() throws {
        var c = canfd_frame()
        c.can_id = 0x321
        c.len = 64
        c.flags = UInt8(CANFD_FDF | CANFD_ESI)
        withUnsafeMutableBytes(of: &c.data) { for i in 0..<64 { $0[i] = UInt8(i * 3 & 0xFF) } }
        let frame = try withUnsafeBytes(of: c) { try CANFrame(kernelBytes: $0) }
        #expect(frame.isFD && frame.count == 64 && frame.fdFlags == [.fdFormat, .errorStateIndicator])
        #expect(frame.data == (0..<64).map { UInt8($0 * 3 & 0xFF) })
        #expect(frame.kernelBytes == withUnsafeBytes(of: c) { Array($0) })
        frame.withUnsafeData { #expect($0.count == 64 && $0[63] == UInt8(63 * 3 & 0xFF)) }
    }

    @Test func decodeClampsLengthToTheStructure() throws {
        var raw = [UInt8](repeating: 0, count: 16)
        raw[4] = 15  // a classic frame cannot carry more than 8
        #expect(try CANFrame(kernelBytes: raw).count == 8)
    }

    @Test(arguments: [0, 8, 15, 17, 71, 73])
    func decodeRejectsOtherSizes(size: Int) {
        #expect(throws: CANFrameError.invalidKernelSize(size)) {
            try CANFrame(kernelBytes: [UInt8](repeating: 0, count: size))
        }
    }

    @Test func frameStaysInline() {
        // 64 data bytes and the header fields, no reference: copying a frame never touches the heap.
        #expect(MemoryLayout<CANFrame>.size <= 96)
        #expect(_isPOD(CANFrame.self))
    }
}
