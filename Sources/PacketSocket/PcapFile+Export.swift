// pcap files live in their own target, which links nothing, so that candump-swift can write them without
// libpcap; PacketSocket's users (capture into files, BPFProgram's link types) get them with `import PacketSocket`.
@_exported import PcapFile
