// pktdump-swift: placeholder until the capture tool lands (issue #5).
print("pktdump-swift: not implemented yet")
