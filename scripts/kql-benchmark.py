#!/usr/bin/env python3
"""SQLite and DuckDB halves of scripts/kql-benchmark.sh.

Generates the same AzureDiagnostics rows as Tests/KQLEngineTests/BenchmarkRunner.swift, loads them
into a SQLite file and into DuckDB (load time not measured), runs the key-access query and the
coverage summarize as SQL, and prints one RESULT line per run: engine, query, seconds, rows, peak MB.
"""
import csv
import os
import resource
import sqlite3
import sys
import tempfile
import time

START_TICKS = 639131904000000000  # 2026-05-01T00:00:00Z in 100 ns ticks since 0001-01-01
OPERATIONS = ["KeyGet", "KeyWrap", "KeyUnwrap", "SecretGet", "VaultGet"]
NAMES = ["TimeGenerated", "ResourceProvider", "OperationName", "ResourceId", "Resource", "ResultType",
         "ResultSignature", "httpStatusCode_d", "CallerIPAddress", "identity_claim_xms_mirid_s",
         "identity_claim_xms_az_nwperimid_s", "AdditionalFields"]
TYPES = ["BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "DOUBLE", "TEXT", "TEXT", "TEXT", "TEXT"]


def row(i):
    forbidden = i % 7 == 0
    return (START_TICKS + i * 3 * 10_000_000, "MICROSOFT.STORAGE" if i % 10 == 9 else "MICROSOFT.KEYVAULT",
            OPERATIONS[i % 5], f"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV{i % 20}",
            f"KV{i % 20}", "Success", "Forbidden" if forbidden else "OK", 403.0 if forbidden else 200.0,
            f"10.0.{i % 256}.{i % 97}",
            f"/subscriptions/s/providers/Microsoft.PowerPlatform/enterprisePolicies/p{i % 3}",
            "[]" if i % 11 == 0 else '["perim-1"]', "{}")


# The shipped key-access query as SQL: upper() stands for =~ and for the case-insensitive startswith.
KEY_ACCESS = """
SELECT TimeGenerated, 'AzureDiagnostics' AS SourceTable, upper(ResourceId) AS ResourceId,
       upper(Resource) AS Vault, OperationName, ResultType, ResultSignature, '' AS ResultDescription,
       CAST(httpStatusCode_d AS BIGINT) AS HttpStatus, CallerIPAddress AS CallerIp, '' AS CorrelationId,
       '' AS RequestUri, '' AS KeyId, identity_claim_xms_mirid_s AS EnterprisePolicyClaim,
       identity_claim_xms_az_nwperimid_s AS PerimeterClaim
FROM AzureDiagnostics
WHERE upper(ResourceProvider) = 'MICROSOFT.KEYVAULT' AND upper(substr(OperationName, 1, 3)) = 'KEY'
ORDER BY TimeGenerated
"""
COVERAGE = """
SELECT (TimeGenerated {div} 36000000000) * 36000000000 AS TimeGenerated, Resource, OperationName,
       count(*) AS count_
FROM AzureDiagnostics GROUP BY 1, 2, 3
"""


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(engine, name, started, rows):
    print(f"RESULT {engine} {name} {time.perf_counter() - started:.3f} {rows} {peak_mb():.0f}", flush=True)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    which = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
    with tempfile.TemporaryDirectory() as directory:
        if which == "sqlite":
            path = os.path.join(directory, "workspace.sqlite")
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE AzureDiagnostics (" + ", ".join(f"{n} {t}" for n, t in zip(NAMES, TYPES)) + ")")
            db.executemany("INSERT INTO AzureDiagnostics VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                           (row(i) for i in range(count)))
            db.commit()
            db.close()
            db = sqlite3.connect(path)
            for name, sql in (("key-access", KEY_ACCESS), ("coverage", COVERAGE.format(div="/"))):
                started = time.perf_counter()
                report("sqlite", name, started, len(db.execute(sql).fetchall()))
        else:
            import duckdb
            path = os.path.join(directory, "rows.csv")
            with open(path, "w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(NAMES)
                writer.writerows(row(i) for i in range(count))
            db = duckdb.connect()
            columns = "{" + ", ".join(f"'{n}': '{'VARCHAR' if t == 'TEXT' else t}'" for n, t in zip(NAMES, TYPES)) + "}"
            db.execute(f"CREATE TABLE AzureDiagnostics AS SELECT * FROM read_csv('{path}', header=true, "
                       f"columns={columns})")
            for name, sql in (("key-access", KEY_ACCESS), ("coverage", COVERAGE.format(div="//"))):
                started = time.perf_counter()
                report("duckdb", name, started, len(db.execute(sql).fetchall()))


if __name__ == "__main__":
    main()
