import Testing

@testable import CANSocket

/// Frames captured in the VM with `candump -L vcan0` while can-utils 2020.11 `isotpsend` and `isotprecv` talked
/// (sender 7E0, receiver 7E8); the expectations are worked out by hand from ISO 15765-2.
enum ISOTPCaptures {
    /// `echo 01 … 14 | isotpsend -s 7e0 -d 7e8 vcan0` to `isotprecv -s 7e8 -d 7e0 vcan0`: a 20-byte PDU.
    static let normal20 = ["7E0#1014010203040506", "7E8#300000", "7E0#210708090A0B0C0D", "7E0#220E0F1011121314"]
    /// The same with `isotprecv -p AA:AA -b 2 -m F5`: a padded flow control with block size 2, STmin 500 µs.
    static let padded20 = ["7E0#1014010203040506", "7E8#3002F5AAAAAAAAAA", "7E0#210708090A0B0C0D", "7E0#220E0F1011121314"]
    /// Extended addressing: `isotpsend -x 34:12`, `isotprecv -x 12:34`.
    static let extended20 = ["7E0#3410140102030405", "7E8#12300000", "7E0#3421060708090A0B", "7E0#34220C0D0E0F1011", "7E0#3423121314"]
    /// `echo 11 22 33 44 55 | isotpsend …`: one single frame.
    static let single5 = ["7E0#051122334455"]
    /// `isotpsend -L 72:64:0` with 30 bytes: a CAN FD single frame in the escape form (SF_DL in byte 2).
    static let fdSingle30 = ["7E0##4001E0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E"]
    /// `isotpsend -L 72:64:0` with 100 bytes: a 64-byte FD first frame, then one consecutive frame padded with CC.
    static let fd100 = [
        "7E0##410640102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E",
        "7E8##4300000",
        "7E0##4213F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F6061626364CCCCCCCCCCCCCCCCCC",
    ]
    /// The first frames of a 5000-byte PDU (bytes `i % 256` for i = 1…5000): FF_DL above 4095 uses the 32-bit escape.
    static let long5000 = ["7E0#1000000013880102", "7E8#300000", "7E0#2103040506070809", "7E0#220A0B0C0D0E0F10"]

    static func frames(_ lines: [String]) throws -> [CANFrame] { try lines.map { try CANFrameText.parse($0) } }
}

@Suite("ISO-TP frame decoder")
struct ISOTPFrameTests {
    func decode(_ text: String, _ addressing: ISOTPFrame.Addressing = .normal) throws -> ISOTPFrame {
        try ISOTPFrame(decoding: CANFrameText.parse(text), addressing: addressing)
    }

    @Test("isotpsend's 20-byte PDU: first frame, flow control, two consecutive frames")
    func normalTwentyBytes() throws {
        let f = try ISOTPCaptures.frames(ISOTPCaptures.normal20).map { try ISOTPFrame(decoding: $0) }
        #expect(f[0].kind == .first(totalLength: 20) && f[0].payload == Array(1...6))
        #expect(f[1].kind == .flowControl(.continueToSend, blockSize: 0, separationTime: 0) && f[1].payload.isEmpty)
        #expect(f[2].kind == .consecutive(sequenceNumber: 1) && f[2].payload == Array(7...13))
        #expect(f[3].kind == .consecutive(sequenceNumber: 2) && f[3].payload == Array(14...20))
        #expect(f.allSatisfy { $0.address == nil })
        #expect(f.map(\.description) == ["FF 20", "FC CTS bs=0 st=0x00", "CF 1", "CF 2"])
    }

    @Test("a padded flow control with block size and a microsecond STmin")
    func paddedFlowControl() throws {
        let fc = try decode(ISOTPCaptures.padded20[1])
        #expect(fc.kind == .flowControl(.continueToSend, blockSize: 2, separationTime: 0xF5))
        #expect(ISOTPFrame.separationTime(0xF5) == .microseconds(500))
        #expect(fc.payload.isEmpty, "padding is not payload")
    }

    @Test("extended addressing: the first byte is the address, the PCI follows")
    func extendedAddressing() throws {
        let f = try ISOTPCaptures.frames(ISOTPCaptures.extended20).map { try ISOTPFrame(decoding: $0, addressing: .extended) }
        #expect(f.map(\.address) == [0x34, 0x12, 0x34, 0x34, 0x34])
        #expect(f[0].kind == .first(totalLength: 20) && f[0].payload == Array(1...5))
        #expect(f[1].kind == .flowControl(.continueToSend, blockSize: 0, separationTime: 0))
        #expect(f[2].payload == Array(6...11) && f[3].payload == Array(12...17))
        #expect(f[4].kind == .consecutive(sequenceNumber: 3) && f[4].payload == [18, 19, 20])
        #expect(f[0].description == "[ea 0x34] FF 20")
        // Read with normal addressing, the address byte 0x34 would be a flow control with reserved status 4.
        #expect(throws: ISOTPFrameError.reservedFlowStatus(4)) { _ = try decode(ISOTPCaptures.extended20[0]) }
    }

