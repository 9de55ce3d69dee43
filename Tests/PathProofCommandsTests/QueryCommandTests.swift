/// Tests of `pathproof query`, `parse` and `ingest` through the command line.

import Foundation
import Testing

@testable import TableModel

struct QueryCommandTests {
    @Test func `json output is exactly the query API response shape`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run(
            "query", "--format", "json",
            #"datatable(Name:string, N:long, When:datetime)["a", 9223372036854775807, datetime(2024-01-02T03:04:05Z)]"#)
        #expect(result.status == 0, "\(result.err)")
        #expect(
            result.out.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"Name","type":"string"},"#
                + #"{"name":"N","type":"long"},{"name":"When","type":"datetime"}],"rows":[["a",9223372036854775807,"#
                + #""2024-01-02T03:04:05Z"]]}]}"#)
    }

    @Test func `table, csv and jsonl formats`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let query = #"print a = "x,y", b = 2"#
        let table = cli.run("query", query)
        #expect(table.out.contains("a"))
        #expect(table.out.contains("(1 row)"))
        let csv = cli.run("query", "--format", "csv", query)
        #expect(csv.out == "a,b\r\n\"x,y\",2\r\n")
        let jsonl = cli.run("query", "--format", "jsonl", query)
        #expect(jsonl.out == #"{"a":"x,y","b":2}"# + "\n")
    }

    @Test func `an unsupported construct is an error naming it, not an answer`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run("query", "print x = 1 | evaluate some_plugin_nobody_has()")
        #expect(result.status == 3)
        #expect(result.out.isEmpty)
        #expect(!result.err.isEmpty)
    }

    @Test func `parse accepts the shipped queries and rejects broken syntax`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        for file in ["keyvault-key-access.kql", "keyvault-key-access-azkvauditlogs.kql"] {
            let result = cli.run("parse", "--file", CLIHarness.repo("Queries/\(file)"))
            #expect(result.status == 0, "\(file): \(result.err)")
        }
        let broken = cli.run("parse", "T | where (x == ")
        #expect(broken.status != 0)
        #expect(broken.err.contains("1:"))
    }

    @Test func `ingest builds a workspace file that query reads`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let workspace = cli.path("ws.sqlite")
        let ingest = cli.run("ingest", "--workspace", workspace, VerifyCommandTests.demo)
        #expect(ingest.status == 0, "\(ingest.err)")
        let count = cli.run(
            "query", "--workspace", workspace, "--format", "csv",
            #"AzureDiagnostics | where OperationName startswith "Key" | summarize count() by OperationName"#
                + " | sort by OperationName asc"
        )
        #expect(count.status == 0, "\(count.err)")
        #expect(count.out == "OperationName,count_\r\nKeyGet,16\r\nKeyUnwrap,18\r\nKeyWrap,17\r\n")
        let verify = cli.run(
            "verify", "--workspace", workspace, "--policy", VerifyCommandTests.policy, "--from", "2026-11-02T08:00:00Z",
            "--to", "2026-11-02T12:00:00Z", "--now", "2026-11-03T00:00:00Z")
        #expect(verify.status == 0, "\(verify.out)\(verify.err)")
    }

    @Test func `ingest reports a bad line with file and line and keeps the good lines`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let source = try String(
            contentsOfFile: CLIHarness.sharedFixtures.appendingPathComponent(
                "keyvault-records/pt1h-jsonlines-blob-format-doc.json"
            ).path, encoding: .utf8)
        let lines = source.split(separator: "\n")
        let broken = cli.path("PT1H.json")
        try (lines[0] + "\n{not json\n" + lines[1] + "\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let workspace = cli.path("ws.sqlite")
        let ingest = cli.run("ingest", "--workspace", workspace, broken)
        #expect(ingest.status == 65)
        #expect(ingest.err.contains("PT1H.json"))
        #expect(ingest.err.contains(":2") || ingest.err.contains("line 2"))
        let count = cli.run("query", "--workspace", workspace, "--format", "csv", "AzureDiagnostics | count")
        #expect(count.out == "Count\r\n2\r\n")
    }
}
