#if canImport(Glibc)
import Glibc
#endif
import PcapFile
import Testing
import ToolkitTestSupport

extension CANBus {
/// Faults a rig meets while candump-swift runs (issue 14): the reader of stdout going away, a full disk.
@Suite("candump-swift faults (VM)", .needsCAN, .serialized)
struct CandumpFaultTests {
    static let swift = CANEnvironment.product("candump-swift")

    /// The records of a pcap file, read with PcapReader.
    static func pcapRecords(_ path: String) throws -> [PcapRecord] {
        let reader = try PcapReader(path: path)
        defer { reader.close() }
        var records: [PcapRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// Waits until the newest candump-swift process has its CAN socket open.
    static func waitForCandump() -> Bool {
        eventually(timeout: .seconds(60)) {
            guard let pid = try? Subprocess.run(["pgrep", "-n", "-x", "candump-swift"]).stdout.split(separator: "\n").first
            else { return false }
            let fds = (try? Subprocess.run(["ls", "-l", "/proc/\(pid)/fd"]).stdout) ?? ""
            return fds.contains("socket:")
        }
    }

    static func send(_ count: Int, from first: Int) throws {
        for i in first..<(first + count) {
            #expect(try Subprocess.run(["cansend", "vcan0", "\(String(0x100 + i, radix: 16))#\(String(format2(i)))"]).status == 0)
        }
    }

    static func format2(_ i: Int) -> String { let s = String(i % 256, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }

    @Test("stdout closed early (| head -1): candump-swift ends quietly, exit 0, -f log and --pcap complete")
    func readerGone() throws {
        let dir = "/dev/shm/candump-fault-\(getpid())"
        #expect(mkdir(dir, 0o755) == 0)
        defer { _ = try? Subprocess.run(["rm", "-rf", dir]) }
        let pipeline = try Subprocess(["bash", "-c",
            "\"$0\" -L -s 0 -f \(dir)/log --pcap \(dir)/pcap vcan0 2> \(dir)/stderr | head -n 1 > \(dir)/head; echo ${PIPESTATUS[0]} > \(dir)/status",
            Self.swift])
        #expect(Self.waitForCandump())
        pause(.milliseconds(200))
        // head exits after its line; a later write to stdout meets EPIPE and ends the run, wherever in the traffic.
        try Self.send(40, from: 0)
        #expect(pipeline.wait(timeout: .seconds(30)) == 0, "the pipeline ended by itself")
        #expect(PackageFiles.text("\(dir)/status") == "0\n", "candump-swift's own exit status")
        let head = PackageFiles.text("\(dir)/head")
        #expect(head.hasPrefix("(") && head.hasSuffix(" vcan0 100#00\n"), "\(head)")
        // No error: candump's two -s 0 logging notices, then the summary, whose count every file holds.
        let stderr = PackageFiles.text("\(dir)/stderr").split(separator: "\n")
        #expect(stderr.count == 3 && stderr[0] == "Warning: Console output active while logging!", "\(stderr)")
        let summary = try #require(stderr.last)
        let received = try #require(Int(summary.split(separator: " ")[1]), "\(summary)")
        #expect(summary == "candump-swift: \(received) frame\(received == 1 ? "" : "s") received, 0 dropped by the kernel")
        #expect(received >= 1)
        let log = PackageFiles.text("\(dir)/log").split(separator: "\n")
        #expect(log.count == received, "the -f log has every frame received")
        #expect(log.last?.hasSuffix(" vcan0 \(String(0x100 + received - 1, radix: 16))#\(Self.format2(received - 1))") == true)
        let records = try Self.pcapRecords("\(dir)/pcap")
        #expect(records.count == received, "the pcap has every frame received")
    }

    @Test("a full disk for -f: a clear error, exit 1; --pcap on another file system is complete")
    func diskFull() throws {
        let pcap = "/dev/shm/candump-full-\(getpid()).pcap"
        defer { unlink(pcap) }
        let swift = try Subprocess([Self.swift, "-f", "/dev/full", "--pcap", pcap, "vcan0"])
        #expect(swift.waitForSocket())
        pause(.milliseconds(200))
        try Self.send(5, from: 0)
        #expect(swift.wait(timeout: .seconds(30)) == 1, "ends on the failed write: \(swift.stderr)")
        #expect(swift.stderr.contains("/dev/full"), "names the file: \(swift.stderr)")
        #expect(swift.stderr.contains("No space left on device"), "\(swift.stderr)")
        #expect(try Self.pcapRecords(pcap).count >= 1, "what was received before the error is in the pcap")
    }

    @Test("a disk that fills mid-run: the -f log keeps only whole lines, exit 1, the --pcap elsewhere has every frame")
    func diskFillsUp() throws {
        let dir = "/dev/shm/candump-small-\(getpid())"
        let pcap = "/dev/shm/candump-small-\(getpid()).pcap"
        #expect(mkdir(dir, 0o755) == 0)
        defer { _ = try? Subprocess.run(["umount", dir]); rmdir(dir); unlink(pcap) }
        #expect(try Subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", dir]).status == 0)
        let swift = try Subprocess([Self.swift, "-f", "\(dir)/log", "--pcap", pcap, "vcan0"])
        #expect(swift.waitForSocket())
        pause(.milliseconds(200))
        // 2,000 log lines of about 40 bytes: five times what fits.
        #expect(try Subprocess.run(["cangen", "vcan0", "-n", "2000", "-g", "1", "-I", "123", "-L", "8", "-D", "i"]).status == 0)
        #expect(swift.wait(timeout: .seconds(60)) == 1, "ends on the failed write: \(swift.stderr)")
        #expect(swift.stderr.contains("\(dir)/log") && swift.stderr.contains("No space left on device"), "\(swift.stderr)")
        let log = PackageFiles.text("\(dir)/log")
        let lines = log.split(separator: "\n")
        #expect(!lines.isEmpty && log.hasSuffix("\n"), "whole lines only")
        #expect(lines.allSatisfy { $0.hasPrefix("(") && $0.hasSuffix(")") == false && $0.contains(" vcan0 123#") && $0.count == lines[0].count },
                "every line complete: \(lines.last ?? "")")
        let summary = try #require(swift.stderr.split(separator: "\n").last)
        let received = try #require(Int(summary.split(separator: " ")[1]), "\(summary)")
        #expect(try Self.pcapRecords(pcap).count == received, "the pcap has every frame received: \(summary)")
    }

    @Test("unusable targets: -l in a read-only directory, -f naming a directory, the descriptor limit with 16 interfaces")
    func unusableTargets() throws {
        let dir = "/dev/shm/candump-ro-\(getpid())"
        #expect(mkdir(dir, 0o755) == 0)
        defer { _ = try? Subprocess.run(["umount", dir]); rmdir(dir) }
        // Root ignores permission bits, so the directory is a read-only mount.
        #expect(try Subprocess.run(["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", dir]).status == 0)
        let readOnly = try Subprocess.run([Self.swift, "-l", "vcan0"], directory: dir)
        #expect(readOnly.status == 1, "\(readOnly.stderr)")
        #expect(readOnly.stderr.contains("candump-") && readOnly.stderr.contains("Read-only file system"), "\(readOnly.stderr)")
        let directory = try Subprocess.run([Self.swift, "-f", "/dev/shm", "vcan0"])
        #expect(directory.status == 1 && directory.stderr.contains("/dev/shm") && directory.stderr.contains("Is a directory"),
                "\(directory.stderr)")
        let sixteen = Array(repeating: ["vcan0", "vcan1"], count: 8).flatMap { $0 }
        let limited = try Subprocess.run(["bash", "-c", "ulimit -n 12; exec \"$@\"", "-", Self.swift] + sixteen)
        #expect(limited.status == 1, "\(limited.stderr)")
        #expect(limited.stderr.contains("Too many open files (errno 24)"), "\(limited.stderr)")
        for result in [readOnly, directory, limited] {
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Crash"), "no trap: \(result.stderr)")
        }
    }
}
}
