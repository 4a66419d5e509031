#if canImport(Glibc)
import Glibc
#endif
import Testing
import ToolkitTestSupport

/// Helpers for the ISO-TP VM tests: test PDUs, isotprecv's expected text, and running a sender with stdin.
enum ISOTPTraffic {
    /// A PDU of `count` bytes that differs for every size (so a mixed-up transfer cannot match).
    static func pdu(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ count) } }

    /// What isotprecv prints for one PDU: `%02X ` per byte, then a newline.
    static func text(_ pdu: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        var out = ""
        out.reserveCapacity(pdu.count * 3 + 1)
        for byte in pdu {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
            out.append(" ")
        }
        return out + "\n"
    }

    /// Writes `text` to a new file under /dev/shm (not the 9p share) and returns its path.
    static func inputFile(_ text: String) throws -> String {
        let path = "/dev/shm/isotp-input-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try PackageFiles.write(text, to: path)
        return path
    }

    /// Runs `argv` with stdin from `path`, to completion.
    static func run(_ argv: [String], stdin path: String) throws -> (status: CInt, stdout: String, stderr: String) {
        try Subprocess.run(["/bin/sh", "-c", "exec \"$0\" \"$@\" < '\(path)'"] + argv)
    }

    /// Starts a receiver, waits until it is bound, runs the sender with `input` on stdin, and waits for both.
    /// - Returns: the receiver's status and stdout, and the sender's status and stderr.
    static func transfer(receiver: [String], sender: [String], input: String) throws
        -> (receiverStatus: CInt, output: String, senderStatus: CInt, senderError: String, receiverError: String)
    {
        let path = try inputFile(input)
        defer { unlink(path) }
        let receive = try Subprocess(receiver)
        #expect(receive.waitForSocket(), "receiver \(receiver[0]) opened no socket")
        pause(.milliseconds(150))  // from socket() to bind()
        let send = try run(sender, stdin: path)
        let status = receive.wait(timeout: .seconds(60))
        return (status, receive.stdout, send.status, send.stderr, receive.stderr)
    }
}
