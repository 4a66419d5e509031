import SocketBase

/// CAN XL lines, byte for byte as current can-utils' candump prints them (can-utils 2020.11 has no CAN XL; its
/// `candump.c` master does): the screen line with lib.c's long XL form, `-x`'s `  TX S R` (SEC and RRS in place
/// of BRS and ESI), and the log line with the compact XL form. Classic and FD frames go to the 2020.11 lines of
/// ``CandumpFormatter``, so one formatter prints a socket's mixed traffic.
extension CandumpFormatter {
    /// candump's `extra_xl_info`, indexed by the XL flags' SEC and RRS bits.
    static let extraXLFlags: [StaticString] = ["- -", "S -", "- R", "S R"]

    /// Appends candump's output for a frame of any kind, newline included; see
    /// ``append(frame:interface:timestamp:origin:to:)-(CANFrame,_,_,_,_)`` for classic and FD frames.
    ///
    /// An XL frame's screen line is candump's: the same columns as a classic frame's, then lib.c's long XL form
    /// (`598 [0002] (39|82:4A:3239B34A) 3C AB`, indented once an extended frame was seen). ASCII, binary, swap
    /// and error decoding do not apply to XL frames, in can-utils either.
    public mutating func append(frame: CANAnyFrame, interface: String, timestamp: KernelTimestamp,
                                origin: CANReceivedFrame.Origin, to buffer: inout [UInt8]) {
        switch frame {
        case .can(let frame):
            append(frame: frame, interface: interface, timestamp: timestamp, origin: origin, to: &buffer)
        case .xl(let frame):
            appendXL(frame, interface: interface, timestamp: timestamp, origin: origin, to: &buffer)
        }
    }

    /// Appends the line of a ``CANReceivedAnyFrame``; see ``append(frame:interface:timestamp:origin:to:)-(CANAnyFrame,_,_,_,_)``.
    public mutating func append(_ received: CANReceivedAnyFrame, to buffer: inout [UInt8]) {
        append(frame: received.frame, interface: received.interface, timestamp: received.timestamp,
               origin: received.origin, to: &buffer)
    }

    /// Appends the log line of `-l` / `-L` for a frame of any kind, newline included: an XL frame as
    /// `(1700000000.123456) vcan0 39598#82:4A:3239B34A#3CAB`, with ` T` / ` R` for `-x`.
    public func appendLogLine(frame: CANAnyFrame, interface: String, timestamp: KernelTimestamp,
                              origin: CANReceivedFrame.Origin, to buffer: inout [UInt8]) {
        switch frame {
        case .can(let frame):
            appendLogLine(frame: frame, interface: interface, timestamp: timestamp, origin: origin, to: &buffer)
        case .xl(let frame):
            appendLogLine(interface: interface, timestamp: timestamp, origin: origin, to: &buffer) {
                CANFrameText.appendCompact(frame, to: &$0)
            }
        }
    }

    /// The XL screen line (or log line with ``Options/logFormat``), in candump master's order.
    private mutating func appendXL(_ frame: CANXLFrame, interface: String, timestamp: KernelTimestamp,
                                   origin: CANReceivedFrame.Origin, to buffer: inout [UInt8]) {
        let index = slot(for: interface)
        // candump tests CAN_EFF_FLAG on the prio word, which an XL frame never has: it never starts indenting.
        if options.logFormat {
            appendLogLine(frame: .xl(frame), interface: interface, timestamp: timestamp, origin: origin, to: &buffer)
            return
        }
        appendScreenHead(slot: index, interface: interface, timestamp: timestamp, origin: origin,
                         extraFlags: Self.extraXLFlags[Int(frame.flags.rawValue & 3)], to: &buffer)
        var view = options.view
        view.indentStandardIDs = indentStandardIDs
        CANFrameText.appendLong(frame, view: view, to: &buffer)
        if options.colorLevel > 1 { buffer.append(contentsOf: Self.colorReset) }
        buffer.append(UInt8(ascii: "\n"))
    }
}
