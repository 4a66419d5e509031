import ArgumentParser
import CANLog
import CANSocket
import SocketBase
import ToolSupport

/// `-l`: a number of loops or `i` for infinite, as canplayer reads it.
struct LoopCount: ExpressibleByArgument {
    let loops: CANReplayOptions.Loops

    init?(argument: String) {
        if argument == "i" {
            loops = .infinite
        } else if let n = Int(argument), n >= 1, n <= Int(Int32.max) {
            loops = .count(n)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["i"]) }
}

/// `canlog-swift play`: canplayer with its options, for candump logs, ASC and BLF.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Replay a CAN log onto CAN interfaces, as canplayer does (candump log, .asc or .blf).",
        usage: "canlog-swift play <options> [<write-if>=<log-if>]*",
        discussion: """
        Assignments like vcan2=can0 send the frames logged on can0 on vcan2; frames of unassigned log \
        interfaces are skipped. No assignments: frames go out on the interfaces named in the log.
        Timing: each frame at its logged time relative to the first frame of the loop, on the monotonic clock \
        (absolute deadlines, no polling quantum: canplayer instead wakes every -g ms, 1 ms by default, and sends \
        what is due). -g MS sets a fixed gap between frames instead of the log's timing; -t sends as fast as the \
        sockets take frames. A full transmit queue (ENOBUFS) is waited out and the frame sent again, never skipped.
        stdin (a candump log) is played as it arrives and once, as canplayer plays it; a file is read whole \
        first, its format from the extension (.asc, .blf; anything else is a candump log).
        """
    )

    @Option(name: .customShort("I"), help: ArgumentHelp("The log to play (default stdin).", valueName: "infile"))
    var input = "-"

    @Option(name: .customShort("l"), help: ArgumentHelp("Play the log <num> times ('i' for infinite; default 1).", valueName: "num"))
    var loops: LoopCount?

    @Flag(name: .customShort("t"), help: "Ignore timestamps: send frames immediately.")
    var ignoreTimestamps = false

    @Option(name: .customShort("g"), help: ArgumentHelp("A fixed gap of <ms> milliseconds between frames (0...3600000) instead of the log's timing.", valueName: "ms"))
    var gap: Int?

    @Option(name: .customShort("s"), help: ArgumentHelp("Skip gaps in timestamps > <s> seconds (1...1000000000).", valueName: "s"))
    var skipGap: Int?

    @Flag(name: .customShort("x"), help: "Disable local loopback of sent CAN frames (CAN_RAW_LOOPBACK off).")
    var disableLoopback = false

    @Flag(name: .customShort("v"), help: "Verbose: print sent CAN frames as canplayer -v does ('-v -v' adds a summary on stderr).")
    var verbose: Int

    @Option(help: "Interface names for ASC/BLF channels 1, 2, … (comma separated); else channel N is can<N-1>.")
    var channels: String?

    @Argument(help: ArgumentHelp("Interface assignments <write-if>=<log-if>.", valueName: "write-if=log-if"))
    var assignments: [String] = []

    mutating func validate() throws {
        if let gap, !(0...3_600_000).contains(gap) {
            throw ValidationError("-g \(gap): the gap must be 0 to 3600000 ms")
        }
        if let skipGap, !(1...1_000_000_000).contains(skipGap) {
            throw ValidationError("-s \(skipGap): the skipped gap must be 1 to 1000000000 seconds")
        }
    }

    func run() throws {
        let mapping: CANInterfaceMapping
        do {
            mapping = try CANInterfaceMapping(parsing: assignments)
        } catch {
            throw failure("\(error)")
        }
        let timing: CANReplayOptions.Timing = if let gap { .fixedGap(.milliseconds(gap)) }
            else if ignoreTimestamps { .immediate } else { .original }
        let options = CANReplayOptions(timing: timing, skipGapsLongerThan: skipGap.map { .seconds($0) },
                                       loops: loops?.loops ?? .count(1), mapping: mapping, loopback: !disableLoopback)
        // stdin is played as it arrives (a live pipe from candump -L works), once, as canplayer plays it; a file
        // is read whole first, in any of the three formats.
        var log: CANLogReader?
        if input != "-" {
            let bytes: [UInt8]
            do {
                bytes = try LogFiles.read(input)
            } catch {
                throw failure("\(error)")
            }
            log = CANLogReader(bytes: bytes, format: CANLogFormat(path: input) ?? .candump,
                               channels: CANLogChannels(channels.map { $0.split(separator: ",").map(String.init) } ?? []),
                               file: input)
        }
        let sender = CANRawReplaySender(loopback: !disableLoopback)
        var player = CANLogPlayer(options: options, sender: sender)
        let out = OutputFile.standardOutput()
        if verbose > 0 {
            var view = CANFrameText.View()
            view.indentStandardIDs = true
            player.onSent = { line, write in
                // canplayer: printf("%s (%s) ", txname, device) and the frame as fprint_long_canframe writes it.
                out.buffer.append(contentsOf: write.utf8)
                out.buffer.append(contentsOf: " (".utf8)
                out.buffer.append(contentsOf: line.interface.utf8)
                out.buffer.append(contentsOf: ") ".utf8)
                switch line.frame {
                case .can(let frame): CANFrameText.appendLong(frame, view: view, to: &out.buffer)
                case .xl(let frame): CANFrameText.appendLong(frame, view: view, to: &out.buffer)
                }
                out.buffer.append(0x0A)
                try out.flushIfFull()
            }
            // Buffered lines go out while the player waits (more than 2 ms, so the write does not delay a frame).
            player.onWait = { deadline in
                if !out.buffer.isEmpty && deadline - MonotonicClock.now() > 2_000_000 { try out.flush() }
            }
        }
        Signals.install()   // Ctrl-C ends the replay after the frame in flight, -v output written
        let statistics: CANLogPlayer<CANRawReplaySender, CANReplaySystemClock>.Statistics
        do {
            statistics = if let log { try player.play(log) }
                else { try player.play(CandumpLogStream(.standardInput, name: "stdin")) }
        } catch {
            try? out.flush()
            throw failure("\(error)")
        }
        try out.flush()
        try? sender.close()
        if verbose > 1 {
            printError("canlog-swift play: \(statistics.framesSent) frames sent, \(statistics.framesNotAssigned) not assigned, "
                       + "\(statistics.fullQueueWaits) full-queue waits, \(statistics.loopsCompleted) loops"
                       + (statistics.stopped ? ", stopped by a signal" : ""))
        }
    }

    private func failure(_ message: String) -> ExitCode {
        printError("canlog-swift play: \(message)")
        return ExitCode(1)
    }
}
