#!/usr/bin/env python3
"""Writes a Log Analytics-shaped query response of N Key Vault audit rows (benchmark input).

Usage: gen_response.py ROWS OUTPUT.json

The shape and encodings follow the real service: compact JSON, datetimes with 7 fraction digits and
a trailing Z, long as bare numbers, guid/timespan/decimal as strings, dynamic as JSON text inside a
string, strings never null; about 1% of cells hold escapes (quotes, backslashes, newlines) and
non-ASCII text.
"""
import json
import random
import sys

COLUMNS = [
    ("TimeGenerated", "datetime"), ("OperationName", "string"), ("ResultType", "string"),
    ("Resource", "string"), ("CallerIPAddress", "string"), ("CorrelationId", "guid"),
    ("DurationMs", "long"), ("identity_claim_oid_g", "guid"), ("httpStatusCode_d", "real"), ("isAccessPolicyMatch_b", "bool"),
    ("nsp_access_rule", "string"), ("properties_d", "dynamic"),
]


def row(i, rnd):
    seconds = 1_700_000_000 + i
    day, rest = divmod(seconds, 86400)
    # 2023-11-14 is day 19675 since 1970; keep the date arithmetic simple and exact.
    year, month, dom = 2023, 11, 14 + (day - 19675)
    while dom > 30:
        dom -= 30
        month += 1
        if month > 12:
            month, year = 1, year + 1
    hh, rest = divmod(rest, 3600)
    mm, ss = divmod(rest, 60)
    ticks = rnd.randrange(10_000_000)
    when = f"{year:04d}-{month:02d}-{dom:02d}T{hh:02d}:{mm:02d}:{ss:02d}.{ticks:07d}Z"
    op = rnd.choice(["KeyGet", "KeyWrap", "KeyUnwrap", "KeySign"])
    vault = f"kv-contoso-{i % 37}"
    note = "caller \"svc\\account\"\nline two é 中" if i % 100 == 0 else f"rule-{i % 11}"
    props = json.dumps({"key": f"k{i % 5}", "nsp": {"rule": note}}, separators=(",", ":"))
    return [
        when, op, "Success", vault.upper(), f"10.{i % 256}.{(i >> 8) % 256}.{i % 7}",
        f"{rnd.getrandbits(32):08x}-{rnd.getrandbits(16):04x}-4{rnd.getrandbits(12):03x}-a{rnd.getrandbits(12):03x}-{rnd.getrandbits(48):012x}",
        rnd.randrange(1, 90000), "5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21", 200.0 if i % 50 else 403.5, i % 3 == 0, note, props,
    ]


def main():
    rows, output = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(7)
    with open(output, "w", encoding="utf-8") as out:
        out.write('{"tables":[{"name":"PrimaryResult","columns":')
        out.write(json.dumps([{"name": n, "type": t} for n, t in COLUMNS], separators=(",", ":")))
        out.write(',"rows":[')
        for i in range(rows):
            if i:
                out.write(",")
            out.write(json.dumps(row(i, rnd), separators=(",", ":"), ensure_ascii=False))
        out.write("]}]}")


if __name__ == "__main__":
    main()
