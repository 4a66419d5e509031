@testable import CANSocket
import SocketBase
import Testing

/// CANFrameMerge: frames of several sockets in kernel-timestamp order, held until the watermark passes them.
@Suite("CANFrameMerge")
struct CANFrameMergeTests {
    static func frame(_ id: UInt32, at microseconds: Int64, on interface: String) -> CANReceivedAnyFrame {
        CANReceivedAnyFrame(frame: .can(try! CANFrame(id: try! CANID(standard: id), data: [UInt8]())), interface: interface,
                            interfaceIndex: 1, timestamp: KernelTimestamp(seconds: 1_700_000_000, microseconds: microseconds),
                            origin: .remote, dropCount: 0)
    }

    @Test("three sources, each in order, come out as one sequence in timestamp order")
    func mergesInTimestampOrder() {
        var merge = CANFrameMerge(sources: 3)
        // Each source's frames at its own spacing, appended a whole source at a time (as a drain does).
        let spacing: [Int64] = [3, 5, 7]
        for source in 0..<3 {
            for k in 0..<50 { merge.append(Self.frame(UInt32(k), at: Int64(k) * spacing[source] + Int64(source), on: "vcan\(source)"), from: source) }
        }
        #expect(merge.count == 150)
        var out: [(KernelTimestamp, Int)] = []
        while let (frame, source) = merge.next(upTo: nil) { out.append((frame.timestamp, source)) }
        #expect(out.count == 150)
        #expect(zip(out, out.dropFirst()).allSatisfy { !($1.0 < $0.0) }, "timestamps never go backwards")
        for source in 0..<3 { #expect(out.filter { $0.1 == source }.count == 50) }
        #expect(merge.isEmpty)
    }

    @Test("frames newer than the watermark are held, and released by a later one")
    func holdsNewerThanWatermark() {
        var merge = CANFrameMerge(sources: 2)
        merge.append(Self.frame(1, at: 10, on: "vcan0"), from: 0)
        merge.append(Self.frame(2, at: 30, on: "vcan0"), from: 0)
        merge.append(Self.frame(3, at: 20, on: "vcan1"), from: 1)
        let watermark = KernelTimestamp(seconds: 1_700_000_000, microseconds: 25)
        #expect(merge.next(upTo: watermark)?.frame.timestamp.microseconds == 10)
        #expect(merge.next(upTo: watermark)?.frame.timestamp.microseconds == 20)
        #expect(merge.next(upTo: watermark) == nil, "30 µs is past the watermark")
        #expect(merge.count == 1)
        #expect(merge.oldestTimestamp?.microseconds == 30)
        // An older frame of the other socket that arrives in the next round still comes first.
        merge.append(Self.frame(4, at: 27, on: "vcan1"), from: 1)
        let later = KernelTimestamp(seconds: 1_700_000_000, microseconds: 40)
        #expect(merge.next(upTo: later)?.frame.timestamp.microseconds == 27)
        #expect(merge.next(upTo: later)?.frame.timestamp.microseconds == 30)
        #expect(merge.next(upTo: later) == nil && merge.isEmpty)
    }

    @Test("equal timestamps keep the order of their sources; the watermark is now less the hold-off")
    func ties() {
        var merge = CANFrameMerge(sources: 2)
        merge.append(Self.frame(1, at: 5, on: "vcan1"), from: 1)
        merge.append(Self.frame(2, at: 5, on: "vcan0"), from: 0)
        #expect(merge.next(upTo: nil)?.source == 0)
        #expect(merge.next(upTo: nil)?.source == 1)
        let before = KernelTimestamp.now
        let watermark = CANFrameMerge.watermark(holdOff: .milliseconds(5))
        let after = KernelTimestamp.now
        #expect(before.since(watermark) <= .milliseconds(5) && after.since(watermark) >= .milliseconds(5))
        #expect(merge.releaseDeadline(holdOff: .milliseconds(5)) == nil)
    }
}
