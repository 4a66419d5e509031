#if canImport(Glibc)
import Glibc
#endif
import CANSocket
import Testing
import ToolkitTestSupport

extension CANBus {
/// isotp-swift against can-utils 2020.11.0 isotpsend / isotprecv on the same bus.
@Suite("ISO-TP interop with isotpsend/isotprecv (VM)", .needsCAN, .serialized)
struct ISOTPInteropTests {
    static let swift = CANEnvironment.product("isotp-swift")

    /// Who sends and who receives.
    enum Pairing: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case swiftToC, cToSwift, cToC, swiftToSwift
        var sender: [String] { self == .swiftToC || self == .swiftToSwift ? [ISOTPInteropTests.swift, "send"] : ["isotpsend"] }
        var receiver: [String] { self == .cToSwift || self == .swiftToSwift ? [ISOTPInteropTests.swift, "recv"] : ["isotprecv"] }
        var testDescription: String { rawValue }
    }

    /// Classic CAN on vcan1 (MTU 16), CAN FD with 64-byte frames on vcan0.
    static func linkLayer(_ interface: String) -> [String] { interface == "vcan0" ? ["-L", "72:64:0"] : [] }

    /// Sizes around the single-frame limits (7/8 classic, 62/63 FD) and the classic 12-bit maximum.
    static let sizes = [1, 7, 8, 62, 63, 4095]

    @Test("PDUs arrive intact and isotprecv's text is matched byte for byte", arguments: Pairing.allCases, ["vcan1", "vcan0"])
    func pairing(_ pairing: Pairing, interface: String) throws {
        // One receiver in loop mode (-l) for all sizes keeps the VM time down; isotprecv's stdout is block-buffered
        // and lost when it is killed, so it runs line-buffered under stdbuf.
        let receiverArgs = pairing.receiver + ["-l", "-s", "321", "-d", "123"] + Self.linkLayer(interface) + [interface]
        let receive = try Subprocess(receiverArgs[0] == "isotprecv" ? ["stdbuf", "-oL"] + receiverArgs : receiverArgs)
        #expect(receive.waitForSocket())
        pause(.milliseconds(150))
        var expected = ""
        for size in Self.sizes {
            let text = ISOTPTraffic.text(ISOTPTraffic.pdu(size))
            expected += text
            let path = try ISOTPTraffic.inputFile(text)
            defer { unlink(path) }
            // frame_txtime zero keeps the 4095-byte transfers short under TCG; the default is covered below.
            let send = try ISOTPTraffic.run(
                pairing.sender + ["-s", "123", "-d", "321", "-t", "4294967295"] + Self.linkLayer(interface) + [interface], stdin: path)
            #expect(send.status == 0, "\(size) bytes: \(send.stderr)")
        }
        pause(.milliseconds(200))
        receive.signal(SIGTERM)
        receive.wait(timeout: .seconds(10))
        #expect(receive.stderr.isEmpty, "\(receive.stderr)")
        #expect(receive.stdout == expected, "\(pairing) on \(interface): every size \(Self.sizes), in order")
    }

    @Test("the same PDUs from isotpsend give the same bytes on stdout from isotprecv and isotp-swift recv", arguments: ["vcan1", "vcan0"])
    func sameOutputAsIsotprecv(interface: String) throws {
        var outputs: [[UInt8]] = []
        for receiver in [["stdbuf", "-oL", "isotprecv"], [Self.swift, "recv"]] {
            let receive = try Subprocess(receiver + ["-l", "-s", "321", "-d", "123"] + Self.linkLayer(interface) + [interface])
            #expect(receive.waitForSocket())
            pause(.milliseconds(150))
            for size in [1, 8, 63, 4095] {
                let path = try ISOTPTraffic.inputFile(ISOTPTraffic.text(ISOTPTraffic.pdu(size)))
                defer { unlink(path) }
                let send = try ISOTPTraffic.run(
                    ["isotpsend", "-s", "123", "-d", "321", "-t", "4294967295"] + Self.linkLayer(interface) + [interface], stdin: path)
                #expect(send.status == 0)
            }
            pause(.milliseconds(200))
            receive.signal(SIGTERM)
            receive.wait(timeout: .seconds(10))
            outputs.append(receive.stdoutBytes)
        }
        #expect(outputs[0].count == [1, 8, 63, 4095].reduce(0) { $0 + $1 * 3 + 1 })
        #expect(outputs[1] == outputs[0], "isotp-swift recv's stdout equals isotprecv's on \(interface)")
    }

