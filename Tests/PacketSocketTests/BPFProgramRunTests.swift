#if canImport(Glibc)
import Glibc
#endif
import PacketSocket
import Testing
import ToolkitTestSupport

/// `BPFProgram.run` (libpcap's `bpf_filter`, used by `pktdump-swift -r`) on compiled and on broken programs: the
/// fuzz target's findings (Fixtures/BPFProgram) and the kernel's rules for a program it would attach.
@Suite struct BPFProgramRunTests {
    /// A fixture's program and packet, in the fuzz target's layout.
    static func fuzzInput(_ name: String) throws -> (program: BPFProgram, packet: [UInt8]) {
        let bytes = try fixture("BPFProgram/\(name)")
        let count = Int(bytes.first ?? 0) % 64 + 1
        var offset = 1
        func byte() -> UInt8 { defer { offset += 1 }; return offset < bytes.count ? bytes[offset] : 0 }
        let instructions = (0..<count).map { _ in
            let code = UInt16(byte()) << 8 | UInt16(byte())
            let jt = byte(), jf = byte()
            let k = (0..<4).reduce(UInt32(0)) { value, _ in value << 8 | UInt32(byte()) }
            return BPFInstruction(code: code, jt: jt, jf: jf, k: k)
        }
        return (BPFProgram(instructions), Array(bytes[min(offset, bytes.count)...]))
    }

    @Test(arguments: ["unknown-opcode-aborts", "no-return-runs-past-the-end"])
    func fuzzFindingIsRejectedNotRun(_ name: String) throws {
        let (program, packet) = try Self.fuzzInput(name)
        #expect(!program.isValid)
        #expect(packet.withUnsafeBytes { program.run(on: $0, originalLength: $0.count) } == 0)
    }

    @Test func compiledProgramsAreValidAndFilter() throws {
        let udp = bytes(hex: ReferenceFrames.udp4), arp = bytes(hex: ReferenceFrames.arpRequest)
        for expression in ["udp", "udp port 5000", "ip and not arp", "udp or vlan", "tcp[13] & 2 != 0 or udp"] {
            let program = try BPFProgram(compiling: expression)
            #expect(program.isValid, "\(expression)")
            #expect(udp.withUnsafeBytes { program.run(on: $0, originalLength: $0.count) } > 0, "\(expression) on UDP")
            #expect(arp.withUnsafeBytes { program.run(on: $0, originalLength: $0.count) } == 0, "\(expression) on ARP")
        }
    }

    @Test func kernelRulesForAProgram() {
        let ret = BPFInstruction.accept()
        #expect(BPFProgram([ret]).isValid)
        #expect(!BPFProgram([]).isValid)
        #expect(!BPFProgram([.loadHalfWord(at: 12)]).isValid)                                   // no return last
        #expect(!BPFProgram([.jumpIfEqual(1, jt: 1, jf: 0), ret]).isValid)                      // jumps past the end
        #expect(!BPFProgram([BPFInstruction(code: 0x05, k: 0xFFFF_FFFF), ret]).isValid)         // ja backwards
        #expect(!BPFProgram([BPFInstruction(code: 0x34, k: 0), ret]).isValid)                   // div #0
        #expect(BPFProgram([BPFInstruction(code: 0x34, k: 3), ret]).isValid)
        #expect(!BPFProgram([BPFInstruction(code: 0x60, k: 16), ret]).isValid)                  // M[16]
        #expect(!BPFProgram([BPFInstruction(code: 0x64, k: 32), ret]).isValid)                  // lsh #32
        #expect(!BPFProgram([BPFInstruction(code: 0x0E), ret]).isValid)                         // ret x: not in bpf_filter
        let huge = [UInt8](repeating: 0, count: 64)
        #expect(huge.withUnsafeBytes { BPFProgram([ret]).run(on: $0, originalLength: Int.max) } == 0x40000)
    }
}
