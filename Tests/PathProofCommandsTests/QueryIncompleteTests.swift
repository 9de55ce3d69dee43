/// Tests of `query` on local evidence that holds rows of an incomplete saved response, of `ingest`
/// run again over a file it refused records of, and of `optimize` over several workspaces.

import Foundation
import Testing

struct QueryIncompleteTests {
    /// The public AZKVAuditLogs saved response (3 rows) with the `error` object of a truncated result.
    static func truncatedAuditResponse(in cli: CLIHarness) throws -> String {
        let fixtures = CLIHarness.sharedFixtures
        let rowsFile = "keyvault-records/azkvauditlogs-query-response-keysign-thirdparty-fixture.json"
        let rows = try String(contentsOf: fixtures.appendingPathComponent(rowsFile), encoding: .utf8)
        let partialFile = "la-responses/partial-error-truncated.json"
        let partial = try String(contentsOf: fixtures.appendingPathComponent(partialFile), encoding: .utf8)
        let body = rows.trimmingCharacters(in: .whitespacesAndNewlines)
        let errorStart = try #require(partial.range(of: #","error":"#))
        let error = partial[errorStart.lowerBound...].trimmingCharacters(in: .whitespacesAndNewlines)
            .dropLast()
        let path = cli.path("truncated-azkv.json")
        try (body.dropLast() + error + "}\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let innerError = "Query result set has exceeded the internal record count limit 1"

    @Test func `a query on evidence read on the fly warns of an incomplete table, prints the rows and exits 2`()
        throws
    {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let evidence = try Self.truncatedAuditResponse(in: cli)
        let result = cli.run("query", "--workspace", evidence, "--format", "csv", "AZKVAuditLogs | count")
        #expect(result.status == 2, "\(result.err)")
        #expect(result.out == "Count\r\n3\r\n")
        let warning = result.err.split(separator: "\n").filter { $0.contains("incomplete") }
        #expect(warning.count == 1, "\(result.err)")
        #expect(warning.first?.hasPrefix("warning: table AZKVAuditLogs is incomplete: \(evidence): ") == true)
        #expect(warning.first?.contains(Self.innerError) == true, "\(result.err)")

        // A self-contained query reads no table of the evidence.
        let print = cli.run("query", "--workspace", evidence, "print x = 1")
        #expect(print.status == 0, "\(print.err)")
        #expect(!print.err.contains("incomplete"))
    }

    @Test func `a query on an ingested workspace warns only when it reads the incomplete table`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let evidence = try Self.truncatedAuditResponse(in: cli)
        let workspace = cli.path("ws.sqlite")
        let ingest = cli.run("ingest", "--workspace", workspace, evidence, VerifyCommandTests.demo)
        #expect(ingest.status == 0, "\(ingest.err)")

        let audit = cli.run("query", "--workspace", workspace, "--format", "csv", "AZKVAuditLogs | count")
        #expect(audit.status == 2, "\(audit.err)")
        #expect(audit.out == "Count\r\n3\r\n")
        #expect(audit.err.contains("warning: table AZKVAuditLogs is incomplete: \(evidence): "), "\(audit.err)")
        #expect(audit.err.contains(Self.innerError), "\(audit.err)")

        // The saved response fed only AZKVAuditLogs: AzureDiagnostics is complete.
        let diagnostics = cli.run(
            "query", "--workspace", workspace, "--format", "csv", "AzureDiagnostics | count")
        #expect(diagnostics.status == 0, "\(diagnostics.err)")
        #expect(diagnostics.out == "Count\r\n59\r\n")
        #expect(diagnostics.err.isEmpty, "\(diagnostics.err)")

        // Read through a let, a union or a join, the table is still read.
        for query in [
            "let T = AZKVAuditLogs; T | count",
            "union AzureDiagnostics, AZKVAuditLogs | count",
            "union isfuzzy=true Nope, AZKVAuditLogs | count",
            "AzureDiagnostics | take 1 | join kind=leftouter (AZKVAuditLogs) on TimeGenerated | count",
        ] {
            let result = cli.run("query", "--workspace", workspace, query)
            #expect(result.status == 2, "\(query): \(result.err)")
            #expect(result.err.contains("table AZKVAuditLogs is incomplete"), "\(query): \(result.err)")
        }

        // Its schema alone is complete: the response declared every column.
        let schema = cli.run("query", "--workspace", workspace, "AZKVAuditLogs | getschema | count")
        #expect(schema.status == 0, "\(schema.err)")
        #expect(schema.err.isEmpty)

        // JSON output carries the error object, as the service's response body does.
        let json = cli.run("query", "--workspace", workspace, "--format", "json", "AZKVAuditLogs | count")
        #expect(json.status == 2)
        #expect(json.out.contains(#""error":{"code":"PartialError""#), "\(json.out)")
    }

    @Test func `verify on the same evidence stays UNPROVEN`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let evidence = try Self.truncatedAuditResponse(in: cli)
        let verify = cli.run(
            "verify", "--workspace", evidence, "--policy", VerifyCommandTests.policy,
            "--now", "2026-11-03T00:00:00Z")
        #expect(verify.status == 2, "\(verify.out)\(verify.err)")
        #expect(verify.out.contains(Self.innerError), "\(verify.out)")
    }