    @Test("a 4095-byte PDU with the kernel's default frame_txtime, isotp-swift to isotprecv")
    func defaultFrameTransmitTime() throws {
        let pdu = ISOTPTraffic.pdu(4095)
        let result = try ISOTPTraffic.transfer(
            receiver: ["isotprecv", "-s", "321", "-d", "123", "vcan1"],
            sender: [Self.swift, "send", "-s", "123", "-d", "321", "vcan1"], input: ISOTPTraffic.text(pdu))
        #expect(result.senderStatus == 0 && result.receiverStatus == 0)
        #expect(result.output == ISOTPTraffic.text(pdu))
    }

    @Test("the largest PDU the kernel carries, isotp-swift to isotp-swift", arguments: ["vcan1", "vcan0"])
    func largestPDU(interface: String) throws {
        // isotpsend and isotprecv cannot carry it: their buffers hold 5000 bytes (isotprecv prints PDUs of
        // 5000 bytes and more as an empty line), so the largest PDU is tested swift to swift only.
        let size = ISOTPSocket.maximumPDUSize  // 66000 on 6.1, max_pdu_size (8300) on 6.12
        let pdu = ISOTPTraffic.pdu(size)
        let result = try ISOTPTraffic.transfer(
            receiver: [Self.swift, "recv", "-s", "321", "-d", "123"] + Self.linkLayer(interface) + [interface],
            sender: [Self.swift, "send", "-s", "123", "-d", "321", "-t", "4294967295"] + Self.linkLayer(interface) + [interface],
            input: ISOTPTraffic.text(pdu))
        #expect(result.senderStatus == 0, "\(result.senderError)")
        #expect(result.output.utf8.count == size * 3 + 1)
        #expect(result.output == ISOTPTraffic.text(pdu))
    }

    @Test("-D <len> sends isotpsend's fixed pattern: both tools' PDUs print the same")
    func fixedLength() throws {
        for size in [7, 100, 4095] {
            func output(_ sender: [String]) throws -> String {
                try ISOTPTraffic.transfer(
                    receiver: ["isotprecv", "-s", "321", "-d", "123", "vcan1"],
                    sender: sender + ["-s", "123", "-d", "321", "-t", "4294967295", "-D", "\(size)", "vcan1"], input: "").output
            }
            let c = try output(["isotpsend"])
            let swift = try output([Self.swift, "send"])
            #expect(c.utf8.count == size * 3 + 1)
            #expect(swift == c, "-D \(size)")
        }
    }

