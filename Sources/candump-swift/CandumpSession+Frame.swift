import CANDatabase
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
            if decoder != nil { appendDecodedJSON(received.frame) }
        } else if config.silent == 0 {
            formatter.append(received, to: &stdout.buffer) // -L or the screen line
            if decoder != nil { appendDecodedText(received.frame) }
        } else if config.silent == 1 {
            stdout.buffer.append(Self.animation[animation % 4])
            stdout.buffer.append(0x08)
            animation = (animation + 1) % 4
        }
    }

    /// `--dbc`: ` ::` and the decoded message after the frame's line, as `cantools decode` prints it (the line
    /// end moves after it); a frame the databases have no message for, and a CAN XL frame (DBC has none), keeps
    /// its line as it is.
    private func appendDecodedText(_ received: CANAnyFrame) {
        guard case .can(let frame) = received, stdout.buffer.last == 0x0A else { return }
        stdout.buffer.removeLast()
        decoder!.appendText(frame, unknownIDs: false, to: &stdout.buffer)
        stdout.buffer.append(0x0A)
    }

    /// `--dbc --json`: the object gains "name", "signals" and "labels" (see SignalDecoder.appendJSONMembers).
    private func appendDecodedJSON(_ received: CANAnyFrame) {
        guard case .can(let frame) = received else { return }
        // JSONFrame ends each object with "}\n".
        let count = stdout.buffer.count
        guard count >= 2, stdout.buffer[count - 1] == 0x0A, stdout.buffer[count - 2] == UInt8(ascii: "}") else { return }
        stdout.buffer.removeLast(2)
        decoder!.appendJSONMembers(frame, to: &stdout.buffer)
        stdout.buffer.append(contentsOf: "}\n".utf8)
    }
}
