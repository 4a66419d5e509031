/// One classic BPF instruction (`struct sock_filter` / libpcap's `struct bpf_insn`, 8 bytes).
public struct BPFInstruction: Hashable, Sendable, CustomStringConvertible {
    /// The opcode: class, size, mode or operation, source (`BPF_LD | BPF_H | BPF_ABS`, …).
    public var code: UInt16
    /// Instructions to skip when a conditional jump is true.
    public var jt: UInt8
    /// Instructions to skip when it is false.
    public var jf: UInt8
    /// The constant operand.
    public var k: UInt32

    public init(code: UInt16, jt: UInt8 = 0, jf: UInt8 = 0, k: UInt32 = 0) {
        self.code = code
        self.jt = jt
        self.jf = jf
        self.k = k
    }

    /// Accept the packet, keeping up to `bytes` of it (`BPF_RET | BPF_K`).
    public static func accept(_ bytes: UInt32 = 0x40000) -> BPFInstruction { .init(code: 0x06, k: bytes) }
    /// Drop the packet (`BPF_RET | BPF_K` with 0).
    public static let reject = BPFInstruction(code: 0x06, k: 0)
    /// Load the 16-bit word at `offset` into A (`BPF_LD | BPF_H | BPF_ABS`).
    public static func loadHalfWord(at offset: UInt32) -> BPFInstruction { .init(code: 0x28, k: offset) }
    /// Jump `jt` ahead when A equals `value`, else `jf` (`BPF_JMP | BPF_JEQ | BPF_K`).
    public static func jumpIfEqual(_ value: UInt32, jt: UInt8, jf: UInt8) -> BPFInstruction {
        .init(code: 0x15, jt: jt, jf: jf, k: value)
    }

    /// The instruction as `tcpdump -dd` prints it: `{ 0x28, 0, 0, 0x0000000c },`.
    public var description: String {
        "{ 0x\(String(code, radix: 16)), \(jt), \(jf), 0x\(hex8(k)) },"
    }
}

private func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
