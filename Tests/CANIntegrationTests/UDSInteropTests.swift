#if canImport(Glibc)
import Glibc
#endif
import CANSocket
import SocketBase
import Testing
import ToolkitTestSupport
import UDS

/// The UDS module and uds-swift on the kernel's ISO-TP, against PyPI udsoncan (with can-isotp's socket) and a
/// Python ECU on `socket.CAN_ISOTP`; classic CAN on vcan1, CAN FD (64-byte frames) on vcan0.
enum UDSPeers {
    static let tool = CANEnvironment.product("uds-swift")
    static let peers = "\(CANEnvironment.packageRoot)/Tests/UDSPeers"
    /// udsoncan and can-isotp, pinned, installed by scripts/lib/install-python-deps.
    static let pythonPath = "\(CANEnvironment.packageRoot)/.build/python"

    static func python(_ script: String, _ arguments: [String]) -> [String] {
        ["/usr/bin/env", "PYTHONPATH=\(pythonPath)", "python3", "-u", "\(peers)/\(script)"] + arguments
    }

    static func linkLayer(_ interface: String) -> [String] { interface == "vcan0" ? ["-L", "72:64:0"] : [] }

    static func options(_ interface: String) -> ISOTPOptions {
        var options = ISOTPOptions()
        if interface == "vcan0" { options.linkLayer = .fd(dataLength: 64) }
        return options
    }

    /// The simulator configuration the udsoncan script checks against (it reads the same file).
    static let config = """
    {"dids": {"F190": {"ascii": "WVWZZZ1JZXW000001"}, "F187": {"data": "0102030405"},
              "0100": {"data": "0A0B", "writable": true, "security": "01", "io": true}, "F18C": {"data": "AA"}},
     "sessions": {"01": {"p2_ms": 50, "p2_star_ms": 5000}, "02": {"p2_ms": 50, "p2_star_ms": 5000}, "03": {"p2_ms": 40, "p2_star_ms": 2500}},
     "security": {"01": {"seed": "11223344", "xor": "A55A"}},
     "routines": {"FF00": {"start": "00", "results": "0102"}},
     "dtcs": [{"code": "123456", "status": "2F", "snapshots": {"01": "01F1870102030405"}, "extended": {"01": "05"}},
              {"code": "ABCDEF", "status": "08"}],
     "memory": {"base": "0", "size": 131072, "max_block_length": 4095, "security": "01"},
     "inject": [{"request": "22F18C", "pending": 10, "interval_ms": 1000}, {"request": "1103", "silent": true},
                {"request": "2242", "nrc": "31"}]}
    """

    static func writeFile(_ text: String, _ name: String) throws -> String {
        let path = "/dev/shm/uds-\(getpid())-\(name)"
        try PackageFiles.write(text, to: path)
        return path
    }

    /// Starts `uds-swift serve` with `config` on `interface` and waits until its socket is bound.
    static func serve(_ interface: String, config: String = UDSPeers.config, ids: (String, String) = ("7E8", "7E0"),
                      extra: [String] = []) throws -> (Subprocess, String) {
        let path = try writeFile(config, "ecu-\(ids.0).json")
        let server = try Subprocess([tool, "serve", "-s", ids.0, "-d", ids.1] + linkLayer(interface) + extra + [interface, path])
        // A debug uds-swift takes many seconds to start under TCG on a loaded machine (ArgumentParser walks its
        // twelve commands): wait generously.
        #expect(server.waitForSocket(timeout: .seconds(180)), "uds-swift serve opened no socket: \(server.stderr)")
        pause(.milliseconds(200))
        return (server, path)
    }

    static func stop(_ server: Subprocess, _ path: String) {
        server.signal(SIGTERM)
        #expect(server.wait(timeout: .seconds(60)) == 0, "serve: \(server.stderr)")
        unlink(path)
    }
}

