import CANSocket

// Per-frame work, in the order of candump.c's main loop (can-utils 2020.11.0; master's for CAN XL frames):
// interface slot, drop report, -l log file, then -L or the screen line. The text itself comes from CANSocket's
// CandumpFormatter, for classic, FD and XL frames alike.
extension CandumpSession {
    static let animation: [UInt8] = Array("|/-\\".utf8)

    func handle(_ received: CANReceivedAnyFrame, socket i: Int) throws {
        frameCount += 1
        formatter.slot(for: received.interface)

        if received.dropCount != lastDropCount[i] {
            let dropped = received.dropCount &- lastDropCount[i]
            droppedTotal += UInt64(dropped)
            lastDropCount[i] = received.dropCount
            if config.dropMonitor {
                if config.silent != 2 {
                    CandumpFormatter.appendDropCount(dropped: dropped, interface: received.interface,
                                                     total: received.dropCount, to: &stdout.buffer)
                }
                if let log {
                    CandumpFormatter.appendDropCount(dropped: dropped, interface: received.interface,
                                                     total: received.dropCount, to: &log.buffer)
                }
            }
        }

        try pcap?.write(received)
        if let log {
            formatter.appendLogLine(frame: received.frame, interface: received.interface,
                                    timestamp: received.timestamp, origin: received.origin, to: &log.buffer)
        }
        if config.json {
            JSONFrame.append(received, to: &stdout.buffer)
        } else if config.silent == 0 {
            formatter.append(received, to: &stdout.buffer) // -L or the screen line
        } else if config.silent == 1 {
            stdout.buffer.append(Self.animation[animation % 4])
            stdout.buffer.append(0x08)
            animation = (animation + 1) % 4
        }
    }
}
