import CANDatabase
import CANSocket
import SocketBase
import ToolSupport

/// One run of candump-swift: the sockets, the receive thread, the formatting, and the outputs.
///
/// A receive thread (``CandumpReceiver``) keeps every socket's kernel queue drained into a bounded queue in
/// memory; this side takes its frames a block at a time, formats them with lookup tables into reused buffers,
/// and writes each buffer in large chunks: no allocation per frame, and neither formatting nor a slow terminal,
/// pipe or disk makes the kernel drop a frame. Each socket's receive buffer is 8 MiB by default (forced past
/// `rmem_max` when privileged), enough for the bursts a saturated bus and a busy machine make.
///
/// With several sockets, frames come out in kernel-timestamp order (``CANFrameMerge``): a frame is printed only
/// once no older frame can still be queued on another socket.
final class CandumpSession {
    /// The receive buffer of each socket unless `-r` says otherwise (the kernel doubles it for bookkeeping).
    static let defaultReceiveBufferSize = 8 << 20
    /// The most frames held in memory between the receive thread and the formatting, unless `--queue` says
    /// otherwise: about 30 MB, 2.5 s of cangen's full rate under TCG, half a minute of a saturated 1 Mbit/s bus.
    static let defaultQueueLimit = 1 << 18
    /// After a round that received frames, the receive thread waits this long before the next receive, so a
    /// busy bus is read in batches rather than a frame per wake-up (the receive buffer holds what arrives).
    static let coalescing = Duration.milliseconds(4)
    /// With several sockets: how long after its kernel timestamp a frame can still be on its way to its
    /// socket's queue (the kernel stamps a frame before it queues it).
    static let mergeHoldOff = Duration.milliseconds(5)
    /// Output is written once this much is buffered, or this long after the first frame of it.
    static let flushSize = 1 << 15
    static let flushDelay = Duration.milliseconds(10)

    let config: CandumpConfiguration
    let receiver: CandumpReceiver
    let stdout = OutputFile.standardOutput()
    /// stdout is a pipe whose reader went away; the run ends, without an error.
    private var readerGone = false
    /// stdout is no longer written: its reader went away or a write failed.
    private var stdoutGone = false
    /// A write to the -l/-f log or the pcap failed (reported once; the run ends).
    private var logFailed = false
    private var pcapFailed = false
    let log: OutputFile?
    let pcap: CANPcapOutput?
    var lastDropCount: [UInt32]

    /// candump's per-frame text and its state (interface column, colour slots, delta timestamps).
    var formatter: CandumpFormatter
    /// `--dbc`: decodes into reused storage, appends to the frame's text (see CandumpSession+Frame).
    var decoder: SignalDecoder?
    var animation = 0
    var frameCount = 0
    var droppedTotal: UInt64 = 0
    /// What the receive thread could not keep, as last reported with `-d`.
    var notKeptReported: UInt64 = 0
    var remaining: Int?
    /// With several sockets (and system timestamps), what was received and not yet printed.
    var merge: CANFrameMerge
    let merging: Bool

    init(configuration config: CandumpConfiguration) throws {
        self.config = config
        var sockets: [CANRawSocket] = []
        for spec in config.interfaces {
            var options = CANRawSocket.Options()
            options.filters = spec.filters.isEmpty ? nil : spec.filters
            options.errorMask = spec.errorMask
            options.joinFilters = spec.joinFilters
            options.receiveBufferSize = config.receiveBufferSize ?? Self.defaultReceiveBufferSize
            options.hardwareTimestamps = config.hardwareTimestamps
            options.dropCounter = true
            let socket = try CANRawSocket(interface: spec.interface, options: options)
            Self.tryXL(on: socket)
            sockets.append(socket)
        }
        // XL sockets need slots of CANXL_MTU bytes (2060); without XL, 72 bytes hold every frame.
        let batches = try sockets.map { CANAnyFrameBatch(capacity: 256, frameSize: try $0.xlFramesEnabled() ? CANXLFrame.mtu : CANFrame.fdSize) }
        // Hardware clocks are not comparable with the watermark: their frames are not held for the merge.
        merging = sockets.count > 1 && !config.hardwareTimestamps
        receiver = try CandumpReceiver(sockets: sockets, batches: batches, limit: config.queueLimit ?? Self.defaultQueueLimit,
                                       merging: merging, idleTimeout: config.idleTimeout, exitWhenDown: config.exitWhenDown)
        self.lastDropCount = Array(repeating: 0, count: sockets.count)
        self.merge = CANFrameMerge(sources: merging ? sockets.count : 1)
        self.formatter = CandumpFormatter(options: config.output, commandLineNames: config.interfaces.map(\.interface))
        self.decoder = config.decoder
        self.remaining = config.count
        if config.logFile {
            let name = config.logFileName ?? Self.logFileName()
            if config.silent != 2 { printError("Warning: Console output active while logging!") }
            printError("Enabling Logfile '\(name)'")
            log = try OutputFile(creating: name)
        } else {
            log = nil
        }
        pcap = try config.pcapPath.map { try CANPcapOutput(path: $0) }
    }

    /// CAN XL as current can-utils' candump sets it up: it tries `CAN_RAW_XL_FRAMES` and then
    /// `CAN_RAW_XL_VCID_OPTS` with a receive filter that passes every VCID, and ignores either failing (kernels
    /// before 6.1 have no XL, before 6.9 no VCIDs; such kernels deliver what they have).
    static func tryXL(on socket: CANRawSocket) {
        guard (try? socket.setXLFrames(true)) != nil else { return }
        try? socket.setXLVCIDOptions(CANXLVCIDOptions(receiveFilter: (0, 0)))
    }

