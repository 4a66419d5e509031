import CPcap

extension BPFProgram {
    /// Compiles a tcpdump filter expression as libpcap compiles it for a live capture on `interface`, as tcpdump
    /// does for `-i`: with the Linux socket's BPF extensions, so `vlan` reads the tag the kernel moved into the
    /// packet's metadata (`ldb [vlanp]`, `SKF_AD_VLAN_TAG_PRESENT`; `SKF_AD_VLAN_TAG`) instead of offset 12.
    ///
    /// libpcap decides those semantics only on an activated capture handle (`BPF_SPECIAL_VLAN_HANDLING`, set when
    /// `SO_BPF_EXTENSIONS` reports them), so this opens one on the interface with `pcap_create` + `pcap_activate`
    /// (not promiscuous, the smallest ring), compiles with `pcap_compile` and the interface's netmask
    /// (`pcap_lookupnet`, 0 when it has none, as tcpdump), and closes it again. Capture stays the caller's own
    /// socket; the program is meant for it (``LinkLayerSocket/attach(_:)``), not for ``run(on:originalLength:)``,
    /// which has no packet metadata: keep ``init(compiling:linkType:snapLength:optimize:)`` for packets from files.
    /// - Parameters:
    ///   - expression: The filter, e.g. `vlan 100 and udp`.
    ///   - interface: The interface the program will be attached for, e.g. `veth0`.
    ///   - linkType: The link-layer type the capture socket delivers (`DLT_EN10MB` for a raw socket on Ethernet).
    ///   - snapLength: The length accepting instructions return.
    ///   - optimize: Run libpcap's optimiser, as tcpdump does unless `-O`.
    /// - Throws: ``BPFCompileError`` with libpcap's message: the compiler's (`syntax error in filter expression: …`),
    ///   or, when the handle cannot be activated, tcpdump's words for it (`veth9: No such device exists
    ///   (SIOCGIFINDEX: No such device)`, `… You don't have permission to capture on that device (socket: …)`).
    public init(compiling expression: String, forCapturingOn interface: String, linkType: PcapLinkType = .ethernet,
                snapLength: Int = 262_144, optimize: Bool = true) throws(BPFCompileError) {
        let result: Result<[BPFInstruction], BPFCompileError> = compileLock.withLock { _ in
            var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
            func failure(_ message: String) -> Result<[BPFInstruction], BPFCompileError> {
                .failure(BPFCompileError(expression: expression, message: message))
            }
            guard let handle = pcap_create(interface, &errorBuffer) else {
                return failure("\(interface): \(String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
            }
            defer { pcap_close(handle) }
            _ = pcap_set_snaplen(handle, CInt(clamping: snapLength))
            // Only the compiler is wanted: no promiscuous mode, a one-frame TPACKET_V2 ring.
            _ = pcap_set_promisc(handle, 0)
            _ = pcap_set_immediate_mode(handle, 1)
            _ = pcap_set_buffer_size(handle, 1)
            let status = pcap_activate(handle)
            if status < 0 {
                let detail = String(cString: pcap_geterr(handle))
                if status == PCAP_ERROR { return failure(detail) }
                let words = String(cString: pcap_statustostr(status))
                return failure(detail.isEmpty ? "\(interface): \(words)" : "\(interface): \(words) (\(detail))")
            }
            if pcap_datalink(handle) != CInt(linkType.rawValue), pcap_set_datalink(handle, CInt(linkType.rawValue)) != 0 {
                return failure("\(interface): \(String(cString: pcap_geterr(handle)))")
            }
            var network: bpf_u_int32 = 0, netmask: bpf_u_int32 = 0
            if pcap_lookupnet(interface, &network, &netmask, &errorBuffer) < 0 { netmask = 0 }
            var program = bpf_program()
            guard pcap_compile(handle, &program, expression, optimize ? 1 : 0, netmask) == 0 else {
                return failure(String(cString: pcap_geterr(handle)))
            }
            defer { pcap_freecode(&program) }
            let list = UnsafeBufferPointer(start: program.bf_insns, count: Int(program.bf_len))
            return .success(list.map { BPFInstruction(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) })
        }
        self.init(try result.get())
    }
}
