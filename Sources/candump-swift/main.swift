print("candump-swift: not built yet")
