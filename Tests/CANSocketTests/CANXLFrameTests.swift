import CCANShims
import Testing

@testable import CANSocket

@Suite("CANXLFrame")
struct CANXLFrameTests {
    @Test("the Swift layout matches the kernel header's struct canxl_frame")
    func layoutMatchesKernelHeader() {
        #expect(MemoryLayout<canxl_frame>.size == CANXLFrame.mtu)
        #expect(MemoryLayout<canxl_frame>.offset(of: \canxl_frame.flags) == 4)
        #expect(MemoryLayout<canxl_frame>.offset(of: \canxl_frame.sdt) == 5)
        #expect(MemoryLayout<canxl_frame>.offset(of: \canxl_frame.len) == 6)
        #expect(MemoryLayout<canxl_frame>.offset(of: \canxl_frame.af) == 8)
        #expect(MemoryLayout<canxl_frame>.offset(of: \canxl_frame.data) == CANXLFrame.headerSize)
        #expect(CANXLFlags.xlFormat.rawValue == UInt8(CANXL_XLF) && CANXLFlags.simpleExtendedContent.rawValue == UInt8(CANXL_SEC))
        #expect(CANXLFrame.priorityMask == UInt32(CANXL_PRIO_MASK))
        #expect(CANXLFrame.maximumDataLength == Int(CANXL_MAX_DLEN) && CANXLFrame.minimumDataLength == Int(CANXL_MIN_DLEN))
    }

    @Test("encode writes what the C struct holds, and decode reads it back")
    func roundTripThroughTheCStruct() throws {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let frame = try CANXLFrame(priority: 0x598, vcid: 0x39, flags: [.simpleExtendedContent, .remoteRequestSubstitution],
                                   serviceDataUnitType: 0x4A, acceptanceField: 0x3239_B34A, data: data)
        #expect(frame.flags == [.xlFormat, .simpleExtendedContent, .remoteRequestSubstitution])
        var c = canxl_frame()
        let written = withUnsafeMutableBytes(of: &c) { frame.encode(into: $0) }
        #expect(written == 12 + 300)
        #expect(c.prio == 0x0039_0598 && c.flags == 0x83 && c.sdt == 0x4A && c.len == 300 && c.af == 0x3239_B34A)
        withUnsafeBytes(of: c.data) { #expect(Array($0.prefix(300)) == data) }
        let decoded = try withUnsafeBytes(of: c) { try CANXLFrame(kernelBytes: UnsafeRawBufferPointer(rebasing: $0[..<written])) }
        #expect(decoded == frame)
        #expect(try CANXLFrame(kernelBytes: frame.kernelBytes) == frame)
        #expect(frame.kernelPriority == 0x0039_0598)
    }

    @Test("invalid priority, flags and lengths are typed errors")
    func constructionErrors() {
        #expect(throws: CANXLFrameError.priorityOutOfRange(0x800)) { try CANXLFrame(priority: 0x800, data: [1]) }
        #expect(throws: CANXLFrameError.invalidDataLength(0)) { try CANXLFrame(priority: 1, data: []) }
        #expect(throws: CANXLFrameError.invalidDataLength(2049)) {
            try CANXLFrame(priority: 1, data: [UInt8](repeating: 0, count: 2049))
        }
        #expect(throws: CANXLFrameError.reservedFlags(0x04)) { try CANXLFrame(priority: 1, flags: CANXLFlags(rawValue: 0x04), data: [1]) }
        #expect((try? CANXLFrame(priority: 0x7FF, data: [UInt8](repeating: 0xAA, count: 2048)))?.kernelSize == CANXLFrame.mtu)
        #expect(CANXLFrameError.invalidDataLength(0).description == "0 data bytes: a CAN XL frame carries 1 to 2048")
    }

