#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import SocketBase
import ToolkitTestSupport

extension CANBus {
@Suite("CAN_RAW on vcan (VM)", .needsCAN, .serialized)
struct CANRawSocketTests {
    @Test("a CAN_RAW socket made by SocketBase receives what can-utils cansend puts on vcan0")
    func socketBaseReceivesCansend() throws {
        // SocketBase alone: socket(AF_CAN, SOCK_RAW, CAN_RAW), bind to vcan0, recv the 16-byte can_frame.
        let socket = try Socket(family: .can, type: .raw, protocol: .canRaw)
        try socket.bind(to: CANSocketAddress(interface: "vcan0"))
        try socket.setTimeout(.seconds(5))
        let status = try Subprocess.run(["cansend", "vcan0", "123#DEADBEEF"]).status
        #expect(status == 0)
        var frame = [UInt8](repeating: 0, count: 16)
        let n = try frame.withUnsafeMutableBytes { try socket.receive(into: $0) }
        #expect(n == 16)
        #expect(frame[0..<4] == [0x23, 0x01, 0x00, 0x00], "can_id 0x123, little-endian")
        #expect(frame[4] == 4, "len")
        #expect(frame[8..<12] == [0xDE, 0xAD, 0xBE, 0xEF])
    }

    @Test("CANRawSocket decodes classic, extended, RTR and FD frames with timestamps and origin")
    func receivesEveryKind() throws {
        let socket = try CANRawSocket(interface: "vcan0")
        try socket.socket.setTimeout(.seconds(5))
        let before = KernelTimestamp.now
        for frame in ["123#DEADBEEF", "12345678#0102", "321#R", "7FF#R3", "456##3112233445566778899AA"] {
            #expect(try Subprocess.run(["cansend", "vcan0", frame]).status == 0)
        }
        let frames = try (0..<5).map { _ in try socket.receive() }
        #expect(frames.map(\.interface) == Array(repeating: "vcan0", count: 5))
        #expect(frames.allSatisfy { $0.origin == .localHost }, "cansend is another socket of this host")
        #expect(frames.allSatisfy { $0.timestamp >= before && $0.timestamp.since(before) < .seconds(30) })
        #expect(frames[0].frame.rawID == 0x123 && frames[0].frame.data == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(frames[1].frame.isExtended && frames[1].frame.id.rawValue == 0x1234_5678)
        #expect(frames[2].frame.isRemote && frames[2].frame.count == 0)
        #expect(frames[3].frame.isRemote && frames[3].frame.count == 3)
        #expect(frames[4].frame.isFD && frames[4].frame.count == 12)
        #expect(frames[4].frame.fdFlags.contains(.bitRateSwitch) && frames[4].frame.fdFlags.contains(.errorStateIndicator))
    }

    @Test("frames sent by CANRawSocket reach candump; own messages come back flagged")
    func sendsToCandump() throws {
        let dump = try Subprocess(["candump", "-L", "-n", "2", "vcan0"])
        #expect(dump.waitForSocket())
        pause(.milliseconds(100))
        var options = CANRawSocket.Options()
        options.receiveOwnMessages = true
        let socket = try CANRawSocket(interface: "vcan0", options: options)
        try socket.socket.setTimeout(.seconds(5))
        try socket.send(CANFrame(id: CANID(standard: 0x1A0), data: [1, 2, 3]))
        try socket.send(CANFrame(fd: CANID(extended: 0x1ABCDE), data: Array(0..<16), flags: [.bitRateSwitch]))
        #expect(dump.wait() == 0)
        let lines = dump.stdout.split(separator: "\n").map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
        #expect(lines == ["vcan0 1A0#010203", "vcan0 001ABCDE##5000102030405060708090A0B0C0D0E0F"], "FDF is set on every FD frame, as the kernel does")
        let own = try socket.receive()
        #expect(own.origin == .ownSocket)
        #expect(own.frame.data == [1, 2, 3])
    }

    @Test("filters: id/mask and inverted, applied by the kernel")
    func filters() throws {
        var options = CANRawSocket.Options()
        options.filters = [CANFilter(id: 0x100, mask: 0x700)]
        let socket = try CANRawSocket(interface: "vcan0", options: options)
        try socket.socket.setTimeout(.milliseconds(500))
        for frame in ["123#01", "223#02", "1FF#03", "7FF#04"] {
            #expect(try Subprocess.run(["cansend", "vcan0", frame]).status == 0)
        }
        #expect(try socket.receive().frame.rawID == 0x123)
        #expect(try socket.receive().frame.rawID == 0x1FF)
        #expect(throws: SocketTimeoutError.self) { try socket.receive() }
    }

    @Test("an FD frame on a classic-MTU interface is refused before the syscall")
    func fdOnClassicInterface() throws {
        let socket = try CANRawSocket(interface: "vcan1")
        #expect(socket.mtu == 16)
        let error = #expect(throws: CANSocketError.self) {
            try socket.send(CANFrame(fd: CANID(standard: 1), data: Array(repeating: 0, count: 12), flags: []))
        }
        #expect(error == .frameTooLong(interface: "vcan1", mtu: 16))
    }

    @Test("binding to a missing interface names it")
    func missingInterface() {
        let error = #expect(throws: SystemCallError.self) { try CANRawSocket(interface: "vcan9") }
        #expect(error?.description == "if_nametoindex(vcan9): No such device (errno 19)")
    }

    @Test("batched receive with recvmmsg, bound to any interface")
    func batchedAny() throws {
        let socket = try CANRawSocket(interface: "any")
        try socket.socket.setTimeout(.seconds(5))
        #expect(try Subprocess.run(["cangen", "vcan0", "-g", "0", "-n", "50", "-I", "42", "-L", "8", "-D", "i"]).status == 0)
        #expect(try Subprocess.run(["cansend", "vcan1", "007#07"]).status == 0)
        let batch = CANFrameBatch(capacity: 64)
        var received: [CANReceivedFrame] = []
        while received.count < 51 {
            let n = try socket.receive(into: batch)
            received += (0..<n).map { batch[$0] }
        }
        #expect(received.filter { $0.interface == "vcan0" }.count == 50)
        #expect(received.last?.interface == "vcan1")
        #expect(received.filter { $0.interface == "vcan0" }.allSatisfy { $0.frame.rawID == 0x42 })
    }

    @Test("the async sequence ends cleanly when the interface is removed")
    func asyncEndsWhenInterfaceGoesAway() async throws {
        #expect(try Subprocess.run(["ip", "link", "add", "dev", "vcantmp", "type", "vcan"]).status == 0)
        #expect(try Subprocess.run(["ip", "link", "set", "up", "vcantmp"]).status == 0)
        let socket = try CANRawSocket(interface: "vcantmp")
        let consumer = Task {
            var count = 0
            for try await _ in socket.frames() { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try Subprocess.run(["cansend", "vcantmp", "001#01"]).status == 0)
        #expect(try Subprocess.run(["cansend", "vcantmp", "002#02"]).status == 0)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try Subprocess.run(["ip", "link", "del", "vcantmp"]).status == 0)
        let count = try await consumer.value
        #expect(count == 2)
    }

    @Test("the async sequence ends when its task is cancelled")
    func asyncCancellation() async throws {
        let socket = try CANRawSocket(interface: "vcan0")
        let consumer = Task {
            var count = 0
            for try await _ in socket.frames() { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(200))
        consumer.cancel()
        #expect(try await consumer.value == 0)
    }
}
}