    @Test("single frames: classic SF_DL, and CAN FD's escape form")
    func singleFrames() throws {
        let sf = try decode(ISOTPCaptures.single5[0])
        #expect(sf.kind == .single(length: 5) && sf.payload == [0x11, 0x22, 0x33, 0x44, 0x55])
        let fd = try decode(ISOTPCaptures.fdSingle30[0])
        #expect(fd.frame.isFD && fd.frame.count == 32)
        #expect(fd.kind == .single(length: 30) && fd.payload == Array(1...30))
        // 62 bytes fill a 64-byte FD frame.
        let full = try ISOTPFrame(decoding: CANFrame(fd: CANID(standard: 1), data: [0x00, 62] + Array(repeating: 7, count: 62)))
        #expect(full.kind == .single(length: 62) && full.payload.count == 62)
        // Padding after SF_DL is not payload.
        #expect(try decode("7E0#0111CCCCCCCCCCCC").payload == [0x11])
    }

    @Test("CAN FD first frame and a padded consecutive frame; the 32-bit FF_DL escape")
    func fdAndLongFirstFrames() throws {
        let f = try ISOTPCaptures.frames(ISOTPCaptures.fd100).map { try ISOTPFrame(decoding: $0) }
        #expect(f[0].kind == .first(totalLength: 100) && f[0].payload == Array(1...62))
        #expect(f[2].kind == .consecutive(sequenceNumber: 1) && f[2].payload.prefix(38) == ArraySlice(63...100))
        #expect(f[2].payload.count == 47, "the range runs to the frame's end; only FF_DL says where the PDU ends")
        let long = try decode(ISOTPCaptures.long5000[0])
        #expect(long.kind == .first(totalLength: 5000) && long.payload == [1, 2])
    }

    @Test("STmin encoding: 0x00–0x7F ms, 0xF1–0xF9 = 100–900 µs, others reserved")
    func separationTimes() {
        #expect(ISOTPFrame.separationTime(0x00) == .zero)
        #expect(ISOTPFrame.separationTime(0x7F) == .milliseconds(127))
        #expect(ISOTPFrame.separationTime(0xF1) == .microseconds(100))
        #expect(ISOTPFrame.separationTime(0xF9) == .microseconds(900))
        for reserved: UInt8 in [0x80, 0xC0, 0xF0, 0xFA, 0xFF] { #expect(ISOTPFrame.separationTime(reserved) == nil) }
    }

    @Test("malformed frames give typed errors saying what is wrong")
    func malformed() throws {
        #expect(throws: ISOTPFrameError.tooShort(frameType: "any", count: 0, minimum: 1)) { _ = try decode("7E0#") }
        #expect(throws: ISOTPFrameError.tooShort(frameType: "any", count: 1, minimum: 2)) { _ = try decode("7E0#12", .extended) }
        #expect(throws: ISOTPFrameError.reservedFrameType(4)) { _ = try decode("7E0#4001") }
        #expect(throws: ISOTPFrameError.reservedFrameType(0xF)) { _ = try decode("7E0#F0") }
        #expect(throws: ISOTPFrameError.invalidSingleFrameLength(0, maximum: 7, escape: false)) { _ = try decode("7E0#0011223344556677") }
        #expect(throws: ISOTPFrameError.invalidSingleFrameLength(7, maximum: 4, escape: false)) { _ = try decode("7E0#0711223344") }
        #expect(throws: ISOTPFrameError.invalidSingleFrameLength(7, maximum: 5, escape: false)) { _ = try decode("7E0#12071122334455", .extended) }
        #expect(throws: ISOTPFrameError.singleFrameWithoutEscape(nibble: 5, count: 12)) { _ = try decode("7E0##4051122334455000000000000") }
        #expect(throws: ISOTPFrameError.invalidSingleFrameLength(5, maximum: 10, escape: true)) { _ = try decode("7E0##4000511223344550000000000") }
        #expect(throws: ISOTPFrameError.invalidSingleFrameLength(11, maximum: 10, escape: true)) { _ = try decode("7E0##4000B11223344550000000000") }
        #expect(throws: ISOTPFrameError.tooShort(frameType: "first frame", count: 6, minimum: 8)) { _ = try decode("7E0#101401020304") }
        #expect(throws: ISOTPFrameError.invalidFirstFrameLength(7, minimum: 8)) { _ = try decode("7E0#1007010203040506") }
        #expect(throws: ISOTPFrameError.invalidFirstFrameLength(100, minimum: 4096)) { _ = try decode("7E0#1000000000640102") }
        #expect(throws: ISOTPFrameError.tooShort(frameType: "consecutive frame", count: 1, minimum: 2)) { _ = try decode("7E0#21") }
        #expect(throws: ISOTPFrameError.tooShort(frameType: "flow control", count: 2, minimum: 3)) { _ = try decode("7E0#3000") }
        #expect(throws: ISOTPFrameError.reservedFlowStatus(3)) { _ = try decode("7E0#330000") }
        #expect(throws: ISOTPFrameError.notDataFrame) { _ = try decode("7E0#R") }
        #expect(ISOTPFrameError.invalidSingleFrameLength(7, maximum: 4, escape: false).description
            == "single frame length (SF_DL) 7: must be 1...4 for this frame")
        #expect(ISOTPFrameError.reservedFrameType(4).description.hasPrefix("reserved PCI frame type 4"))
    }

