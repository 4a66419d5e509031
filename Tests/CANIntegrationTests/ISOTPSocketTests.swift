#if canImport(Glibc)
import Glibc
#endif
import CCANShims
import Testing
import ToolkitTestSupport
import CANSocket
import SocketBase

extension CANBus {
@Suite("ISOTPSocket on vcan (VM)", .needsCAN, .serialized)
struct ISOTPSocketTests {
    static let a = try! CANID(standard: 0x123)
    static let b = try! CANID(standard: 0x321)

    /// Options with frame_txtime zero, so large transfers stay short under TCG.
    static func fast(_ configure: (inout ISOTPOptions) -> Void = { _ in }) -> ISOTPOptions {
        var options = ISOTPOptions()
        options.frameTransmitTime = .zero
        configure(&options)
        return options
    }

    /// Two sockets talking to each other: `sender` sends with `a`, `receiver` receives on `a`.
    static func pair(_ interface: String, _ tx: CANID = a, _ rx: CANID = b, options: ISOTPOptions = fast())
        throws -> (sender: ISOTPSocket, receiver: ISOTPSocket)
    {
        let receiver = try ISOTPSocket(interface: interface, receiveID: tx, transmitID: rx, options: options)
        let sender = try ISOTPSocket(interface: interface, receiveID: rx, transmitID: tx, options: options)
        try receiver.socket.setTimeout(.seconds(20))
        return (sender, receiver)
    }

    /// Open descriptors of this process.
    static func openDescriptors() -> Int { PackageFiles.openDescriptorCount() }

    /// A CAN_RAW socket that sees every frame on `interface` (own frames of other sockets included).
    static func monitor(_ interface: String) throws -> CANRawSocket {
        let raw = try CANRawSocket(interface: interface)
        try raw.socket.setTimeout(.milliseconds(500))
        return raw
    }

    static func drain(_ raw: CANRawSocket) -> [CANFrame] {
        var frames: [CANFrame] = []
        while let frame = try? raw.receive() { frames.append(frame.frame) }
        return frames
    }

    @Test("a socket pair carries PDUs of every size up to the kernel's largest, classic and FD",
          arguments: [("vcan1", nil), ("vcan0", ISOTPLinkLayerOptions.fd(dataLength: 64))] as [(String, ISOTPLinkLayerOptions?)])
    func sendAndReceive(interface: String, linkLayer: ISOTPLinkLayerOptions?) throws {
        let (sender, receiver) = try Self.pair(interface, options: Self.fast { $0.linkLayer = linkLayer })
        let buffer = ISOTPBuffer()
        for size in [1, 7, 8, 62, 63, 64, 4095, 4096, 8200, ISOTPSocket.maximumPDUSize] {
            let pdu = ISOTPTraffic.pdu(size)
            try sender.send(pdu)
            #expect(try receiver.receive(into: buffer) == size)
            #expect(Array(buffer.bytes) == pdu, "\(size) bytes on \(interface)")
        }
        try sender.send([0xAB, 0xCD])
        #expect(try receiver.receive() == [0xAB, 0xCD], "the allocating receive")
    }

    @Test("extended 29-bit ids are bound with CAN_EFF_FLAG and used on the bus")
    func extendedIDs() throws {
        let raw = try Self.monitor("vcan1")
        let tester = try CANID(extended: 0x18DA_00F1), ecu = try CANID(extended: 0x18DA_F100)
        let (sender, receiver) = try Self.pair("vcan1", tester, ecu)
        #expect(sender.address.transmitID == 0x98DA_00F1 && sender.address.receiveID == 0x98DA_F100)
        let pdu = ISOTPTraffic.pdu(20)
        try sender.send(pdu)
        #expect(try receiver.receive() == pdu)
        let frames = Self.drain(raw)
        #expect(frames.count == 4, "FF, FC, CF, CF")
        #expect(frames.allSatisfy { $0.isExtended })
        #expect(frames.filter { $0.id == tester }.count == 3)
        #expect(frames.filter { $0.id == ecu }.count == 1)
    }

    @Test("TX_PADDING pads every sent frame to 8 bytes with the pad byte; without it frames are short")
    func padding() throws {
        let raw = try Self.monitor("vcan1")
        let (sender, receiver) = try Self.pair("vcan1", options: Self.fast {
            $0.flags.insert(.transmitPadding)
            $0.transmitPadding = 0xAA
        })
        try sender.send([1, 2, 3])
        #expect(try receiver.receive() == [1, 2, 3])
        try sender.send(ISOTPTraffic.pdu(10))  // FF (6 bytes) + FC + CF (4 bytes + 3 pad)
        #expect(try receiver.receive() == ISOTPTraffic.pdu(10))
        let sent = Self.drain(raw).filter { $0.id == Self.a }
        #expect(sent.count == 3)
        #expect(sent.first?.data == [0x03, 1, 2, 3, 0xAA, 0xAA, 0xAA, 0xAA])
        #expect(sent.allSatisfy { $0.data.count == 8 })
        #expect(Array(sent.last?.data.suffix(3) ?? []) == [0xAA, 0xAA, 0xAA])

        let (plain, plainReceiver) = try Self.pair("vcan1")
        try plain.send([1, 2, 3])
        #expect(try plainReceiver.receive() == [1, 2, 3])
        #expect(Self.drain(raw).filter { $0.id == Self.a }.map(\.data) == [[0x03, 1, 2, 3]])
    }