    @Test("kernel bytes that are no canxl_frame are refused with what was wrong")
    func decodingErrors() throws {
        let good = try CANXLFrame(priority: 0x123, data: [1, 2, 3]).kernelBytes
        #expect(throws: CANXLFrameError.invalidKernelSize(12)) { try CANXLFrame(kernelBytes: Array(good.prefix(12))) }
        #expect(throws: CANXLFrameError.kernelLengthMismatch(length: 3, size: 14)) { try CANXLFrame(kernelBytes: Array(good.prefix(14))) }
        var noXLF = good
        noXLF[4] = 0x01
        #expect(throws: CANXLFrameError.missingXLFFlag(0x01)) { try CANXLFrame(kernelBytes: noXLF) }
        var zeroLength = good
        zeroLength[6] = 0
        #expect(throws: CANXLFrameError.invalidDataLength(0)) { try CANXLFrame(kernelBytes: zeroLength) }
        #expect(throws: CANXLFrameError.invalidKernelSize(2061)) { try CANXLFrame(kernelBytes: [UInt8](repeating: 0x80, count: 2061)) }
    }

    @Test("CANAnyFrame tells classic, FD and XL apart by the XLF bit, also where sizes coincide (16, 72 bytes)")
    func anyFrameByXLF() throws {
        let classic = try CANFrame(id: CANID(standard: 0x123), data: [1])
        let fd = try CANFrame(fd: CANID(standard: 0x123), data: [UInt8](repeating: 2, count: 64))
        let xl4 = try CANXLFrame(priority: 0x123, data: [1, 2, 3, 4])  // 12 + 4: as many bytes as a can_frame
        let xl60 = try CANXLFrame(priority: 0x123, data: [UInt8](repeating: 3, count: 60))  // 12 + 60: a canfd_frame's 72
        let xl9 = try CANXLFrame(priority: 0x123, data: [UInt8](repeating: 4, count: 9))
        #expect(xl4.kernelSize == CANFrame.classicSize && xl60.kernelSize == CANFrame.fdSize)
        for frame in [CANAnyFrame.can(classic), .can(fd), .xl(xl4), .xl(xl60), .xl(xl9)] {
            var buffer = [UInt8](repeating: 0, count: CANXLFrame.mtu)
            let count = buffer.withUnsafeMutableBytes { frame.encode(into: $0) }
            #expect(count == frame.kernelSize)
            let decoded = try buffer.withUnsafeBytes { try CANAnyFrame(kernelBytes: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            #expect(decoded == frame)
        }
    }
}

@Suite("LinuxKernelVersion")
struct LinuxKernelVersionTests {
    @Test("release strings of Debian, Ubuntu and mainline kernels", arguments: [
        ("6.1.0-57-amd64", 6, 1, 0), ("6.12.95+deb12-amd64", 6, 12, 95), ("5.15.0-91-generic", 5, 15, 0),
        ("6.9-rc1", 6, 9, 0), ("4.19.325", 4, 19, 325),
    ])
    func parses(release: String, major: Int, minor: Int, patch: Int) throws {
        let version = try #require(LinuxKernelVersion(release: release))
        #expect(version.major == major && version.minor == minor && version.patch == patch && version.release == release)
    }

    @Test func comparesAndRefusesGarbage() throws {
        #expect(LinuxKernelVersion(release: "linux") == nil)
        let v61 = try #require(LinuxKernelVersion(release: "6.1.0-57-amd64"))
        let v612 = try #require(LinuxKernelVersion(release: "6.12.95+deb12-amd64"))
        #expect(v61 < v612 && v612.isAtLeast(6, 9) && !v61.isAtLeast(6, 2) && v61.isAtLeast(6, 1))
        #expect(LinuxKernelVersion.running != nil)
    }

    @Test("ISO-TP's compiled-in PDU limit by kernel version (net/can/isotp.c MAX_MSG_LENGTH, DEFAULT_MAX_PDU_SIZE)")
    func isotpLimits() {
        let limit = { (release: String) in ISOTPSocket.compiledInMaximumPDUSize(for: LinuxKernelVersion(release: release)) }
        #expect(limit("5.10.0-30-amd64") == 8200)
        #expect(limit("5.18.1") == 66000)
        #expect(limit("6.1.0-57-amd64") == 66000)
        #expect(limit("6.4.0") == 8300)
        #expect(limit("6.12.95+deb12-amd64") == 8300)
    }
}
