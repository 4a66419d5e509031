import Testing
import ToolkitTestSupport

/// Numeric options past their bounds in every CAN tool (issue 14): a message naming the option, exit 1 or 64 (the
/// argument parser's usage status), never a trap. On the host: each case stops before it needs a CAN interface,
/// or at the missing one (`vcan0` does not exist here).
@Suite("Tool option bounds")
struct ToolBoundsTests {
    @Test("a value out of range: the option named, exit 1 or 64, no trap", arguments: [
        (["isotp-swift", "send", "-s", "123", "-d", "321", "-t", "99999999999999999999", "vcan0"], "-t '99999999999999999999'"),
        (["isotp-swift", "send", "-s", "123", "-d", "321", "-D", "99999999999", "vcan0"], "-D '99999999999'"),
        (["isotp-swift", "recv", "-s", "123", "-d", "321", "-b", "1FF", "vcan0"], "-b '1FF'"),
        (["isotp-swift", "recv", "-s", "123", "-d", "321", "-f", "99999999999999999999", "vcan0"], "-f '99999999999999999999'"),
        (["isotp-swift", "send", "-s", "123", "-d", "321", "-L", "99999999999:64:0", "vcan0"], "-L '99999999999:64:0'"),
        (["isotp-swift", "send", "-s", "FFFFFFFFF", "-d", "321", "vcan0"], "-s 'FFFFFFFFF'"),
        (["uds-swift", "read-did", "-s", "7E0", "-d", "7E8", "--p2", "99999999999999999999", "vcan0", "F190"], "--p2"),
        (["uds-swift", "read-did", "-s", "7E0", "-d", "7E8", "--p2", "0", "vcan0", "F190"], "--p2"),
        (["uds-swift", "read-did", "-s", "7E0", "-d", "7E8", "--busy-retries", "-1", "vcan0", "F190"], "--busy-retries"),
        (["uds-swift", "tester-present", "-s", "7E0", "-d", "7E8", "--every", "9223372036854775807", "vcan0"], "--every"),
        (["uds-swift", "download", "-s", "7E0", "-d", "7E8", "--address", "FFFFFFFFFFFFFFFFFF", "vcan0", "/dev/null"], "--address"),
        (["canlog-swift", "play", "-g", "9223372036854775807", "/dev/null"], "-g"),
        (["canlog-swift", "play", "-l", "99999999999999999999", "/dev/null"], "-l"),
        (["canlog-swift", "play", "-s", "0", "/dev/null"], "-s"),
        (["candump-swift", "-r", "99999999999", "vcan0"], "-r <size>"),
        (["candump-swift", "-T", "99999999999", "vcan0"], "-T <msecs>"),
        (["candump-swift", "-n", "99999999999999999999", "vcan0"], "-n <count>"),
    ])
    func refused(_ arguments: [String], _ option: String) throws {
        let run = try Subprocess.run([PackageFiles.product(arguments[0])] + arguments.dropFirst())
        #expect(run.status == 1 || run.status == 64, "\(arguments): status \(run.status)")
        #expect(run.stderr.contains(option), "\(arguments): \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Crash"), "\(arguments): \(run.stderr)")
    }

    @Test("the largest values accepted run into the missing interface, not into an overflow", arguments: [
        ["uds-swift", "read-did", "-s", "7E0", "-d", "7E8", "--p2", "9223372036854775807", "--p2-star", "9223372036854775807", "vcan0", "F190"],
        ["uds-swift", "read-did", "-s", "7E0", "-d", "7E8", "--busy-retries", "9223372036854775807", "vcan0", "F190"],
        ["isotp-swift", "send", "-s", "123", "-d", "321", "-t", "4294967295", "-D", "8300", "vcan0"],
        ["candump-swift", "-r", "2147483647", "-T", "2147483647", "-n", "9223372036854775807", "vcan0"],
    ])
    func largestAccepted(_ arguments: [String]) throws {
        let run = try Subprocess.run([PackageFiles.product(arguments[0])] + arguments.dropFirst())
        #expect(run.status == 1, "\(arguments): status \(run.status), \(run.stderr)")
        #expect(run.stderr.contains("vcan0") && run.stderr.contains("No such device"), "\(arguments): \(run.stderr)")
    }
}
