import ArgumentParser
import ISOTPCommandLine
import SocketBase
import ToolSupport
import UDS

/// `uds-swift session N`: DiagnosticSessionControl (0x10).
struct SessionCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "DiagnosticSessionControl (0x10): 1 default, 2 programming, 3 extended.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The session type (hex).") var session: String

    func validateArguments() throws {
        _ = try Parse.byte(session, "session")
    }

    func perform(_ report: Report) throws {
        let type = UDSSession(rawValue: try Parse.byte(session, "session"))
        let response = try makeClient().changeSession(type)
        let p2 = UDSTimingText.ms(response.p2), p2Star = UDSTimingText.ms(response.p2Star)
        report.response(service: .diagnosticSessionControl, data: nil,
                        text: "DiagnosticSessionControl \(type): P2 \(p2) ms, P2* \(p2Star) ms",
                        fields: [("session", "\(type.rawValue)"), ("p2_ms", "\(p2)"), ("p2_star_ms", "\(p2Star)")])
    }
}

enum UDSTimingText {
    static func ms(_ d: Duration) -> Int64 {
        let (s, a) = d.components
        return s * 1000 + a / 1_000_000_000_000_000
    }

    /// `2s`, `500ms`, `1.5s`, or bare milliseconds.
    static func duration(_ text: String, _ what: String) throws -> Duration {
        let number: Substring, scale: Double
        if text.hasSuffix("ms") { number = text.dropLast(2); scale = 1 }
        else if text.hasSuffix("s") { number = text.dropLast(1); scale = 1000 }
        else { number = Substring(text); scale = 1 }
        guard let value = Double(number), value > 0, value * scale < 86_400_000 else {
            throw ValidationError("\(what) '\(text)': not a duration (e.g. 2s, 500ms)")
        }
        return .milliseconds(Int64(value * scale))
    }
}

/// `uds-swift reset N`: ECUReset (0x11).
struct ResetCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "ECUReset (0x11): 1 hard, 2 key off/on, 3 soft.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The reset type (hex).") var type: String

    func validateArguments() throws {
        _ = try Parse.byte(type, "reset type")
    }

    func perform(_ report: Report) throws {
        let reset = ResetType(rawValue: try Parse.byte(type, "reset type"))
        let response = try makeClient().reset(reset)
        report.response(service: .ecuReset, data: [reset.rawValue] + (response.powerDownTime.map { [$0] } ?? []),
                        text: "ECUReset 0x\(Hex.byte(reset.rawValue)): done")
    }
}

/// `uds-swift tester-present [--every DURATION]`: one TesterPresent, or the keep-alive until a signal.
struct TesterPresentCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "tester-present",
        abstract: "TesterPresent (0x3E): once (waiting for the answer), or with --every in the background (suppress bit) until SIGINT/SIGTERM.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Option(help: ArgumentHelp("Send 3E 80 every DURATION (e.g. 2s, 500ms) until interrupted", valueName: "DURATION"))
    var every: String?

    func validateArguments() throws {
        if let every { _ = try UDSTimingText.duration(every, "--every") }
    }

    func perform(_ report: Report) throws {
        let udsClient = try makeClient()
        guard let every else {
            try udsClient.testerPresent()
            report.response(service: .testerPresent, data: [0x00], text: "TesterPresent: ok")
            return
        }
        Signals.install()
        udsClient.startKeepAlive(every: try UDSTimingText.duration(every, "--every"))
        try Signals.waitForStop()
        let status = udsClient.keepAliveStatus
        udsClient.stopKeepAlive()
        report.response(service: .testerPresent, data: nil, text: "TesterPresent: \(status?.sent ?? 0) sent",
                        fields: [("sent", "\(status?.sent ?? 0)")])
        if let error = status?.lastError { throw ValidationError("keep-alive: \(error)") }
    }
}

/// `uds-swift security LEVEL --key-command CMD`: SecurityAccess (0x27) seed and key.
struct SecurityCommand: TesterCommand {
    static let configuration = CommandConfiguration(commandName: "security",
        abstract: "SecurityAccess (0x27): request the seed of LEVEL (odd), run CMD with the seed in hex on stdin, send the key it prints.")
    @OptionGroup var addressing: AddressingOptions
    @OptionGroup var link: LinkOptions
    @OptionGroup var client: ClientOptions
    @Argument(help: "The security level (hex, odd).") var level: String
    @Option(name: .customLong("key-command"), help: "A shell command: gets the seed in hex on stdin, prints the key in hex.")
    var keyCommand: String
    @Option(help: "Switch to this session (hex) first, in the same connection.") var session: String?

    func validateArguments() throws {
        let value = try Parse.byte(level, "level")
        guard value & 1 == 1 else { throw ValidationError("level '\(level)': a requestSeed level is odd (1, 3, 5, …)") }
        if let session { _ = try Parse.byte(session, "--session") }
    }

    func perform(_ report: Report) throws {
        let udsClient = try makeClient()
        if let session { try udsClient.changeSession(UDSSession(rawValue: try Parse.byte(session, "--session"))) }
        let level = try Parse.byte(self.level, "level")
        let seed = try udsClient.unlock(level: level) { seed in try KeyCommand.run(keyCommand, seed: seed) }
        report.response(service: .securityAccess, data: nil, text: "SecurityAccess 0x\(Hex.byte(level)): unlocked (seed \(Hex.string(seed)))",
                        fields: [("level", "\(level)"), ("seed", report.quote(Hex.string(seed)))])
    }
}

/// Runs the key command: `/bin/sh -c CMD`, the seed in hex on stdin, the key in hex from stdout.
enum KeyCommand {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ command: String, seed: [UInt8]) throws -> [UInt8] {
        let outcome: ShellCommand.Outcome
        do {
            outcome = try ShellCommand.run(command, input: Array((Hex.string(seed) + "\n").utf8))
        } catch {
            throw Failure(description: "--key-command: \(error)")
        }
        guard outcome.exitStatus == 0 else {
            let how = outcome.exitStatus.map { "exited with status \($0)" } ?? "was killed by signal \(outcome.terminatingSignal ?? 0)"
            throw Failure(description: "--key-command '\(command)' \(how)")
        }
        let text = outcome.output
        let printed = String(decoding: text, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\r" }).joined()
        guard let key = Hex.parse(printed), !key.isEmpty else {
            throw Failure(description: "--key-command '\(command)' printed '\(printed.prefix(40))', not a key in hex")
        }
        return key
    }
}
