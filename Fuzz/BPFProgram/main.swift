// The BPF interpreter: BPFProgram.run(on:originalLength:) (libpcap's bpf_filter, as pktdump-swift -r uses it) with
// any program on any packet. Input: a byte giving 1...64 instructions of 8 bytes (code u16, jt, jf, k u32, big-endian),
// then the packet.
import FuzzSupport
import PacketSocket

fuzz { bytes in
    var input = FuzzInput(bytes)
    let count = Int(input.byte() % 64) + 1
    let program = BPFProgram((0..<count).map { _ in
        BPFInstruction(code: input.uint16(), jt: input.byte(), jf: input.byte(), k: input.uint32())
    })
    let packet = input.rest()
    _ = program.run(on: packet, originalLength: packet.count)
}