    @Test("every first byte at every length decodes or fails cleanly, never out of bounds")
    func exhaustiveFirstBytes() throws {
        var decoded = 0
        for addressing in [ISOTPFrame.Addressing.normal, .extended] {
            for length in CANFrame.fdLengths {
                for first in 0...255 {
                    let data = (0..<length).map { $0 == addressing.offset ? UInt8(first) : UInt8(truncatingIfNeeded: $0 &* 37) }
                    let frame = length <= 8 ? try CANFrame(id: CANID(standard: 1), data: data) : try CANFrame(fd: CANID(standard: 1), data: data)
                    guard let pci = try? ISOTPFrame(decoding: frame, addressing: addressing) else { continue }
                    decoded += 1
                    #expect(pci.payloadRange.lowerBound >= 0 && pci.payloadRange.upperBound <= length)
                }
            }
        }
        #expect(decoded > 0)
    }
}

@Suite("ISO-TP reassembler")
struct ISOTPReassemblerTests {
    func run(_ lines: [String], _ reassembler: inout ISOTPReassembler) throws -> [[UInt8]?] {
        try ISOTPCaptures.frames(lines).map { try reassembler.accept($0) }
    }

    @Test("reassembles isotpsend's PDUs: classic, padded, extended addressing, CAN FD, single frame")
    func capturedPDUs() throws {
        var normal = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8)
        #expect(try run(ISOTPCaptures.normal20, &normal) == [nil, nil, nil, Array(1...20)])
        #expect(try run(ISOTPCaptures.padded20, &normal) == [nil, nil, nil, Array(1...20)])
        #expect(try run(ISOTPCaptures.single5, &normal) == [[0x11, 0x22, 0x33, 0x44, 0x55]])
        #expect(try run(ISOTPCaptures.fd100, &normal) == [nil, nil, Array(1...100)], "CC padding dropped")
        #expect(try run(ISOTPCaptures.fdSingle30, &normal) == [Array(1...30)])
        var extended = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8, addressing: .extended)
        #expect(try run(ISOTPCaptures.extended20, &extended) == [nil, nil, nil, nil, Array(1...20)])
    }

    @Test("a 5000-byte PDU: 32-bit FF_DL, sequence numbers wrap from 15 to 0")
    func longPDUWraps() throws {
        let pdu = (1...5000).map { UInt8(truncatingIfNeeded: $0) }
        var frames = try ISOTPCaptures.frames(ISOTPCaptures.long5000.prefix(2).map { $0 })
        var offset = 2, sn: UInt8 = 1
        while offset < pdu.count {  // the consecutive frames isotpsend goes on with: 0x2N and 7 bytes each
            let chunk = Array(pdu[offset..<min(offset + 7, pdu.count)])
            frames.append(try CANFrame(id: CANID(standard: 0x7E0), data: [0x20 | sn] + chunk))
            offset += 7
            sn = (sn + 1) & 0xF
        }
        #expect(frames[2] == (try CANFrameText.parse(ISOTPCaptures.long5000[2])), "same as the capture")
        #expect(frames[3] == (try CANFrameText.parse(ISOTPCaptures.long5000[3])))
        var r = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8)
        var results: [[UInt8]] = []
        for frame in frames { if let done = try r.accept(frame) { results.append(done) } }
        #expect(results == [pdu])
        var small = ISOTPReassembler(dataID: 0x7E0, maximumLength: 4096)
        #expect(throws: ISOTPFrameError.pduTooLong(5000, maximum: 4096)) { _ = try small.accept(frames[0]) }
    }

    @Test("out-of-order, unexpected and aborted transfers are errors; other ids are ignored")
    func errors() throws {
        var r = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8)
        let f = try ISOTPCaptures.frames(ISOTPCaptures.normal20)
        #expect(throws: ISOTPFrameError.unexpectedConsecutiveFrame(sequenceNumber: 1)) { _ = try r.accept(f[2]) }
        #expect(try r.accept(f[0]) == nil && r.isReceiving)
        #expect(throws: ISOTPFrameError.wrongSequenceNumber(expected: 1, received: 2)) { _ = try r.accept(f[3]) }
        #expect(!r.isReceiving, "the transfer is dropped")
        #expect(try r.accept(f[0]) == nil)
        #expect(try r.accept(CANFrameText.parse("123#0102")) == nil, "another id")
        #expect(throws: ISOTPFrameError.abortedByReceiver) { _ = try r.accept(CANFrameText.parse("7E8#320000")) }
        #expect(!r.isReceiving)
        // A new first frame restarts the transfer.
        #expect(try r.accept(f[0]) == nil)
        #expect(try r.accept(f[0]) == nil)
        #expect(try r.accept(f[2]) == nil)
        #expect(try r.accept(f[3]) == Array(1...20))
    }
}
