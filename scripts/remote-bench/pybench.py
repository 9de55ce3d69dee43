#!/usr/bin/env python3
"""Benchmark peer: decode a query response with orjson (or json) and walk every cell by column type.

Usage: pybench.py orjson|json FILE — prints one JSON line like the Swift driver's.
"""
import json
import sys
import time


def main():
    mode, path = sys.argv[1], sys.argv[2]
    loads = json.loads
    if mode == "orjson":
        import orjson
        loads = orjson.loads
    start = time.perf_counter()
    cpu_start = time.process_time()
    with open(path, "rb") as handle:
        data = handle.read()
    root = loads(data)
    rows = 0
    checksum = 0
    for table in root["tables"]:
        types = [column["type"] for column in table["columns"]]
        for row in table["rows"]:
            rows += 1
            for cell, kind in zip(row, types):
                if kind in ("long", "int", "real"):
                    checksum += int(cell or 0)
                elif kind == "bool":
                    checksum += 1 if cell else 0
                elif isinstance(cell, str):
                    checksum += len(cell)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({"mode": mode, "rows": rows, "bytes": len(data), "seconds": seconds, "cpu": cpu,
                      "checksum": checksum}))


if __name__ == "__main__":
    main()