extension CANBus {
@Suite("UDS against udsoncan and a Python ECU (VM)", .needsCAN, .serialized)
struct UDSInteropTests {
    @Test("udsoncan's client drives uds-swift serve through every service, incl. a 64 KiB download", arguments: ["vcan1", "vcan0"])
    func udsoncanDrivesServe(interface: String) throws {
        let (server, path) = try UDSPeers.serve(interface)
        defer { UDSPeers.stop(server, path) }
        let run = try Subprocess.run(UDSPeers.python("udsoncan_client.py", [interface, "7E0", "7E8", interface == "vcan0" ? "1" : "0",
                                                                              path, "65536"]), timeout: .seconds(240))
        print(run.stdout)
        #expect(run.status == 0, "udsoncan on \(interface): \(run.stdout.suffix(400)) \(run.stderr.suffix(1500))")
        #expect(run.stdout.contains("ok download 65536 bytes in blocks of 4093, last counter 11"))
        #expect(run.stdout.hasSuffix("done\n"))
    }

    @Test("our client against a Python ECU on socket.CAN_ISOTP; 0x78 three times 1 s apart accepted under P2* = 5 s",
          arguments: ["vcan1", "vcan0"])
    func clientAgainstPythonECU(interface: String) throws {
        let ecu = try Subprocess(UDSPeers.python("python_ecu.py", [interface, "7E0", "7E8", interface == "vcan0" ? "1" : "0"]))
        #expect(ecu.waitForSocket(timeout: .seconds(120)))
        #expect(eventually(timeout: .seconds(20)) { ecu.stdout.contains("ready") }, "\(ecu.stderr)")
        let transport = try ISOTPTransport(interface: interface, transmitID: CANID(standard: 0x7E0), receiveID: CANID(standard: 0x7E8),
                                           options: UDSPeers.options(interface))
        defer { try? transport.close() }
        let client = UDSClient(transport: transport, timing: UDSTiming(p2: .seconds(1), p2Star: .seconds(5)), adoptsSessionTiming: false)
        let session = try client.changeSession(.extendedDiagnostic)
        #expect(session.p2 == .milliseconds(50) && session.p2Star == .seconds(5))
        #expect(try client.readDataByIdentifier(0xF190) == Array("PYECU000000000042".utf8))
        #expect(try client.readDataByIdentifiers([0xF187, 0xF190], table: [0xF187: 3, 0xF190: 17])[0xF187] == [0x10, 0x20, 0x30])
        #expect(throws: UDSNegativeResponse.self) { try client.writeDataByIdentifier(0x0100, data: [1, 2]) }
        try client.unlock(level: 1) { seed in seed.map { $0 ^ 0xA5 } }
        try client.writeDataByIdentifier(0x0100, data: [1, 2])
        #expect(try client.readDataByIdentifier(0x0100) == [1, 2])
        #expect(try client.routine(.requestResults, identifier: 0xFF00).statusRecord == [0xAB, 0xCD])
        #expect(try client.readDTCs().map(\.hexCode) == ["123456", "ABCDEF"])
        try client.testerPresent(suppressPositiveResponse: true)
        let start = ContinuousClock.now
        #expect(try client.readDataByIdentifier(0xF18C) == Array("SLOW".utf8))
        let waited = ContinuousClock.now - start
        print("UDS: F18C after 3 × responsePending 1 s apart: \(waited)")
        #expect(waited >= .seconds(3) && waited < .seconds(5))
        let image = (0..<20000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let summary = try client.download(image, to: 0x8000)
        #expect(summary.blockSize == 4093 && summary.blocks == 5)
        try client.reset(.hardReset)
        #expect(ecu.wait(timeout: .seconds(10)) == 0, "\(ecu.stderr)")
        #expect(ecu.stdout.contains("downloaded 20000 bytes, sum \(image.reduce(0) { $0 + Int($1) })"))
    }

    /// `uds-swift serve` and a client waiting out a long P2 on a vcan of the test's own, which is deleted: both end
    /// by themselves with exit 1 (as candump does when its interface goes away, and not the client's timeout 3),
    /// naming the interface and the reason.
    @Test("the interface deleted under serve and a waiting client: exit 1 and the reason")
    func interfaceRemoved() throws {
        let vcan = try ScratchVCAN("vcanuds")
        let name = vcan.name
        let (server, path) = try UDSPeers.serve(name)
        defer { unlink(path) }
        // A request no ECU answers (ids 7E1/7E9), waited for up to 60 s.
        let client = try Subprocess([UDSPeers.tool, "read-did", "-s", "7E1", "-d", "7E9", "--p2", "60000", name, "F190"])
        #expect(client.waitForSocket(timeout: .seconds(180)), "the client opened no socket: \(client.stderr)")
        pause(.milliseconds(500))
        #expect(try Subprocess.run(["ip", "link", "del", "dev", name]).status == 0)
        for (tool, process) in [("serve", server), ("read-did", client)] {
            let status = process.wait(timeout: .seconds(30))
            #expect(status == 1, "\(tool) exited \(status): \(process.stderr)")
            #expect(process.stderr.contains(name) && (process.stderr.contains("No such device") || process.stderr.contains("Network is down")),
                    "\(tool): \(process.stderr)")
        }
    }