    @Test("extended 29-bit ids, extended addressing (-x), padding (-p), -b and forced STmin (-f) interoperate both ways")
    func addressingOptions() throws {
        let variants: [(send: [String], recv: [String])] = [
            (["-s", "18DA00F1", "-d", "18DAF100"], ["-s", "18DAF100", "-d", "18DA00F1"]),
            (["-s", "123", "-d", "321", "-x", "12:34"], ["-s", "321", "-d", "123", "-x", "34:12"]),
            (["-s", "123", "-d", "321", "-x", "55"], ["-s", "321", "-d", "123", "-x", "55"]),
            (["-s", "123", "-d", "321", "-p", "AA:55", "-P", "a"], ["-s", "321", "-d", "123", "-p", "55:AA", "-P", "a"]),
            (["-s", "123", "-d", "321", "-b"], ["-s", "321", "-d", "123", "-b", "4", "-m", "F1", "-w", "0"]),
            (["-s", "123", "-d", "321", "-f", "100000"], ["-s", "321", "-d", "123"]),  // recv -f (FORCE_RXSTMIN) drops CFs under TCG timing, for isotprecv too
        ]
        let pdu = ISOTPTraffic.pdu(100)
        for variant in variants {
            for (sender, receiver) in [([Self.swift, "send"], ["isotprecv"]), (["isotpsend"], [Self.swift, "recv"])] {
                let result = try ISOTPTraffic.transfer(receiver: receiver + variant.recv + ["vcan1"],
                                                       sender: sender + variant.send + ["vcan1"], input: ISOTPTraffic.text(pdu))
                #expect(result.senderStatus == 0 && result.receiverStatus == 0, "\(sender[0]) \(variant.send): \(result.senderError) \(result.receiverError)")
                #expect(result.output == ISOTPTraffic.text(pdu), "\(sender[0]) → \(receiver[0]) \(variant.send)")
            }
        }
    }

    @Test("recv -l prints every PDU and, on SIGINT or SIGTERM, everything received before exiting 0", arguments: [SIGINT, SIGTERM])
    func loopAndSignal(_ signal: CInt) throws {
        let receive = try Subprocess([Self.swift, "recv", "-s", "321", "-d", "123", "-l", "vcan1"])
        #expect(receive.waitForSocket())
        pause(.milliseconds(150))
        let pdus = [ISOTPTraffic.pdu(3), ISOTPTraffic.pdu(20), ISOTPTraffic.pdu(300)]
        for pdu in pdus {
            let path = try ISOTPTraffic.inputFile(ISOTPTraffic.text(pdu))
            defer { unlink(path) }
            #expect(try ISOTPTraffic.run(["isotpsend", "-s", "123", "-d", "321", "vcan1"], stdin: path).status == 0)
        }
        pause(.milliseconds(200))
        receive.signal(signal)
        #expect(receive.wait(timeout: .seconds(10)) == 0)
        #expect(receive.stdout == pdus.map(ISOTPTraffic.text).joined())
    }

    @Test("a failed read prints isotprecv's bare newline; isotp-swift also says why on stderr and exits 1")
    func failedRead() throws {
        // The receiver demands padded frames (-p :AA -P l); an unpadded single frame fails with EBADMSG.
        let pdu = ISOTPTraffic.pdu(3)
        var outputs: [String] = []
        for receiver in [["isotprecv"], [Self.swift, "recv"]] {
            let result = try ISOTPTraffic.transfer(
                receiver: receiver + ["-s", "321", "-d", "123", "-p", ":AA", "-P", "l", "vcan1"],
                sender: ["isotpsend", "-s", "123", "-d", "321", "vcan1"], input: ISOTPTraffic.text(pdu))
            #expect(result.senderStatus == 0)
            outputs.append(result.output)
            if receiver[0] != "isotprecv" {
                #expect(result.receiverStatus == 1)
                #expect(result.receiverError.contains("Bad message"), "\(result.receiverError)")
            }
        }
        #expect(outputs == ["\n", "\n"])
    }