    /// `candump-YYYY-MM-DD_HHMMSS.log` in local time, as candump names it.
    static func logFileName() -> String {
        let local = WallClock.fields(ofSeconds: WallClock.now().seconds)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "candump-\(pad(local.year, 4))-\(pad(local.month, 2))-\(pad(local.day, 2))_"
            + "\(pad(local.hour, 2))\(pad(local.minute, 2))\(pad(local.second, 2)).log"
    }

    /// Receives until a signal, `-n`, `-T`, or an interface error; everything received is written out.
    /// - Returns: The exit status: 0, or 1 after an error (already reported on stderr).
    func run() -> Int32 {
        Signals.install()
        Signals.ignoreBrokenPipe()
        var exitCode: Int32 = 0
        do {
            try loop()
        } catch let error as SessionEnd {
            exitCode = error.status
        } catch {
            printError("candump-swift: \(error)")
            exitCode = 1
        }
        receiver.stop()
        do {
            try emitHeld()
            try finish()
        } catch {
            printError("candump-swift: \(error)")
            exitCode = 1
        }
        let notKept = receiver.notKept
        let received = UInt64(frameCount) + notKept
        var summary = "candump-swift: \(received) frame\(received == 1 ? "" : "s") received, \(droppedTotal) dropped by the kernel"
        if notKept > 0 { summary += ", \(notKept) not kept (queue of \(receiver.limit) frames full)" }
        printError(summary)
        return exitCode
    }

    /// Writes out and closes every output, each even when another failed; the first failure is rethrown.
    private func finish() throws {
        var failure: (any Error)?
        do { try flushOutputs() } catch { failure = error }
        do { try log?.close() } catch { failure = failure ?? error }
        do { try pcap?.close() } catch { if !pcapFailed { failure = failure ?? error } }
        for socket in receiver.sockets { try? socket.close() }
        if let failure { throw failure }
    }

    /// Takes what the receive thread queued, a block at a time, until it ends or `-n` frames are out.
    private func loop() throws {
        var watermark = KernelTimestamp.zero
        var flushDeadline: ContinuousClock.Instant?
        receiver.start()
        while true {
            switch receiver.take(until: flushDeadline) {
            case .frames(let block, let newWatermark):
                for k in 0..<block.count {
                    if merging {
                        merge.append(block.frames[k], from: block.sources[k])
                    } else {
                        try emit(block.frames[k], socket: block.sources[k])
                        if remaining == 0 { break }
                    }
                }
                receiver.recycle(block)
                if let newWatermark { watermark = newWatermark }
                try emitHeld(upTo: watermark)
                if remaining == 0 || readerGone { return }
                if stdout.buffer.count >= Self.flushSize || (log?.buffer.count ?? 0) >= Self.flushSize
                    || flushDeadline.map({ ContinuousClock.now >= $0 }) ?? false {
                    try flushOutputs()
                    flushDeadline = nil
                    if readerGone { return }
                } else if flushDeadline == nil {
                    flushDeadline = .now + Self.flushDelay
                }
            case .idle(let newWatermark):
                if let newWatermark { watermark = newWatermark }
                try emitHeld(upTo: watermark)
                if remaining == 0 { return }
                try flushOutputs()
                flushDeadline = nil
                if readerGone { return }
            case .finished(let failure):
                if let failure { throw failure }
                return
            }
        }
    }

    /// Writes what the last rounds produced: stdout, the -l log, the pcap, and warnings to stderr.
    private func flushOutputs() throws {
        if !formatter.diagnostics.isEmpty {
            printError(String(decoding: formatter.diagnostics.dropLast(), as: UTF8.self))
            formatter.diagnostics.removeAll(keepingCapacity: true)
        }
        // Each output is written even when another fails (a full disk for -l leaves the --pcap complete); one that
        // failed is not written again, so its error is reported once.
        var failure: (any Error)?
        if stdoutGone {
            stdout.buffer.removeAll(keepingCapacity: true)
        } else {
            do {
                try stdout.flush()
            } catch where Signals.isBrokenPipe(error) {
                // The reader of stdout is gone (`| head -1`): the run ends as on SIGINT, with -l and --pcap
                // written out, and without an error (a C tool would die of SIGPIPE, also silently).
                readerGone = true
                stdoutGone = true
                stdout.buffer.removeAll(keepingCapacity: true)
            } catch {
                stdoutGone = true
                stdout.buffer.removeAll(keepingCapacity: true)
                failure = error
            }
        }
        if let log {
            if logFailed {
                log.buffer.removeAll(keepingCapacity: true)
            } else {
                do { try log.flush() } catch { logFailed = true; log.buffer.removeAll(keepingCapacity: true); failure = failure ?? error }
            }
        }
        if let pcap, !pcapFailed {
            do { try pcap.flush() } catch { pcapFailed = true; failure = failure ?? error }
        }
        if let failure { throw failure }
        if config.dropMonitor {
            let notKept = receiver.notKept
            if notKept != notKeptReported {
                printError("candump-swift: queue full: \(notKept - notKeptReported) frames not kept (total \(notKept)), the output is slower than the bus")
                notKeptReported = notKept
            }
        }
    }

    /// Writes out the held frames stamped at or before `watermark` (all of them when nil), oldest first.
    private func emitHeld(upTo watermark: KernelTimestamp? = nil) throws {
        while remaining != 0, let (frame, source) = merge.next(upTo: watermark) {
            try emit(frame, socket: source)
        }
    }

    /// One frame out, counted against `-n`.
    @inline(__always)
    private func emit(_ frame: CANReceivedAnyFrame, socket i: Int) throws {
        try handle(frame, socket: i)
        if let left = remaining { remaining = left - 1 }
    }
}

/// Ends the receive loop with an exit status, after the reason was reported.
struct SessionEnd: Error {
    let status: Int32
}
