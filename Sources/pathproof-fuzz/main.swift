// Seeded mutation fuzzer; filled in by the robustness work.
print("pathproof-fuzz: no targets yet")