    @Test("a listen-mode socket receives the PDU without sending flow control")
    func listenMode() throws {
        let raw = try Self.monitor("vcan1")
        let (sender, receiver) = try Self.pair("vcan1")
        let listener = try ISOTPSocket(interface: "vcan1", receiveID: Self.a, transmitID: Self.b,
                                       options: Self.fast { $0.flags.insert(.listenMode) })
        try listener.socket.setTimeout(.seconds(10))
        let pdu = ISOTPTraffic.pdu(100)
        try sender.send(pdu)
        #expect(try receiver.receive() == pdu)
        #expect(try listener.receive() == pdu)
        let flowControl = Self.drain(raw).filter { $0.id == Self.b }
        #expect(flowControl.count == 1, "one FC, from the receiver only")
        #expect(flowControl.first.map { $0.data.first! & 0xF0 } == 0x30)
    }

    @Test("extended addressing: each side's address byte leads its frames; a separate rx address is honoured")
    func extendedAddressing() throws {
        let raw = try Self.monitor("vcan1")
        let sender = try ISOTPSocket(interface: "vcan1", receiveID: Self.b, transmitID: Self.a, options: Self.fast {
            $0.extendedAddress = 0x12
            $0.receiveExtendedAddress = 0x34
        })
        let receiver = try ISOTPSocket(interface: "vcan1", receiveID: Self.a, transmitID: Self.b, options: Self.fast {
            $0.extendedAddress = 0x34
            $0.receiveExtendedAddress = 0x12
        })
        try receiver.socket.setTimeout(.seconds(10))
        let pdu = ISOTPTraffic.pdu(30)
        try sender.send(pdu)
        #expect(try receiver.receive() == pdu)
        let frames = Self.drain(raw)
        let sent = frames.filter { $0.id == Self.a }, flowControl = frames.filter { $0.id == Self.b }
        #expect(sent.count == 6, "FF (5 data bytes) + 5 CF (6 each): one address byte per frame")
        #expect(sent.allSatisfy { $0.data.first == 0x12 })
        #expect(flowControl.count == 1 && flowControl[0].data.first == 0x34)
        #expect(flowControl.first.map { $0.data[1] & 0xF0 } == 0x30, "FC after the address byte")
    }

    @Test("CF_BROADCAST sends a multi-frame PDU without waiting for flow control; a listener gets it")
    func consecutiveFrameBroadcast() throws {
        let raw = try Self.monitor("vcan1")
        let sender = try ISOTPSocket(interface: "vcan1", receiveID: Self.b, transmitID: Self.a,
                                     options: Self.fast { $0.flags.insert(.consecutiveFrameBroadcast) })
        let listener = try ISOTPSocket(interface: "vcan1", receiveID: Self.a, transmitID: Self.b,
                                       options: Self.fast { $0.flags.insert(.listenMode) })
        try listener.socket.setTimeout(.seconds(10))
        let pdu = ISOTPTraffic.pdu(40)
        try sender.send(pdu)
        #expect(try listener.receive() == pdu)
        let frames = Self.drain(raw)
        #expect(frames.filter { $0.id == Self.b }.isEmpty, "no flow control on the bus")
        #expect(frames.filter { $0.id == Self.a }.count == 6)
    }

