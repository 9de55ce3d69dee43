#!/usr/bin/env python3
"""RFC 8785 reference peer for the EvidenceSigning tests, using Trail of Bits' `rfc8785` package.

Modes (input on stdin, canonical bytes on stdout):
  canon   - a JSON text; prints rfc8785.dumps of it.
  lines   - one JSON text per line; prints the canonical form of each on its own line
            (canonical JSON never contains a raw newline).
  floats  - a JSON list of IEEE 754 bit patterns (unsigned 64-bit integers); prints the
            canonical form of the list of those doubles, so the test compares number
            formatting on exactly the same values.
Exits 2 with the exception text when rfc8785 refuses the input.
"""
import json
import struct
import sys

import rfc8785


def main() -> int:
    mode = sys.argv[1]
    text = sys.stdin.buffer.read()
    try:
        if mode == "canon":
            value = json.loads(text)
        elif mode == "lines":
            for line in text.splitlines():
                sys.stdout.buffer.write(rfc8785.dumps(json.loads(line)) + b"\n")
            return 0
        elif mode == "floats":
            value = [struct.unpack("<d", struct.pack("<Q", bits))[0] for bits in json.loads(text)]
        else:
            print(f"unknown mode {mode}", file=sys.stderr)
            return 64
        sys.stdout.buffer.write(rfc8785.dumps(value))
    except Exception as error:  # report any refusal to the Swift test
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
