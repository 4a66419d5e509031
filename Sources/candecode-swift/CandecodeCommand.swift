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
        var decoder = LineDecoder(database: database, singleLine: singleLine, json: json)
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
            var start = 0
            while start < end, let hit = memchr(input + start, 0x0A, end - start) {
                let newline = input.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                decoder.decode(line: UnsafeBufferPointer(start: input + start, count: newline - start), to: &output.buffer)
                start = newline + 1
            }
            filled = end - start
            if start > 0 && filled > 0 { UnsafeMutableRawPointer(input).copyMemory(from: input + start, byteCount: filled) }  // memmove
            try output.flushIfFull(1 << 16)
        }
        if filled > 0 { decoder.decode(line: UnsafeBufferPointer(start: input, count: filled), to: &output.buffer) }
        try output.flush()
    }
}

/// One line in, its text (or JSON object) out, into a reused buffer.
struct LineDecoder {
    let json: Bool
    var reader = CandumpTextReader()
    var fields = CandumpTextReader.Fields()
    var decoder: SignalDecoder
    static let upperHex = Array("0123456789ABCDEF".utf8)

    init(database: SignalDatabase, singleLine: Bool, json: Bool) {
        decoder = SignalDecoder(database: database, singleLine: singleLine)
        decoder.keepsValues = false
        self.json = json
    }

    mutating func decode(line raw: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // cantools strips '\r' and '\n' from both ends of the line.
        var lo = 0, hi = raw.count
        while lo < hi && (raw[lo] == 0x0D || raw[lo] == 0x0A) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 0x0D || raw[hi - 1] == 0x0A) { hi -= 1 }
        let line = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        let kind = reader.read(line, into: &fields)
        if json {
            if case .frame = kind { appendJSON(to: &out) }
            return
        }
        out.append(contentsOf: line)
        if case .frame = kind {
            fields.withUnsafeData { data in _ = decoder.appendText(rawID: fields.rawID, data: data, unknownIDs: true, to: &out) }
        }
        out.append(0x0A)
    }

    private mutating func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":""#.utf8)
        let id = fields.id, extended = fields.isExtended
        for k in stride(from: (extended ? 8 : 3) - 1, through: 0, by: -1) { out.append(Self.upperHex[Int((id >> (4 * UInt32(k))) & 0xF)]) }
        out.append(contentsOf: (extended ? #"","extended":true"# : #"","extended":false"#).utf8)
        out.append(contentsOf: (fields.isFD ? #","fd":true"# : #","fd":false"#).utf8)
        out.append(contentsOf: #","len":"#.utf8)
        DecodedSignals.appendDecimal(Int64(fields.isRemote ? fields.remoteLength : fields.count), to: &out)
        out.append(contentsOf: #","data":""#.utf8)
        fields.withUnsafeData { data in
            for byte in data { out.append(Self.upperHex[Int(byte >> 4)]); out.append(Self.upperHex[Int(byte & 0xF)]) }
            out.append(UInt8(ascii: "\""))
            decoder.appendJSONMembers(rawID: fields.rawID, data: data, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }
}
