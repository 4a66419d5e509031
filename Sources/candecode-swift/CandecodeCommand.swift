#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CANDatabase
import CANSocket
import SocketBase
import ToolSupport

/// candecode-swift: `candump … | cantools decode db.dbc`, in Swift. Reads candump's screen output or log lines
/// on stdin and prints each line, then ` ::` and the decoded message, byte for byte as `cantools decode` does.
@main
struct CandecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candecode-swift",
        abstract: "Decode candump output read from stdin with DBC databases, as `cantools decode` prints it.")

    @Flag(name: [.customShort("s"), .long], help: "print the decoded message on a single line")
    var singleLine = false

    @Flag(name: .long, help: "print one JSON object per frame: id, data, name, signals, labels")
    var json = false

    @Argument(help: ArgumentHelp("DBC files; later files add messages (and replace ones with the same id)", valueName: "DBC"))
    var databases: [String]

    func validate() throws {
        guard !databases.isEmpty else { throw ValidationError("give at least one DBC file") }
    }

    func run() throws {
        var database = SignalDatabase()
        for path in databases {
            do throws(DBCParseError) {
                database.merge(try SignalDatabase(contentsOfFile: path))
            } catch {
                printError("candecode-swift: \(error)")
                throw ExitCode(1)
            }
        }
        var decoder = CandumpTextDecoder(database: database, output: json ? .json : singleLine ? .singleLine : .text)
        let output = OutputFile.standardOutput()
        let standardInput = FileDescriptor.standardInput
        // Lines are decoded where they were read: the block's last, unfinished line moves to the front
        // before the next read (the room doubles for a line longer than it).
        var capacity = 1 << 18
        var input = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { input.deallocate() }
        var filled = 0
        while true {
            if filled == capacity {
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * capacity)
                larger.update(from: input, count: filled)
                input.deallocate()
                input = larger
                capacity *= 2
            }
            let n: Int
            do {
                // stdin is blocking: a would-block result (someone made it non-blocking) just reads again.
                let room = UnsafeMutableRawBufferPointer(start: input + filled, count: capacity - filled)
                guard case .processed(let count) = try standardInput.read(into: room) else { continue }
                n = count
            } catch {
                printError("candecode-swift: \(error)")
                throw ExitCode(1)
            }
            if n == 0 { break }
            let end = filled + n
            let start = decoder.decodeLines(in: UnsafeBufferPointer(start: input, count: end), to: &output.buffer)
            filled = end - start
            if start > 0 && filled > 0 { UnsafeMutableRawPointer(input).copyMemory(from: input + start, byteCount: filled) }  // memmove
            try output.flushIfFull(1 << 16)
        }
        if filled > 0 { decoder.decode(line: UnsafeBufferPointer(start: input, count: filled), to: &output.buffer) }
        try output.flush()
    }
}
