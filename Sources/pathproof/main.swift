print("pathproof")
