import ArgumentParser
import ToolSupport

/// tcpdump's reading of its numeric options, so that the same text gives the same value or the same refusal.
enum PktdumpNumericOption {
    /// C's `atoi` as tcpdump uses it for `-c` and `-B`: leading spaces, a sign, then as many decimal digits as
    /// there are (`1x` is 1, `abc` is 0); clamped to `Int` where C would overflow.
    static func atoi(_ text: String) -> Int {
        var rest = Substring(text).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        var value = 0
        for character in rest {
            guard let digit = character.wholeNumberValue, character.isASCII else { break }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { value = .max; break }
            value = sum
        }
        return negative ? -value : value
    }

    /// C's `strtol(text, &end, 0)` with tcpdump's check for `-s` that all of the text was a number: decimal,
    /// `0x` hexadecimal or `0` octal, with a sign; `nil` for anything else (or a value past `Int`).
    static func strtol(_ text: String) -> Int? {
        var digits = Substring(text).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
              let value = Int(digits, radix: radix) else { return nil }
        return negative ? -value : value
    }

    /// Refuses the command line as tcpdump does: `pktdump-swift: MESSAGE` on stderr and exit status 1 (the
    /// argument parser's own errors keep its status 64).
    static func refuse(_ message: String) throws -> Never {
        printError("pktdump-swift: \(message)")
        throw ExitCode(1)
    }
}