    /// The kernel reports ENETDOWN, then ENODEV, to an ISO-TP socket whose interface is deleted, once each, and
    /// then leaves it unbound. isotprecv prints its bare newline for the failed read and exits 0; with `-l` it
    /// reads on and waits forever on the unbound socket. isotp-swift prints the same text, says why and exits 1,
    /// as candump does when its interface goes away, with or without `-l`.
    @Test("the interface deleted mid-run: isotprecv's text, the reason on stderr, exit 1, nothing received lost", arguments: [false, true])
    func interfaceRemoved(loop: Bool) throws {
        let vcan = try ScratchVCAN("vcanisotp")
        let name = vcan.name
        let arguments = ["-s", "321", "-d", "123"] + (loop ? ["-l"] : []) + [name]
        let c = try Subprocess(["isotprecv"] + arguments)
        let swift = try Subprocess([Self.swift, "recv"] + arguments)
        #expect(c.waitForSocket() && swift.waitForSocket())
        pause(.milliseconds(150))
        let pdus = loop ? [ISOTPTraffic.pdu(5), ISOTPTraffic.pdu(40)] : []
        for pdu in pdus {
            let path = try ISOTPTraffic.inputFile(ISOTPTraffic.text(pdu))
            defer { unlink(path) }
            #expect(try ISOTPTraffic.run(["isotpsend", "-s", "123", "-d", "321", name], stdin: path).status == 0)
        }
        pause(.milliseconds(200))
        #expect(try Subprocess.run(["ip", "link", "del", name]).status == 0)
        let swiftStatus = swift.wait(timeout: .seconds(10))
        let cStatus = c.wait(timeout: loop ? .seconds(1) : .seconds(10))   // -1: killed, still waiting
        let expected = pdus.map(ISOTPTraffic.text).joined() + "\n"
        #expect(swiftStatus == 1, "isotp-swift recv exited \(swiftStatus): \(swift.stderr)")
        #expect(swift.stdout == expected)
        #expect(swift.stderr.contains("Network is down") || swift.stderr.contains("No such device"), "\(swift.stderr)")
        #expect(c.stdout.hasPrefix(expected), "isotprecv printed \(c.stdout.debugDescription)")
        if !loop { #expect(cStatus == 0 && c.stdout == expected) }
    }

    @Test("bad input: a message on stderr naming what was wrong, a non-zero exit, nothing sent")
    func badInput() throws {
        let limit = ISOTPSocket.maximumPDUSize  // the kernel's: isotp-swift reads the same sysfs parameter
        let cases: [(input: String, args: [String], message: String)] = [
            ("11 2G 33", [], "'2G' (byte 2) is not a hex byte"),
            ("11 223 33", [], "'223' (byte 2) is not a hex byte"),
            ("", [], "no PDU data on stdin"),
            (String(repeating: "AB ", count: limit + 1), [], "more than \(limit) bytes on stdin"),
            ("11", ["-D", "\(limit + 1)"], "-D '\(limit + 1)': expected a decimal number in 1...\(limit)"),
            ("11", ["-L", "72:13:0"], "tx_dl 13 is not a CAN frame length"),
            ("11", ["-L", "72:64"], "unknown link layer options"),
            ("11", ["-x", "1G"], "'1G' is not a hex byte"),
        ]
        let dump = try Subprocess(["candump", "-L", "vcan0"])
        #expect(dump.waitForSocket())
        pause(.milliseconds(150))
        for (input, args, message) in cases {
            let path = try ISOTPTraffic.inputFile(input)
            defer { unlink(path) }
            let result = try ISOTPTraffic.run([Self.swift, "send", "-s", "123", "-d", "321"] + args + ["vcan0"], stdin: path)
            #expect(result.status != 0, "\(args) \(input.prefix(20))")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        for (args, message) in [(["-s", "800", "-d", "123"], "CAN id 0x800 does not fit 11 bits"),
                                 (["-s", "3FFFFFFF", "-d", "123"], "does not fit 29 bits"),
                                 (["-s", "12Z", "-d", "123"], "-s '12Z': not a CAN id")] {
            let result = try Subprocess.run([Self.swift, "recv"] + args + ["vcan0"])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        let missing = try Subprocess.run([Self.swift, "recv", "-s", "123", "-d", "321", "vcan9"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("vcan9): No such device"), "\(missing.stderr)")
        dump.signal(SIGINT)
        dump.wait()
        #expect(dump.stdout.isEmpty, "nothing reached the bus: \(dump.stdout.prefix(200))")
    }
}
}
