// isotp-swift: placeholder until the ISO-TP tool lands (issue #4).
print("isotp-swift: not implemented yet")