    @Test("a missing response times out at P2 within a measured tolerance")
    func p2Timeout() throws {
        let (server, path) = try UDSPeers.serve("vcan1")
        defer { UDSPeers.stop(server, path) }
        let transport = try ISOTPTransport(interface: "vcan1", transmitID: CANID(standard: 0x7E0), receiveID: CANID(standard: 0x7E8))
        defer { try? transport.close() }
        let p2 = Duration.milliseconds(300)
        let client = UDSClient(transport: transport, timing: UDSTiming(p2: p2))
        // Warm up (first use of the socket and the code paths).
        #expect(try client.readDataByIdentifier(0xF187) == [1, 2, 3, 4, 5])
        var late: [Duration] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let error = #expect(throws: UDSTimeout.self) { try client.reset(.softReset) }
            late.append(ContinuousClock.now - start - p2)
            #expect(error?.phase == .p2)
        }
        print("UDS: P2 300 ms timeouts came late by \(late)")
        // Never early; at most 150 ms late under TCG (a poll wake-up and a context switch).
        #expect(late.allSatisfy { $0 >= .zero && $0 < .milliseconds(150) })
        // The ECU still answers afterwards.
        #expect(try client.readDataByIdentifier(0xF187) == [1, 2, 3, 4, 5])
    }

    @Test("TesterPresent keeps its S3 period during a 10 s responsePending wait (seen by a CAN_RAW listener)")
    func keepAliveDuringPendingWait() throws {
        let (server, path) = try UDSPeers.serve("vcan1")
        defer { UDSPeers.stop(server, path) }
        let listener = try CANRawSocket(interface: "vcan1")
        defer { try? listener.socket.close() }
        try listener.setFilters([CANFilter(CANID(standard: 0x7E0))])
        try listener.socket.setTimeout(.milliseconds(200))
        let transport = try ISOTPTransport(interface: "vcan1", transmitID: CANID(standard: 0x7E0), receiveID: CANID(standard: 0x7E8))
        defer { try? transport.close() }
        let client = UDSClient(transport: transport, timing: UDSTiming(p2: .seconds(1), p2Star: .seconds(3), s3: .seconds(2)))
        let seen = ListenerLog()
        let thread = try ListenerThread(listener, log: seen)
        client.startKeepAlive()
        let start = ContinuousClock.now
        #expect(try client.readDataByIdentifier(0xF18C) == [0xAA])
        let waited = ContinuousClock.now - start
        client.stopKeepAlive()
        thread.stop()
        let testerPresent = seen.frames.filter { $0.data.starts(with: [0x02, 0x3E, 0x80]) }.map(\.time)
        let gaps = zip(testerPresent.dropFirst(), testerPresent).map { $0 - $1 }
        print("UDS: pending wait \(waited); TesterPresent gaps on the bus \(gaps)")
        #expect(waited >= .seconds(10))
        #expect(testerPresent.count >= 5)
        #expect(gaps.allSatisfy { $0 > .milliseconds(1800) && $0 < .milliseconds(2200) })
    }

