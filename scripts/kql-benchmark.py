#!/usr/bin/env python3
"""SQLite and DuckDB halves of scripts/kql-benchmark.sh.

Generates AzureDiagnostics rows from fixed formulas (no randomness). Mode
`workspace PATH` writes them as a PathProof workspace (the layout of Sources/Workspace: table
data_AzureDiagnostics with columns c0, c1, ... described in pp_columns), which both `pathproof query`
and SQLite then read. Modes `sqlite PATH` `duckdb` (an in-memory table loaded from the same rows) and
`duckdb-file PATH` (DuckDB reading the same SQLite file) run the key-access query and the coverage
summarize as SQL (each REPEAT times, a last optional argument) and print one RESULT line per query:
engine, query, median seconds, rows, peak MB. The in-memory
load is timed apart and printed as a LOAD line.
"""
import csv
import os
import resource
import statistics
import sqlite3
import sys
import tempfile
import time

START_TICKS = 639131904000000000  # 2026-05-01T00:00:00Z in 100 ns ticks since 0001-01-01
OPERATIONS = ["KeyGet", "KeyWrap", "KeyUnwrap", "SecretGet", "VaultGet"]
KQL_TYPES = ["datetime", "string", "string", "string", "string", "string", "string", "real", "string", "string",
             "string", "dynamic"]
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


def timed(engine, name, run, repeat):
    """Runs `run` (which returns the rows it fetched) `repeat` times; prints the median time."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(run())
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(f"RESULT {engine} {name} {median:.3f} {rows} {peak_mb():.0f}", flush=True)


def write_workspace(path, count):
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id = {0x50505753}")
    db.execute("PRAGMA user_version = 1")
    db.executescript("""
        CREATE TABLE pp_tables (name TEXT PRIMARY KEY, sql_name TEXT NOT NULL UNIQUE);
        CREATE TABLE pp_columns (
            table_name TEXT NOT NULL, ordinal INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
            PRIMARY KEY (table_name, ordinal), UNIQUE (table_name, name));
        CREATE TABLE pp_files (
            id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, bytes INTEGER NOT NULL,
            shape TEXT NOT NULL, rows INTEGER NOT NULL, rejected INTEGER NOT NULL, ingested_at TEXT NOT NULL,
            tail_key TEXT NOT NULL, ends_with_newline INTEGER NOT NULL,
            continues_file INTEGER REFERENCES pp_files(id), start_offset INTEGER NOT NULL);
        CREATE INDEX pp_files_tail ON pp_files (tail_key);
        CREATE TABLE pp_incomplete (
            file_id INTEGER NOT NULL REFERENCES pp_files(id), path TEXT NOT NULL, error_json TEXT NOT NULL,
            message TEXT NOT NULL);
    """)
    db.execute("INSERT INTO pp_tables VALUES ('AzureDiagnostics', 'data_AzureDiagnostics')")
    db.executemany("INSERT INTO pp_columns VALUES ('AzureDiagnostics', ?, ?, ?)",
                   [(i, n, t) for i, (n, t) in enumerate(zip(NAMES, KQL_TYPES))])
    db.execute("INSERT INTO pp_files VALUES (1, 'generated', 'generated', 0, 'generated', ?, 0, '', '', 1, NULL, 0)",
               (count,))
    db.execute("CREATE TABLE data_AzureDiagnostics (pp_file INTEGER NOT NULL, "
               + ", ".join(f"c{i}" for i in range(len(NAMES))) + ")")
    db.executemany("INSERT INTO data_AzureDiagnostics VALUES (1, ?,?,?,?,?,?,?,?,?,?,?,?)",
                   (row(i) for i in range(count)))
    db.commit()
    db.close()


def main():
    mode = sys.argv[1]
    if mode == "workspace":
        write_workspace(sys.argv[2], int(sys.argv[3]))
        return
    if mode == "sqlite":
        db = sqlite3.connect(sys.argv[2])
        # A temporary view names the workspace's numbered columns; SQLite inlines it into each query.
        db.execute("CREATE TEMP VIEW AzureDiagnostics AS SELECT "
                   + ", ".join(f"c{i} AS {n}" for i, n in enumerate(NAMES)) + " FROM data_AzureDiagnostics")
        repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
        for name, sql in (("key-access", KEY_ACCESS), ("coverage", COVERAGE.format(div="/"))):
            timed("sqlite", name, lambda: db.execute(sql).fetchall(), repeat)
        return
    import duckdb
    if mode == "duckdb-file":
        # DuckDB reading the very same SQLite workspace file through its sqlite_scanner extension (from
        # PyPI: duckdb-extension-sqlite-scanner); the workspace's columns are untyped, so they are read
        # as text and cast where the SQL needs a number.
        from duckdb_extensions import extension_importer
        db = duckdb.connect()
        extension_importer.import_extension("sqlite_scanner", con=db)
        db.execute("LOAD sqlite_scanner")
        db.execute("SET sqlite_all_varchar = true")
        db.execute(f"ATTACH '{sys.argv[2]}' AS ws (TYPE sqlite, READ_ONLY)")
        casts = {"BIGINT": "CAST({} AS BIGINT)", "DOUBLE": "CAST({} AS DOUBLE)"}
        db.execute("CREATE TEMP VIEW AzureDiagnostics AS SELECT "
                   + ", ".join(f"{casts.get(t, '{}').format(f'c{i}')} AS {n}"
                               for i, (n, t) in enumerate(zip(NAMES, TYPES)))
                   + " FROM ws.data_AzureDiagnostics")
        repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
        for name, sql in (("key-access", KEY_ACCESS), ("coverage", COVERAGE.format(div="//"))):
            timed("duckdb-file", name, lambda: db.execute(sql).fetchall(), repeat)
        return
    count = int(sys.argv[2])
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "rows.csv")
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(NAMES)
            writer.writerows(row(i) for i in range(count))
        db = duckdb.connect()
        columns = "{" + ", ".join(f"'{n}': '{'VARCHAR' if t == 'TEXT' else t}'" for n, t in zip(NAMES, TYPES)) + "}"
        started = time.perf_counter()
        db.execute(f"CREATE TABLE AzureDiagnostics AS SELECT * FROM read_csv('{path}', header=true, "
                   f"columns={columns})")
        print(f"LOAD duckdb (CSV into an in-memory table) {time.perf_counter() - started:.3f}", flush=True)
        repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
        for name, sql in (("key-access", KEY_ACCESS), ("coverage", COVERAGE.format(div="//"))):
            timed("duckdb", name, lambda: db.execute(sql).fetchall(), repeat)


if __name__ == "__main__":
    main()
