import ArgumentParser
import ToolSupport

/// The `-C`, `-G` and `-W` options, checked as tcpdump 4.99.3 checks them: `-C` by `strtoll` (a whole number above
/// 0, in millions of bytes), `-G` and `-W` by `atoi`; a bad value is refused with tcpdump's words and exit 1.
struct RotationOptions: ParsableArguments {
    @Option(name: .customShort("C"), parsing: .unconditional, help: ArgumentHelp("with -w, start a new file once one is larger than this many million bytes (NAME, NAME1, NAME2, ...)", valueName: "file_size"))
    var fileSize: String?

    @Option(name: .customShort("G"), parsing: .unconditional, help: ArgumentHelp("with -w, start a new file every this many seconds, the -w name formatted by strftime", valueName: "rotate_seconds"))
    var rotateSeconds: String?

    @Option(name: .customShort("W"), parsing: .unconditional, help: ArgumentHelp("with -C, use this many file names in turn (numbers zero-padded); with -G alone, exit after this many files", valueName: "filecount"))
    var fileCount: String?

    func validate() throws {
        _ = try parsed()
    }

    /// The rotation the options ask for.
    /// - Throws: `ExitCode(1)` after printing tcpdump's message for a value it refuses.
    func parsed() throws -> FileRotation {
        var rotation = FileRotation()
        if let text = fileSize {
            guard let value = Self.strtoll(text), value > 0 else { try Self.refuse("invalid file size \(text)") }
            guard value <= Int64.max / 1_000_000 else { try Self.refuse("file size \(text) is too large") }
            rotation.bytes = value * 1_000_000
        }
        if let text = rotateSeconds {
            rotation.seconds = Self.atoi(text)
            if rotation.seconds < 0 { try Self.refuse("invalid number of seconds \(text)") }
        }
        if let text = fileCount {
            rotation.files = Self.atoi(text)
            if rotation.files <= 0 { try Self.refuse("invalid number of output files \(text)") }
        }
        return rotation
    }

    private static func refuse(_ message: String) throws -> Never {
        printError("pktdump-swift: \(message)")
        throw ExitCode(1)
    }

    /// `strtoll(text, &end, 10)` taken only when it used the whole text without overflow, as tcpdump's `-C` check.
    static func strtoll(_ text: String) -> Int64? {
        var bytes = Substring(text).utf8.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var value: Int64 = 0
        for digit in bytes {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int64(digit - 0x30))
                                            : times.addingReportingOverflow(Int64(digit - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// glibc's `atoi`: `(int) strtol(text, NULL, 10)`: leading space, a sign, the digits up to the first other
    /// character (0 for none); a value past `long` saturates, then keeps its low 32 bits.
    static func atoi(_ text: String) -> Int {
        var bytes = Substring(text).utf8.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var value: Int64 = 0
        var saturated = false
        for digit in bytes.prefix(while: { (0x30...0x39).contains($0) }) where !saturated {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int64(digit - 0x30))
                                            : times.addingReportingOverflow(Int64(digit - 0x30))
            if overflow1 || overflow2 { value = negative ? .min : .max; saturated = true } else { value = sum }
        }
        return Int(Int32(truncatingIfNeeded: value))
    }
}