    @Test("functional ReadDataByIdentifier on 7DF: one answer per ECU (two uds-swift serve)")
    func functionalAddressing() throws {
        let second = UDSPeers.config.split(separator: "WVWZZZ1JZXW000001", omittingEmptySubsequences: false).joined(separator: "SECONDECU00000002")
        let (a, pathA) = try UDSPeers.serve("vcan1", extra: ["--functional", "7DF"])
        defer { UDSPeers.stop(a, pathA) }
        let (b, pathB) = try UDSPeers.serve("vcan1", config: second, ids: ("7E9", "7E1"), extra: ["--functional", "7DF"])
        defer { UDSPeers.stop(b, pathB) }
        let run = try Subprocess.run([UDSPeers.tool, "functional", "-s", "7DF", "--json", "--p2", "500", "vcan1", "F190"], timeout: .seconds(180))
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").sorted()
        #expect(lines == [
            #"{"service":"ReadDataByIdentifier","ecu":"7E8","did":"F190","data":"\#(hex("WVWZZZ1JZXW000001"))"}"#,
            #"{"service":"ReadDataByIdentifier","ecu":"7E9","did":"F190","data":"\#(hex("SECONDECU00000002"))"}"#,
        ])
        // The library directly: the same two ECUs, with a multi-frame answer (17 bytes) flow-controlled on 7E0/7E1.
        let transport = try ISOTPFunctionalTransport(interface: "vcan1")
        defer { transport.close() }
        let answers = try UDSFunctionalClient(transport: transport, timing: UDSTiming(p2: .milliseconds(500))).send(ReadDataByIdentifier([0xF190]))
        #expect(answers.map(\.ecu).sorted() == [0x7E8, 0x7E9])
    }

    @Test("uds-swift commands against serve: output, --json, exit status 0/2/3/1")
    func commandLine() throws {
        let interface = "vcan1"
        let (server, path) = try UDSPeers.serve(interface)
        defer { UDSPeers.stop(server, path) }
        let ids = ["-s", "7E0", "-d", "7E8"] + UDSPeers.linkLayer(interface)
        func uds(_ command: String, _ args: [String], options: [String] = []) throws -> (status: CInt, stdout: String, stderr: String) {
            try Subprocess.run([UDSPeers.tool, command] + ids + options + [interface] + args, timeout: .seconds(180))
        }
        var r = try uds("read-did", ["F190", "F187"], options: ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == #"""
            {"service":"ReadDataByIdentifier","did":"F190","data":"\#(hex("WVWZZZ1JZXW000001"))"}
            {"service":"ReadDataByIdentifier","did":"F187","data":"0102030405"}

            """#)
        r = try uds("read-did", ["F190", "F187"], options: ["--lengths", "F190=17,F187=5"])
        #expect(r.stdout == "F190: \(hex("WVWZZZ1JZXW000001")) 'WVWZZZ1JZXW000001'\nF187: 0102030405 '.....'\n")
        r = try uds("read-did", ["F190"], options: ["--lengths", "F190=16"])
        #expect(r.status == 1 && r.stderr.contains("1 bytes after the last DID F190 (the DID table says 16 bytes)"), "\(r.stderr)")
        r = try uds("read-did", ["4242"], options: ["--json"])
        #expect(r.status == 2)
        #expect(r.stdout == #"{"service":"ReadDataByIdentifier","did":"4242","nrc":{"code":49,"name":"requestOutOfRange"}}"# + "\n")
        r = try uds("reset", ["3"], options: ["--p2", "200"])
        #expect(r.status == 3 && r.stderr.contains("ECUReset 0x03: no response within P2 (200 ms)"), "\(r.stderr)")
        r = try uds("session", ["3"])
        #expect(r.status == 0 && r.stdout == "DiagnosticSessionControl extended: P2 40 ms, P2* 2500 ms\n", "\(r.stdout) \(r.stderr)")
        let keyScript = try UDSPeers.writeFile("#!/bin/sh\nread seed\npython3 -c \"s=bytes.fromhex('$seed'); print(bytes(b ^ (0xA5, 0x5A)[i % 2] for i, b in enumerate(s)).hex())\"\n", "key.sh")
        defer { unlink(keyScript) }
        r = try uds("security", ["1", "--key-command", "sh \(keyScript)"])
        #expect(r.status == 0 && r.stdout == "SecurityAccess 0x01: unlocked (seed 11223344)\n", "\(r.stdout) \(r.stderr)")
        r = try uds("write-did", ["0100", "BEEF"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try uds("read-did", ["0100"], options: ["--json"])
        #expect(r.stdout == #"{"service":"ReadDataByIdentifier","did":"0100","data":"BEEF"}"# + "\n")
        r = try uds("routine", ["start", "FF00"])
        #expect(r.status == 0 && r.stdout == "routine FF00 start: 00\n")
        r = try uds("routine", ["results", "FF00"], options: ["--json"])
        #expect(r.stdout == #"{"service":"RoutineControl","routine":"FF00","control":"results","data":"0102"}"# + "\n")
        r = try uds("read-dtc", [], options: ["--mask", "01"])
        #expect(r.stdout == "DTC 123456 status 0x2F\n")
        r = try uds("clear-dtc", ["123456"])
        #expect(r.status == 0)
        r = try uds("read-dtc", [])
        #expect(r.stdout == "DTC ABCDEF status 0x08\n")
        r = try uds("tester-present", [])
        #expect(r.status == 0 && r.stdout == "TesterPresent: ok\n")
        let image = (0..<10000).map { UInt8(truncatingIfNeeded: $0 &* 3) }
        let imagePath = "/dev/shm/uds-\(getpid())-image.bin"
        try PackageFiles.write(image, to: imagePath)
        defer { unlink(imagePath) }
        r = try uds("download", [imagePath, "--address", "8000"])
        #expect(r.status == 0 && r.stdout == "downloaded 10000 bytes to 0x8000 in 3 blocks of 4093\n", "\(r.stdout) \(r.stderr)")
        // Bad input: each a clear message and status 1, before any request.
        r = try uds("write-did", ["0100", "XYZ"])
        #expect(r.status == 1 && r.stderr.contains("data 'XYZ': not hex bytes"))
        r = try Subprocess.run([UDSPeers.tool, "frobnicate", interface], timeout: .seconds(180))
        #expect(r.status == 1 && r.stderr.contains("frobnicate"))
        let badConfig = try UDSPeers.writeFile(#"{"dids": {"F190": {"data": "12G"}}}"#, "bad.json")
        defer { unlink(badConfig) }
        r = try Subprocess.run([UDSPeers.tool, "serve", "-s", "7EA", "-d", "7E2", interface, badConfig], timeout: .seconds(180))
        #expect(r.status == 1 && r.stderr.contains("dids.F190.data: '12G' is not hex bytes"), "\(r.stderr)")
    }
}
}

func hex(_ text: String) -> String { text.utf8.map { String($0, radix: 16, uppercase: true) }.joined() }

/// Frames a CAN_RAW listener saw, with when.
final class ListenerLog: @unchecked Sendable {
    private let lock = NSLockish()
    private var entries: [(time: ContinuousClock.Instant, data: [UInt8])] = []
    func add(_ data: [UInt8]) { lock.locked { entries.append((.now, data)) } }
    var frames: [(time: ContinuousClock.Instant, data: [UInt8])] { lock.locked { entries } }
}

/// A pthread mutex, for the listener log.
final class NSLockish: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}

/// Receives on a CAN_RAW socket on its own thread until stopped.
final class ListenerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let socket: CANRawSocket
    private let log: ListenerLog
    private var stopped = false
    private let lock = NSLockish()

    init(_ socket: CANRawSocket, log: ListenerLog) throws {
        self.socket = socket
        self.log = log
        let box = Unmanaged.passRetained(self)
        guard pthread_create(&thread, nil, { arg in
            let me = Unmanaged<ListenerThread>.fromOpaque(arg!).takeRetainedValue()
            me.loop()
            return nil
        }, box.toOpaque()) == 0 else { box.release(); throw SubprocessError(message: "pthread_create failed") }
    }

    private func loop() {
        while !lock.locked({ stopped }) {
            if let frame = try? socket.receive() { log.add(frame.frame.data) }
        }
    }

    func stop() {
        lock.locked { stopped = true }
        pthread_join(thread, nil)
    }
}