    @Test("a PDU over the limit, or an empty one, is refused before the syscall: nothing reaches the bus")
    func overLimit() throws {
        let raw = try Self.monitor("vcan1")
        let (sender, _) = try Self.pair("vcan1")
        let limit = ISOTPSocket.maximumPDUSize
        #expect(throws: ISOTPError.pduTooLarge(count: limit + 1, maximum: limit)) {
            try sender.send([UInt8](repeating: 1, count: limit + 1))
        }
        #expect(throws: ISOTPError.emptyPDU) { try sender.send([]) }
        #expect(Self.drain(raw).isEmpty)
        // The kernel's own limit agrees: a raw write of limit + 1 bytes is refused with EINVAL.
        let bytes = [UInt8](repeating: 1, count: limit + 1)
        #expect(throws: SystemCallError("send", target: "vcan1", errno: .invalidArgument)) {
            _ = try bytes.withUnsafeBytes { try sender.socket.send($0) }
        }
    }

    @Test("options cannot be set after bind: the kernel says EISCONN, so ISOTPSocket takes them all up front")
    func optionsAfterBind() throws {
        let (sender, _) = try Self.pair("vcan1")
        // ISOTPSocket has no setters; a raw setsockopt on its bound descriptor shows why.
        let error = #expect(throws: SystemCallError.self) {
            try sender.socket.setOption(level: CCAN_SOL_CAN_ISOTP, name: CInt(CAN_ISOTP_OPTS), label: "CAN_ISOTP_OPTS",
                                        array: ISOTPOptions().kernelBytes)
        }
        #expect(error?.errno == .alreadyConnected)
        #expect(sender.options == Self.fast(), "the options given are kept for inspection")
    }

    @Test("receive with the socket's timeout throws SocketTimeoutError")
    func timeout() throws {
        let (_, receiver) = try Self.pair("vcan1")
        try receiver.socket.setTimeout(.milliseconds(200))
        let start = ContinuousClock.now
        #expect(throws: SocketTimeoutError.self) { try receiver.receive() }
        #expect(throws: SocketTimeoutError.self) { try receiver.receive(into: ISOTPBuffer(capacity: 16)) }
        #expect(ContinuousClock.now - start >= .milliseconds(400))
    }

    @Test("a peer killed mid-transfer: the receiver gets ETIMEDOUT (N_Cr), and the next PDU arrives whole")
    func peerKilledMidTransfer() throws {
        let receiver = try ISOTPSocket(interface: "vcan1", receiveID: CANID(standard: 0x123), transmitID: CANID(standard: 0x321))
        defer { try? receiver.close() }
        try receiver.socket.setTimeout(.seconds(20))
        // isotpsend with a forced 300 ms STmin: a 100-byte PDU's 14 consecutive frames take about 4 s; it is
        // killed after the first frame and a few consecutive frames.
        let path = try ISOTPTraffic.inputFile(ISOTPTraffic.text(ISOTPTraffic.pdu(100)))
        defer { unlink(path) }
        let sender = try Subprocess(["/bin/sh", "-c", "exec isotpsend -s 123 -d 321 -f 300000000 vcan1 < '\(path)'"])
        pause(.milliseconds(1200))
        sender.signal(SIGKILL)
        _ = sender.wait(timeout: .seconds(10))
        let error = #expect(throws: SystemCallError.self) { try receiver.receive() }
        #expect(error?.errno == .timedOut, "the kernel's N_Cr timeout: \(String(describing: error))")
        let small = try ISOTPTraffic.inputFile("11 22 33 44 55 66 77 88 99\n")
        defer { unlink(small) }
        let next = try ISOTPTraffic.run(["isotpsend", "-s", "123", "-d", "321", "vcan1"], stdin: small)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try receiver.receive() == [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99])
    }

    @Test("a PDU longer than the buffer is reported, not silently cut")
    func truncated() throws {
        let (sender, receiver) = try Self.pair("vcan1")
        try sender.send(ISOTPTraffic.pdu(100))
        let small = ISOTPBuffer(capacity: 10)
        #expect(throws: ISOTPError.pduTruncated(count: 100, capacity: 10)) { try receiver.receive(into: small) }
        #expect(Array(small.bytes) == Array(ISOTPTraffic.pdu(100).prefix(10)))
    }

    @Test("setup errors after socket() close the descriptor: FD options on a classic interface, a bad address")
    func noLeakOnSetupError() throws {
        let before = Self.openDescriptors()
        #expect(throws: ISOTPError.interfaceNotFD(interface: "vcan1", mtu: 16)) {
            try ISOTPSocket(interface: "vcan1", receiveID: Self.a, transmitID: Self.b,
                            options: Self.fast { $0.linkLayer = .fd() })
        }
        // The same id for both directions: the kernel's bind refuses it.
        #expect(throws: SystemCallError.self) { try ISOTPSocket(interface: "vcan1", receiveID: Self.a, transmitID: Self.a) }
        #expect(throws: SystemCallError.self) { try ISOTPSocket(interface: "vcan9", receiveID: Self.a, transmitID: Self.b) }
        #expect(Self.openDescriptors() == before)
    }

    @Test("pdus() yields received PDUs as an async sequence")
    func asyncSequence() async throws {
        let (sender, receiver) = try Self.pair("vcan1")
        let expected = [ISOTPTraffic.pdu(5), ISOTPTraffic.pdu(50), ISOTPTraffic.pdu(500)]
        let consumer = Task {
            var received: [[UInt8]] = []
            for try await pdu in receiver.pdus() {
                received.append(pdu)
                if received.count == expected.count { break }
            }
            return received
        }
        for pdu in expected { try sender.send(pdu) }
        #expect(try await consumer.value == expected)
    }
}
}
