import ArgumentParser
import CANSocket

/// Parsers for isotpsend/isotprecv argument syntax; each failure names the option and the value.
package enum ArgumentSyntax {
    /// A hex CAN id; more than 7 characters make it extended (CAN_EFF_FLAG), as in can-utils.
    package static func canID(_ text: String, option: String) throws -> CANID {
        guard !text.isEmpty, text.count <= 8, let value = UInt32(text, radix: 16) else {
            throw ValidationError("\(option) '\(text)': not a CAN id (1-3 hex digits, or 8 for an extended id)")
        }
        do {
            return text.count > 7 ? try CANID(extended: value) : try CANID(standard: value)
        } catch {
            let hint = text.count > 7 ? "" : " (use 8 digits for an extended id)"
            throw ValidationError("\(option) '\(text)': \(error)\(hint)")
        }
    }

    /// `<a>[:<b>]`, `:<b>` or `<a>:` with one or two hex digits each.
    package static func bytePair(_ text: String, option: String, what: String) throws -> (UInt8?, UInt8?) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        func byte(_ part: Substring) throws -> UInt8? {
            if part.isEmpty { return nil }
            guard part.count <= 2, let value = UInt8(part, radix: 16) else {
                throw ValidationError("\(option) '\(text)': incorrect \(what): '\(part)' is not a hex byte (00-FF)")
            }
            return value
        }
        let first = try byte(parts[0])
        let second = parts.count > 1 ? try byte(parts[1]) : nil
        return (first, second)
    }

    /// A decimal 32-bit value (nanoseconds, lengths).
    package static func decimal(_ text: String, option: String, range: ClosedRange<UInt32> = 0...UInt32.max) throws -> UInt32 {
        guard let value = UInt32(text), range.contains(value) else {
            throw ValidationError("\(option) '\(text)': expected a decimal number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A hex byte as isotprecv's -b, -m, -w take it.
    package static func hexByte(_ text: String, option: String) throws -> UInt8 {
        guard !text.isEmpty, text.count <= 2, let value = UInt8(text, radix: 16) else {
            throw ValidationError("\(option) '\(text)': expected a hex byte (00-FF)")
        }
        return value
    }
}
