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

    @Test func `a line break inside a table cell is shown escaped, keeping the row on one line`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let table = cli.run("query", #"print s = "a\nb\r\tc", t = "ok""#)
        #expect(table.status == 0)
        #expect(table.out.split(separator: "\n").count == 4)
        #expect(table.out.contains(#"a\nb\r\tc  ok"#))
        // CSV keeps the value itself.
        #expect(cli.run("query", "--format", "csv", #"print s = "a\nb""#).out == "s\r\n\"a\nb\"\r\n")
    }

    @Test func `help names a command's own help, as --help does`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let help = cli.run("help", "query")
        #expect(help.status == 0)
        #expect(help.out.hasPrefix("USAGE: pathproof query"))
        #expect(help.out == cli.run("query", "--help").out)
        #expect(cli.run("help").out.hasPrefix("USAGE: pathproof <command>"))
        let unknown = cli.run("help", "qury")
        #expect(unknown.status == 64)
        #expect(unknown.err.contains("unknown command 'qury'"))
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

    @Test func `a query naming a table without a workspace says no workspace was given`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run("query", "AzureDiagnostics | count")
        #expect(result.status == 64)
        #expect(
            result.err.split(separator: "\n").first.map(String.init)
                == "Error: the query reads table 'AzureDiagnostics' but no --workspace was given: only "
                + "self-contained queries (datatable, print, range) run without one; give --workspace W or "
                + "--log-analytics ID")
        // With a workspace the same unknown name is the engine's SEM0100, as Log Analytics says it.
        let workspace = cli.path("ws.sqlite")
        #expect(cli.run("ingest", "--workspace", workspace, VerifyCommandTests.demo).status == 0)
        let missing = cli.run("query", "--workspace", workspace, "AZKVAuditLogs | count")
        #expect(missing.status == 3)
        #expect(missing.err == "Error: SEM0100: Failed to resolve table or column expression named 'AZKVAuditLogs'\n")
    }

    @Test func `a query or policy file that cannot be read says why`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let absent = cli.path("nope.kql")
        let query = cli.run("query", "--file", absent)
        #expect(query.status == 3)
        #expect(query.err == "Error: cannot read the query file \(absent): does not exist\n")
        let directory = cli.run("parse", "--file", cli.root.path)
        #expect(directory.err == "Error: cannot read the query file \(cli.root.path): is a directory, not a file\n")
        let policy = cli.path("policy.json")
        let verify = cli.run("verify", "--workspace", VerifyCommandTests.demo, "--policy", policy)
        #expect(verify.status == 3)
        #expect(verify.err == "Error: cannot read the policy file \(policy): does not exist\n")
    }

    @Test func `re-ingesting says the files were ingested already, and a file with every line refused is refused`()
        throws
    {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let workspace = cli.path("ws.sqlite")
        let first = cli.run("ingest", "--workspace", workspace, VerifyCommandTests.demo)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out == "ingested 8 new of 8 files into \(workspace)\n  AzureDiagnostics: 59 row(s)\n")
        let again = cli.run("ingest", "--workspace", workspace, VerifyCommandTests.demo)
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out == "ingested 0 new of 8 files into \(workspace): 8 already ingested\n")

        let bad = cli.path("bad.json")
        try "{\"bad\":1}\nnot json\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = cli.run("ingest", "--workspace", workspace, bad)
        #expect(refused.status == 65)
        #expect(refused.out == "ingested 0 new of 1 file into \(workspace): 1 refused\n")
        #expect(refused.err.split(separator: "\n").count == 2, "\(refused.err)")
        // Run again, the file is still refused: its records never reached the workspace.
        let refusedAgain = cli.run("ingest", "--workspace", workspace, bad)
        #expect(refusedAgain.status == 65)
        #expect(refusedAgain.out == refused.out)
        #expect(
            refusedAgain.err
                == refused.err.replacingOccurrences(of: "refused: ", with: "refused when first ingested: "))
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
