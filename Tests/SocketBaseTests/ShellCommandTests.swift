#if canImport(Glibc)
import Glibc
#endif
import SocketBase
import Testing

extension SocketBaseTests {
@Suite("ShellCommand: a user's command through /bin/sh, input on stdin, output to the end, its status")
struct ShellCommandTests {
    @Test("the command reads the input and its output comes back whole, with exit status 0")
    func inputAndOutput() throws {
        let input = Array((0..<50_000).map { UInt8(ascii: "a") + UInt8($0 % 26) })
        let outcome = try ShellCommand.run("tr a-z A-Z", input: input)
        #expect(outcome.exitStatus == 0)
        #expect(outcome.terminatingSignal == nil)
        #expect(outcome.output == input.map { $0 - 32 })
    }

    @Test("a command that exits without reading its input is no error and does not raise SIGPIPE here")
    func commandThatDoesNotRead() throws {
        // More than a socket buffer: the write must fail with EPIPE once the command is gone.
        let outcome = try ShellCommand.run("printf 0102; exit 3", input: [UInt8](repeating: 0x41, count: 4 << 20))
        #expect(outcome.exitStatus == 3)
        #expect(outcome.output == Array("0102".utf8))
    }

    @Test("a command ended by a signal has no exit status but its signal")
    func killedBySignal() throws {
        let outcome = try ShellCommand.run("kill -9 $$", input: [])
        #expect(outcome.exitStatus == nil)
        #expect(outcome.terminatingSignal == 9)
    }

    @Test("the package's own descriptors do not reach the command, and none stays open after it")
    func descriptors() throws {
        let (a, b) = try Socket.pair()
        let ours = [a, b].map { Self.link(of: $0.fileDescriptor) }
        let before = FD.openCount()
        let outcome = try ShellCommand.run("ls -l /proc/self/fd", input: [])
        let listing = String(decoding: outcome.output, as: UTF8.self)
        #expect(listing.contains(" 0 -> socket:[") && listing.contains(" 1 -> pipe:["))
        for link in ours { #expect(link.hasPrefix("socket:[") && !listing.contains(link)) }
        for _ in 0..<20 { _ = try ShellCommand.run("exit 0", input: Array("x".utf8)) }
        #expect(!FD.leaked(since: before), "open descriptors: \(FD.openCount()), before \(before)")
    }

    /// What /proc/self/fd/N links to, e.g. `socket:[12345]` (an inode: unique while the descriptor is open).
    static func link(of descriptor: CInt) -> String {
        var target = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/self/fd/\(descriptor)", &target, target.count - 1)
        return n > 0 ? String(decoding: target[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }
}
}
