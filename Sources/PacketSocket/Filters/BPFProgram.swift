import SocketBase
import CPcap

/// A classic BPF program: the instructions `SO_ATTACH_FILTER` takes, written by hand or compiled from a tcpdump
/// filter expression by libpcap (only the compiler: capture stays the toolkit's own socket).
///
/// ```swift
/// let program = try BPFProgram(compiling: "udp port 53")
/// try socket.attach(program)
/// ```
public struct BPFProgram: Hashable, Sendable {
    /// The instructions, run from the first.
    public var instructions: [BPFInstruction]

    /// A program of the given instructions.
    public init(_ instructions: [BPFInstruction]) {
        self.instructions = instructions
    }

    /// Accepts every packet, whole.
    public static let acceptAll = BPFProgram([.accept()])
    /// Accepts Ethernet frames of one EtherType only.
    public static func etherType(_ type: EtherType) -> BPFProgram {
        BPFProgram([.loadHalfWord(at: 12), .jumpIfEqual(UInt32(type.rawValue), jt: 0, jf: 1), .accept(), .reject])
    }

    /// Compiles a tcpdump filter expression with libpcap: `pcap_open_dead` + `pcap_compile` (netmask
    /// `PCAP_NETMASK_UNKNOWN`), copying the `bpf_insn` array before `pcap_freecode` and `pcap_close`.
    /// - Parameters:
    ///   - expression: The filter, e.g. `udp port 53`; empty accepts everything.
    ///   - linkType: The link-layer type the program will see (`DLT_EN10MB` by default: raw Ethernet sockets).
    ///   - snapLength: The length accepting instructions return.
    ///   - optimize: Run libpcap's optimiser, as tcpdump does unless `-O`.
    /// - Throws: ``BPFCompileError`` with libpcap's message, e.g. `syntax error in filter expression: …`.
    public init(compiling expression: String, linkType: PcapLinkType = .ethernet, snapLength: Int = 262_144,
                optimize: Bool = true) throws(BPFCompileError) {
        // libpcap's compiler keeps global parser state in older versions: one compilation at a time.
        let result: Result<[BPFInstruction], BPFCompileError> = compileLock.withLock { _ in
            guard let handle = pcap_open_dead(CInt(linkType.rawValue), CInt(clamping: snapLength)) else {
                return .failure(BPFCompileError(expression: expression, message: "pcap_open_dead failed"))
            }
            defer { pcap_close(handle) }
            var program = bpf_program()
            guard pcap_compile(handle, &program, expression, optimize ? 1 : 0, PCAP_NETMASK_UNKNOWN) == 0 else {
                return .failure(BPFCompileError(expression: expression, message: String(cString: pcap_geterr(handle))))
            }
            defer { pcap_freecode(&program) }
            let list = UnsafeBufferPointer(start: program.bf_insns, count: Int(program.bf_len))
            return .success(list.map { BPFInstruction(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) })
        }
        self.instructions = try result.get()
    }

    /// The program as `tcpdump -ddd` prints it: the count, then `code jt jf k` in decimal, one per line.
    public var decimalListing: String {
        ([String(instructions.count)] + instructions.map { "\($0.code) \($0.jt) \($0.jf) \($0.k)" })
            .joined(separator: "\n") + "\n"
    }

    /// The program as `tcpdump -dd` prints it: one C initialiser per line.
    public var cListing: String {
        instructions.map(\.description).joined(separator: "\n") + "\n"
    }
}

/// libpcap's compiler keeps global parser state in older versions: one compilation at a time.
let compileLock = Locked(())

extension BPFProgram {
    /// Runs the program on a packet in user space, as the kernel would on a socket: libpcap's `bpf_filter`.
    /// Used for packets read from a file (`pcap_offline_filter`'s job).
    ///
    /// The program is checked first (``isValid``, the kernel's rules for a socket filter): `bpf_filter` trusts
    /// its program and aborts the process or reads past it otherwise.
    /// - Returns: How many bytes the program keeps; 0 means the packet is rejected, and an invalid program
    ///   rejects every packet.
    public func run(on bytes: UnsafeRawBufferPointer, originalLength: Int) -> Int {
        guard isValid else { return 0 }
        return withUnsafeTemporaryAllocation(of: bpf_insn.self, capacity: instructions.count) { program in
            for (i, instruction) in instructions.enumerated() {
                program[i] = bpf_insn(code: instruction.code, jt: instruction.jt, jf: instruction.jf, k: instruction.k)
            }
            return Int(bpf_filter(program.baseAddress, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                  UInt32(clamping: originalLength), UInt32(clamping: bytes.count)))
        }
    }
}
