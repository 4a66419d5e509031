import CCANShims
import Testing

@testable import CANSocket

/// The bytes of a C struct, for comparing with the Swift encoders.
private func bytes<T>(of value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

@Suite("ISO-TP options")
struct ISOTPOptionsTests {
    @Test("can_isotp_options: 12 bytes, equal to the C struct field by field")
    func optionsMatchCStruct() throws {
        #expect(MemoryLayout<can_isotp_options>.size == 12)
        var options = ISOTPOptions()
        options.flags = [.transmitPadding, .receivePadding, .checkPaddingData, .waitTransmitDone]
        options.frameTransmitTime = .nanoseconds(123_456)
        options.extendedAddress = 0x12
        options.receiveExtendedAddress = 0x34
        options.transmitPadding = 0x55
        options.receivePadding = 0xAA
        options.forcedTransmitSeparationTime = 1000
        var c = can_isotp_options()
        c.flags = UInt32(CAN_ISOTP_TX_PADDING | CAN_ISOTP_RX_PADDING | CAN_ISOTP_CHK_PAD_DATA | CAN_ISOTP_WAIT_TX_DONE
            | CAN_ISOTP_EXTEND_ADDR | CAN_ISOTP_RX_EXT_ADDR | CAN_ISOTP_FORCE_TXSTMIN)
        c.frame_txtime = 123_456
        c.ext_address = 0x12
        c.txpad_content = 0x55
        c.rxpad_content = 0xAA
        c.rx_ext_address = 0x34
        #expect(options.kernelBytes == bytes(of: c))
        try options.validate()
    }

    @Test("defaults: no flags, frame_txtime 0 (keep the kernel's), pad 0xCC")
    func defaultOptions() throws {
        var c = can_isotp_options()
        c.txpad_content = UInt8(CAN_ISOTP_DEFAULT_PAD_CONTENT)
        c.rxpad_content = UInt8(CAN_ISOTP_DEFAULT_PAD_CONTENT)
        #expect(ISOTPOptions().kernelBytes == bytes(of: c))
        try ISOTPOptions().validate()
    }

    @Test("each flag equals its CAN_ISOTP_* constant")
    func flagValues() {
        let pairs: [(ISOTPFlags, Int32)] = [
            (.listenMode, CAN_ISOTP_LISTEN_MODE), (.extendedAddressing, CAN_ISOTP_EXTEND_ADDR),
            (.transmitPadding, CAN_ISOTP_TX_PADDING), (.receivePadding, CAN_ISOTP_RX_PADDING),
            (.checkPaddingLength, CAN_ISOTP_CHK_PAD_LEN), (.checkPaddingData, CAN_ISOTP_CHK_PAD_DATA),
            (.halfDuplex, CAN_ISOTP_HALF_DUPLEX), (.forceTransmitSeparationTime, CAN_ISOTP_FORCE_TXSTMIN),
            (.forceReceiveSeparationTime, CAN_ISOTP_FORCE_RXSTMIN), (.receiveExtendedAddress, CAN_ISOTP_RX_EXT_ADDR),
            (.waitTransmitDone, CAN_ISOTP_WAIT_TX_DONE), (.singleFrameBroadcast, CAN_ISOTP_SF_BROADCAST),
            (.consecutiveFrameBroadcast, CAN_ISOTP_CF_BROADCAST),
        ]
        for (flag, constant) in pairs { #expect(flag.rawValue == UInt32(constant)) }
        #expect(ISOTPFlags.known.rawValue == pairs.reduce(0) { $0 | $1.0.rawValue })
    }

    @Test("frame_txtime: 0 keeps the default, CAN_ISOTP_FRAME_TXTIME_ZERO means zero")
    func frameTransmitTime() throws {
        #expect(ISOTPFrameTransmitTime.zero.rawValue == UInt32(bitPattern: Int32(truncatingIfNeeded: CAN_ISOTP_FRAME_TXTIME_ZERO)))
        #expect(ISOTPFrameTransmitTime.kernelDefault.rawValue == 0)
        #expect(ISOTPFrameTransmitTime(rawValue: 0) == .kernelDefault)
        #expect(ISOTPFrameTransmitTime(rawValue: 0xFFFF_FFFF) == .zero)
        #expect(ISOTPFrameTransmitTime(rawValue: 50_000) == .nanoseconds(50_000))
        var options = ISOTPOptions()
        options.frameTransmitTime = .zero
        #expect(options.kernelBytes[4..<8] == [0xFF, 0xFF, 0xFF, 0xFF])
        options.frameTransmitTime = .nanoseconds(0)
        #expect(throws: ISOTPOptionsError.ambiguousFrameTransmitTime(0)) { try options.validate() }
        options.frameTransmitTime = .nanoseconds(0xFFFF_FFFF)
        #expect(throws: ISOTPOptionsError.ambiguousFrameTransmitTime(0xFFFF_FFFF)) { try options.validate() }
    }

    @Test("can_isotp_fc_options: 3 bytes bs, stmin, wftmax")
    func flowControlMatchesCStruct() throws {
        #expect(MemoryLayout<can_isotp_fc_options>.size == 3)
        let fc = ISOTPFlowControlOptions(blockSize: 8, separationTime: try ISOTPSeparationTime(microseconds: 300), maximumWaitFrames: 2)
        var c = can_isotp_fc_options()
        c.bs = 8
        c.stmin = 0xF3
        c.wftmax = 2
        #expect(fc.kernelBytes == bytes(of: c))
    }

    @Test("can_isotp_ll_options: 3 bytes mtu, tx_dl, tx_flags")
    func linkLayerMatchesCStruct() throws {
        #expect(MemoryLayout<can_isotp_ll_options>.size == 3)
        let ll = ISOTPLinkLayerOptions.fd(dataLength: 48, flags: [.bitRateSwitch])
        var c = can_isotp_ll_options()
        c.mtu = UInt8(MemoryLayout<canfd_frame>.size)  // CANFD_MTU
        c.tx_dl = 48
        c.tx_flags = UInt8(CANFD_BRS)
        #expect(ll.kernelBytes == bytes(of: c))
        try ll.validate()
        #expect(ISOTPLinkLayerOptions.classic.kernelBytes == [UInt8(MemoryLayout<can_frame>.size), UInt8(CAN_MAX_DLEN), 0])
    }

    @Test("STmin encodings: 0x00-0x7F ms and 0xF1-0xF9 µs are valid, the rest reserved")
    func separationTimeEncodings() throws {
        for value in UInt8.min...UInt8.max {
            let valid = value <= 0x7F || (0xF1...0xF9).contains(value)
            #expect((ISOTPSeparationTime(rawValue: value) != nil) == valid, "0x\(String(value, radix: 16))")
        }
        #expect(throws: ISOTPOptionsError.invalidSeparationTime(0x80)) { try ISOTPSeparationTime(encoded: 0x80) }
        #expect(throws: ISOTPOptionsError.invalidSeparationTimeMicroseconds(150)) { try ISOTPSeparationTime(microseconds: 150) }
        #expect(throws: ISOTPOptionsError.invalidSeparationTime(128)) { try ISOTPSeparationTime(milliseconds: 128) }
        #expect(try ISOTPSeparationTime(milliseconds: 127).rawValue == 0x7F)
        #expect(try ISOTPSeparationTime(microseconds: 900).rawValue == 0xF9)
        #expect(try ISOTPSeparationTime(encoded: 0xF5).duration == .microseconds(500))
        #expect(try ISOTPSeparationTime(encoded: 0x0A).duration == .milliseconds(10))
    }

    @Test("link layer validation: MTU 16/72, tx_dl a frame length, classic carries 8 and no FD flags")
    func linkLayerValidation() throws {
        #expect(throws: ISOTPOptionsError.invalidMTU(64)) { try ISOTPLinkLayerOptions(mtu: 64, transmitDataLength: 8, transmitFlags: []).validate() }
        #expect(throws: ISOTPOptionsError.invalidTransmitDataLength(13)) { try ISOTPLinkLayerOptions.fd(dataLength: 13).validate() }
        #expect(throws: ISOTPOptionsError.invalidTransmitDataLength(0)) { try ISOTPLinkLayerOptions.fd(dataLength: 0).validate() }
        #expect(throws: ISOTPOptionsError.transmitDataLengthNeedsFD(64)) {
            try ISOTPLinkLayerOptions(mtu: 16, transmitDataLength: 64, transmitFlags: []).validate()
        }
        #expect(throws: ISOTPOptionsError.transmitFlagsNeedFD(1)) {
            try ISOTPLinkLayerOptions(mtu: 16, transmitDataLength: 8, transmitFlags: [.bitRateSwitch]).validate()
        }
        #expect(throws: ISOTPOptionsError.invalidTransmitFlags(0x10)) {
            try ISOTPLinkLayerOptions.fd(dataLength: 64, flags: CANFDFlags(rawValue: 0x10)).validate()
        }
        for length in ISOTPLinkLayerOptions.validDataLengths { try ISOTPLinkLayerOptions.fd(dataLength: length).validate() }
        var options = ISOTPOptions()
        options.linkLayer = .fd(dataLength: 20)
        try options.validate()
        options.linkLayer = .fd(dataLength: 21)
        #expect(throws: ISOTPOptionsError.invalidTransmitDataLength(21)) { try options.validate() }
    }

    @Test("flag combinations the kernel refuses or misreads are refused first, with a message")
    func flagValidation() {
        var options = ISOTPOptions()
        options.flags = ISOTPFlags(rawValue: 0x2000 | 0x4)
        #expect(throws: ISOTPOptionsError.unknownFlags(0x2000)) { try options.validate() }
        options.flags = [.singleFrameBroadcast, .consecutiveFrameBroadcast]
        #expect(throws: ISOTPOptionsError.conflictingBroadcastFlags) { try options.validate() }
        options.flags = [.receiveExtendedAddress]
        #expect(throws: ISOTPOptionsError.receiveExtendedAddressWithoutExtendedAddressing) { try options.validate() }
        options.flags = []
        options.receiveExtendedAddress = 0x34
        #expect(throws: ISOTPOptionsError.receiveExtendedAddressWithoutExtendedAddressing) { try options.validate() }
        options = ISOTPOptions()
        options.flags = [.forceTransmitSeparationTime]
        #expect(throws: ISOTPOptionsError.forcedSeparationTimeMismatch(flag: "CAN_ISOTP_FORCE_TXSTMIN")) { try options.validate() }
        options.flags = [.forceReceiveSeparationTime]
        #expect(throws: ISOTPOptionsError.forcedSeparationTimeMismatch(flag: "CAN_ISOTP_FORCE_RXSTMIN")) { try options.validate() }
        #expect(ISOTPOptionsError.invalidTransmitDataLength(13).description == "tx_dl 13 is not a CAN frame length (8, 12, 16, 20, 24, 32, 48, 64)")
        #expect(ISOTPOptionsError.invalidSeparationTime(0x80).description.hasPrefix("STmin 0x80 is reserved"))
    }

    @Test("the socket refuses invalid options before socket(2): no descriptor is opened")
    func invalidOptionsBeforeSocket() throws {
        var options = ISOTPOptions()
        options.linkLayer = .fd(dataLength: 13)
        // Runs on a host without AF_CAN too: socket() would fail with EAFNOSUPPORT, the validation comes first.
        #expect(throws: ISOTPOptionsError.invalidTransmitDataLength(13)) {
            try ISOTPSocket(interface: "lo", receiveID: CANID(standard: 1), transmitID: CANID(standard: 2), options: options)
        }
    }

    @Test("the PDU limit is the kernel's: max_pdu_size from sysfs, else what the running version compiles in")
    func pduLimit() {
        #expect(ISOTPSocket.maximumPDUSize
            == (ISOTPSocket.readMaximumPDUSize() ?? ISOTPSocket.compiledInMaximumPDUSize(for: LinuxKernelVersion.running)))
        #expect(ISOTPSocket.maximumPDUSize >= 4095)
        #expect(ISOTPError.pduTooLarge(count: 66001, maximum: 66000).description
            == "PDU of 66001 bytes is larger than the kernel's ISO-TP limit of 66000 bytes")
    }
}
