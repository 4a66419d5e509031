extension BPFProgram {
    /// The classic BPF opcodes libpcap's `bpf_filter` and the kernel's `bpf_check_classic` both implement
    /// (`BPF_LD|BPF_W|BPF_ABS` 0x20 … `BPF_MISC|BPF_TXA` 0x87), except those with a `k` to check, below.
    static let plainOpcodes: Set<UInt16> = [
        0x06, 0x16,                                     // ret #k, ret a
        0x20, 0x28, 0x30, 0x40, 0x48, 0x50,             // ld/ldh/ldb [k], [x + k]
        0x80, 0x81, 0xB1, 0x00, 0x01,                   // ld len, ldx len, ldxb 4*([k]&0xf), ld #k, ldx #k
        0x04, 0x14, 0x24, 0x44, 0x54, 0xA4,             // add/sub/mul/or/and/xor #k
        0x0C, 0x1C, 0x2C, 0x3C, 0x9C, 0x4C, 0x5C, 0xAC, 0x6C, 0x7C, // add/sub/mul/div/mod/or/and/xor/lsh/rsh x
        0x84, 0x07, 0x87,                               // neg, tax, txa
    ]

    /// Whether `bpf_filter` can run the program safely, by the kernel's rules for a socket filter
    /// (`bpf_check_classic`): known opcodes only, scratch memory `M[0…15]`, no division or modulo by a constant 0,
    /// no constant shift by 32 or more, every jump forward and inside the program, and a return last.
    /// libpcap 1.10's `bpf_filter` trusts its program: on anything else it aborts the process or reads past it.
    public var isValid: Bool {
        let count = instructions.count
        guard count > 0, count <= 4096, instructions[count - 1].code & 0x07 == 0x06 else { return false }
        for (index, instruction) in instructions.enumerated() {
            let next = index + 1, k = instruction.k
            switch instruction.code {
            case let code where Self.plainOpcodes.contains(code): continue
            case 0x60, 0x61, 0x02, 0x03: if k >= 16 { return false }          // ld/ldx M[k], st/stx M[k]
            case 0x34, 0x94: if k == 0 { return false }                       // div/mod #k
            case 0x64, 0x74: if k >= 32 { return false }                      // lsh/rsh #k
            case 0x05: if UInt64(next) + UInt64(k) >= UInt64(count) { return false } // ja k (forward only)
            case 0x15, 0x25, 0x35, 0x45, 0x1D, 0x2D, 0x3D, 0x4D:               // jeq/jgt/jge/jset #k, x
                if next + Int(instruction.jt) >= count || next + Int(instruction.jf) >= count { return false }
            default: return false
            }
        }
        return true
    }
}