    @Test func `ingest run again reports the records it refused the first time and exits 65 again`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let source = try String(
            contentsOf: CLIHarness.sharedFixtures.appendingPathComponent(
                "keyvault-records/pt1h-jsonlines-blob-format-doc.json"), encoding: .utf8)
        let lines = source.split(separator: "\n")
        let blob = cli.path("PT1H.json")
        let text = lines[0] + "\n" + lines[1] + "\n{not json\n"
        try text.write(toFile: blob, atomically: true, encoding: .utf8)
        let workspace = cli.path("ws.sqlite")

        let first = cli.run("ingest", "--workspace", workspace, blob)
        #expect(first.status == 65)
        let errorLines = first.err.split(separator: "\n")
        let refusal = try #require(errorLines.first { $0.hasPrefix("refused: \(blob):3: ") })
        let reason = refusal.dropFirst("refused: \(blob):3: ".count)

        let again = cli.run("ingest", "--workspace", workspace, blob)
        #expect(again.status == 65, "\(again.out)\(again.err)")
        #expect(again.out == "ingested 0 new of 1 file into \(workspace): 1 already ingested\n")
        #expect(again.err == "refused when first ingested: \(blob):3: \(reason)\n")
        let count = cli.run("query", "--workspace", workspace, "--format", "csv", "AzureDiagnostics | count")
        #expect(count.out == "Count\r\n2\r\n")
    }

    @Test func `a file refused whole is refused again, not counted as already ingested`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let workspace = cli.path("ws.sqlite")
        let demo = CLIHarness.repo("Fixtures/demo")
        let policy = CLIHarness.repo("Fixtures/demo/policy.json")
        let first = cli.run("ingest", "--workspace", workspace, demo)
        #expect(first.status == 65)
        #expect(first.out.hasPrefix("ingested 10 new of 11 files into \(workspace): 1 refused\n"))
        let firstRefusals = first.err.split(separator: "\n").filter { $0.hasPrefix("refused: \(policy)") }
        #expect(firstRefusals.count == 1, "\(first.err)")

        let again = cli.run("ingest", "--workspace", workspace, demo)
        #expect(again.status == 65)
        #expect(again.out == "ingested 0 new of 11 files into \(workspace): 10 already ingested, 1 refused\n")
        let repeated = firstRefusals.map { "refused when first ingested: " + $0.dropFirst(9) + "\n" }
        #expect(again.err == repeated.joined())
    }

    @Test func `optimize with several workspaces optimizes each and names it`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let first = cli.path("a.sqlite")
        let second = cli.path("b.sqlite")
        for workspace in [first, second] {
            #expect(cli.run("ingest", "--workspace", workspace, VerifyCommandTests.demo).status == 0)
        }
        let result = cli.run("optimize", "--workspace", first, "--workspace", second, "--rebuild")
        #expect(result.status == 0, "\(result.err)")
        let packed = "  AzureDiagnostics: packed 59 rows, 59 rows in the column snapshot\n"
        #expect(result.out == "\(first):\n\(packed)\(second):\n\(packed)")
    }
}
