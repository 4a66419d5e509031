#if canImport(Glibc)
import Glibc
#endif
import Testing
import CAllocationCounter
import CANSocket
import SocketBase
import ToolkitTestSupport

/// The receive hot paths allocate nothing per frame after warm-up, counted by CAllocationCounter (this thread's
/// heap allocations): `receive(into:)` with a reused ``CANFrameBatch`` for classic and FD frames, and with a
/// reused ``CANAnyFrameBatch`` for CAN XL frames mixed with them (1 to 2048 data bytes). Each round sends a burst
/// (not counted: the sender is this thread too), then receives and reads every frame (counted).
/// CANTOOLKIT_ALLOCATION_TRACE=1 prints a backtrace per counted allocation.
extension CANBus {
@Suite("receive paths allocate nothing per frame (VM; Linux 6.1+ for XL)", .needsCAN, .serialized)
struct CANReceiveAllocationTests {
    static let rounds = 20
    static let burst = 32

    /// Receives `expected` frames through `receive`, counting only the receiving and reading.
    static func counted(_ expected: Int, _ receive: () throws -> Int) rethrows -> (frames: Int, allocations: UInt) {
        var frames = 0, allocations: UInt = 0
        let trace = getenv("CANTOOLKIT_ALLOCATION_TRACE") != nil
        while frames < expected {
            let before = callocation_counter_thread_count()
            if trace { callocation_counter_trace(1) }
            let n = try receive()
            callocation_counter_trace(0)
            allocations += callocation_counter_thread_count() - before
            guard n > 0 else { break }
            frames += n
        }
        return (frames, allocations)
    }

    @Test("CAN XL, FD and classic frames through a reused CANAnyFrameBatch: no allocation after the first round",
          .enabled(if: callocation_counter_available() != 0, "a sanitizer build owns malloc: nothing to count with"))
    func anyFrameBatch() throws {
        let vcan = try ScratchVCAN("vcanalloc", mtu: 2060)
        let sender = try CANRawSocket(interface: vcan.name)
        var options = CANRawSocket.Options()
        options.receiveBufferSize = 8 << 20
        let receiver = try CANRawSocket(interface: vcan.name, options: options)
        for socket in [sender, receiver] { try socket.setXLFrames(true) }
        try receiver.socket.setTimeout(.seconds(10))
        var frames: [CANAnyFrame] = []
        for i in 0..<Self.burst {
            switch i % 4 {
            case 0: frames.append(.can(try CANFrame(id: CANID(standard: UInt32(i)), data: [UInt8(i)])))
            case 1: frames.append(.can(try CANFrame(fd: CANID(extended: UInt32(i)), data: Array(repeating: UInt8(i), count: 64))))
            default:
                let count = [1, 64, 65, 700, 2048][i % 5]
                frames.append(.xl(try CANXLFrame(priority: UInt32(i), serviceDataUnitType: 3, acceptanceField: UInt32(i),
                                                 data: (0..<count).map { UInt8(truncatingIfNeeded: $0 + i) })))
            }
        }
        let batch = CANAnyFrameBatch(capacity: 16)
        var checksum = 0, xl = 0, allocations: UInt = 0, received = 0
        for round in 0...Self.rounds {
            for frame in frames { try sender.send(frame) }
            let result = try Self.counted(frames.count) {
                let n = try receiver.receive(into: batch)
                var i = 0
                while i < n {
                    switch batch[i].frame {
                    case .can(let frame): checksum &+= Int(frame.count)
                    case .xl(let frame):
                        xl += 1
                        checksum &+= frame.data.count &+ Int(frame.data[frame.data.count - 1]) &+ Int(frame.acceptanceField)
                    }
                    i += 1
                }
                return n
            }
            #expect(result.frames == frames.count, "round \(round)")
            if round > 0 { allocations += result.allocations; received += result.frames }  // round 0 warms the slots up
        }
        print("CANAnyFrameBatch: \(allocations) heap allocations for \(received) frames after warm-up")
        #expect(xl == (Self.rounds + 1) * frames.filter { if case .xl = $0 { true } else { false } }.count)
        #expect(checksum != 0)
        #expect(allocations == 0, "\(allocations) heap allocations receiving \(received) frames")
        // The counter does count: a frame kept past the next receive makes its slot copy (one array).
        try sender.send(frames[2])
        _ = try receiver.receive(into: batch)
        let kept = batch[0]
        try sender.send(frames[2])
        let copy = try Self.counted(1) { try receiver.receive(into: batch) }
        #expect(copy.allocations >= 1 && kept.frame == batch[0].frame)
    }

    @Test("classic and FD frames through a reused CANFrameBatch: no allocation after the first round",
          .enabled(if: callocation_counter_available() != 0, "a sanitizer build owns malloc: nothing to count with"))
    func frameBatch() throws {
        let sender = try CANRawSocket(interface: "vcan0")
        var options = CANRawSocket.Options()
        options.receiveBufferSize = 4 << 20
        let receiver = try CANRawSocket(interface: "vcan0", options: options)
        try receiver.socket.setTimeout(.seconds(10))
        var frames: [CANFrame] = []
        for i in 0..<Self.burst {
            let id = try CANID(standard: UInt32(i))
            if i % 2 == 0 {
                frames.append(try CANFrame(id: id, data: [UInt8(i), 2, 3]))
            } else {
                frames.append(try CANFrame(fd: id, data: [UInt8](repeating: UInt8(i), count: 48)))
            }
        }
        let batch = CANFrameBatch(capacity: 16)
        var allocations: UInt = 0, received = 0, checksum = 0
        for round in 0...Self.rounds {
            for frame in frames { try sender.send(frame) }
            let result = try Self.counted(frames.count) {
                let n = try receiver.receive(into: batch)
                var i = 0
                while i < n { checksum &+= Int(batch[i].frame.count); i += 1 }
                return n
            }
            #expect(result.frames == frames.count, "round \(round)")
            if round > 0 { allocations += result.allocations; received += result.frames }
        }
        print("CANFrameBatch: \(allocations) heap allocations for \(received) frames after warm-up")
        let perRound = frames.reduce(0) { $0 + Int($1.count) }
        #expect(checksum == (Self.rounds + 1) * perRound)
        #expect(allocations == 0, "\(allocations) heap allocations receiving \(received) frames")
    }
}
}
