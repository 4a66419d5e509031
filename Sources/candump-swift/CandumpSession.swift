import CANDatabase
import CANSocket
import SocketBase
import ToolSupport

/// One run of candump-swift: the sockets, the receive loop, and the outputs.
///
/// The hot path takes frames from the kernel in batches (`recvmmsg`), formats them with lookup tables into
/// reused buffers, and writes each buffer once per batch: no allocation per frame, one `write` per batch where
/// candump makes a `select`, a `recvmsg` and an `fflush` per frame.
final class CandumpSession {
    let config: CandumpConfiguration
    let sockets: [CANRawSocket]
    let batches: [CANAnyFrameBatch]
    let stdout = OutputFile.standardOutput()
    let log: OutputFile?
    let pcap: CANPcapOutput?
    var lastDropCount: [UInt32]

    /// candump's per-frame text and its state (interface column, colour slots, delta timestamps).
    var formatter: CandumpFormatter
    /// `--dbc`: decodes into reused storage, appends to the frame's text (see CandumpSession+Frame).
    var decoder: SignalDecoder?
    var animation = 0
    var frameCount = 0
    /// Per socket: frames in its batch from the last receive, and how many of them were written out.
    var received: [Int]
    var cursor: [Int]
    var droppedTotal: UInt64 = 0
    var remaining: Int?
    /// Waits on every socket and on the stop signals.
    let selector: Selector

    init(configuration config: CandumpConfiguration) throws {
        self.config = config
        var sockets: [CANRawSocket] = []
        for spec in config.interfaces {
            var options = CANRawSocket.Options()
            options.filters = spec.filters.isEmpty ? nil : spec.filters
            options.errorMask = spec.errorMask
            options.joinFilters = spec.joinFilters
            options.receiveBufferSize = config.receiveBufferSize
            options.hardwareTimestamps = config.hardwareTimestamps
            options.dropCounter = true
            let socket = try CANRawSocket(interface: spec.interface, options: options)
            Self.tryXL(on: socket)
            sockets.append(socket)
        }
        self.sockets = sockets
        selector = try Selector(capacity: sockets.count)
        for (i, socket) in sockets.enumerated() { try selector.register(socket.socket, token: i) }
        // XL sockets need slots of CANXL_MTU bytes (2060); without XL, 72 bytes hold every frame.
        self.batches = try sockets.map { CANAnyFrameBatch(capacity: 256, frameSize: try $0.xlFramesEnabled() ? CANXLFrame.mtu : CANFrame.fdSize) }
        self.lastDropCount = Array(repeating: 0, count: sockets.count)
        self.received = Array(repeating: 0, count: sockets.count)
        self.cursor = Array(repeating: 0, count: sockets.count)
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
        var exitCode: Int32 = 0
        do {
            try loop()
        } catch let error as SessionEnd {
            exitCode = error.status
        } catch {
            printError("candump-swift: \(error)")
            exitCode = 1
        }
        do {
            try finish()
        } catch {
            printError("candump-swift: \(error)")
            exitCode = 1
        }
        printError("candump-swift: \(frameCount) frame\(frameCount == 1 ? "" : "s") received, \(droppedTotal) dropped by the kernel")
        return exitCode
    }

    private func finish() throws {
        try flushOutputs()
        try log?.close()
        try pcap?.close()
        for socket in sockets { try? socket.close() }
    }

    private func loop() throws {
        try selector.stopOnSignals()
        // One wait for every socket and the stop signals; -T is the time since the last frame, as candump's
        // select timeout is.
        var lastActivity = ContinuousClock.now
        while true {
            let ready: Int
            switch try selector.wait(until: config.idleTimeout.map { lastActivity + $0 }) {
            case .ready(let count): ready = count
            case .timedOut, .stopped: return
            }
            lastActivity = .now
            for i in received.indices {
                received[i] = 0
                cursor[i] = 0
            }
            for r in 0..<ready {
                let i = selector.token(at: r)
                received[i] = try receive(socket: i)
            }
            try emitInArrivalOrder()
            if remaining == 0 { return }
            try flushOutputs()
        }
    }

    /// Writes what the last batch produced: stdout, the -l log, the pcap, and formatter warnings to stderr.
    private func flushOutputs() throws {
        if !formatter.diagnostics.isEmpty {
            printError(String(decoding: formatter.diagnostics.dropLast(), as: UTF8.self))
            formatter.diagnostics.removeAll(keepingCapacity: true)
        }
        try stdout.flush()
        try log?.flush()
        try pcap?.flush()
    }

    /// Takes one batch of what is queued on socket `i`.
    /// - Returns: The number of frames now in its batch.
    private func receive(socket i: Int) throws -> Int {
        let socket = sockets[i]
        do {
            return try socket.receiveAvailable(into: batches[i]).value ?? 0
        } catch let error as SystemCallError where error.errno == .networkDown && !config.exitWhenDown {
            printError("\(socket.address.interfaceName): interface down")
            return 0
        } catch let error as SystemCallError {
            printError("read: \(error.errno)")
            throw SessionEnd(status: 1)
        }
    }

    /// Writes out the frames of every socket's batch in kernel-timestamp order, so frames from several
    /// interfaces come out in the order they arrived (as candump prints them when it keeps up); stops at `-n`.
    private func emitInArrivalOrder() throws {
        while true {
            var next = -1
            for i in 0..<batches.count where cursor[i] < received[i] {
                if next < 0 || batches[i][cursor[i]].timestamp < batches[next][cursor[next]].timestamp { next = i }
            }
            guard next >= 0 else { return }
            try handle(batches[next][cursor[next]], socket: next)
            cursor[next] += 1
            if let left = remaining {
                remaining = left - 1
                if left == 1 { return }
            }
        }
    }
}

/// Ends the receive loop with an exit status, after the reason was reported.
struct SessionEnd: Error {
    let status: Int32
}
