#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ToolSupport
import UDS

/// What a command prints: readable lines, or one JSON object per response with `--json`; and the exit status
/// for errors (2 negative response, 3 timeout, 1 anything else).
struct Report {
    let json: Bool

    /// One response. `fields` are extra JSON members (already JSON values) in order.
    func response(service: UDSService, did: UInt16? = nil, data: [UInt8]?, ecu: UInt32? = nil,
                  text: String, fields: [(String, String)] = []) {
        if json {
            var members = [("service", quote(service.name))]
            if let ecu { members.append(("ecu", quote(String(ecu, radix: 16, uppercase: true)))) }
            if let did { members.append(("did", quote(Hex.word(did)))) }
            members += fields
            if let data { members.append(("data", quote(Hex.string(data)))) }
            print("{" + members.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}")
        } else {
            print((ecu.map { String($0, radix: 16, uppercase: true) + ": " } ?? "") + text)
        }
    }

    /// A negative response as a line (JSON on stdout with --json, else on stderr).
    func negative(_ error: UDSNegativeResponse, did: UInt16? = nil, ecu: UInt32? = nil) {
        if json {
            var members = [("service", quote(error.service.name))]
            if let ecu { members.append(("ecu", quote(String(ecu, radix: 16, uppercase: true)))) }
            if let did { members.append(("did", quote(Hex.word(did)))) }
            members.append(("nrc", "{\"code\":\(error.code.rawValue),\"name\":\(quote(error.code.name))}"))
            print("{" + members.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}")
        } else {
            let line = (ecu.map { String($0, radix: 16, uppercase: true) + ": " } ?? "") + "\(error)"
            if ecu != nil { print(line) } else { printError(line) }
        }
    }

    /// Runs a command's body and maps UDS errors to the exit status.
    func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as UDSNegativeResponse {
            negative(error)
            throw ExitCode(2)
        } catch let error as UDSTimeout {
            if json { print("{\"service\":\(quote(error.service.name)),\"timeout\":\(quote(error.phase.rawValue))}") }
            printError("uds-swift: \(error)")
            throw ExitCode(3)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            printError("uds-swift: \(error.message)")
            throw ExitCode(1)
        } catch {
            printError("uds-swift: \(error)")
            throw ExitCode(1)
        }
    }

    func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where c.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

/// Printable ASCII of data, dots elsewhere (a VIN reads as text).
func ascii(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : 0x2E }, as: UTF8.self)
}
