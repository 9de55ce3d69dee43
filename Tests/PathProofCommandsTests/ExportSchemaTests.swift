/// Every report `verify` writes validates against Schemas/report.schema.json (Python jsonschema).

import Foundation
import Testing

struct ExportSchemaTests {
    static let schema = CLIHarness.repo("Schemas/report.schema.json")

    /// Runs the validator; prints one line per report, "valid" or "INVALID" with the errors.
    func validate(_ reports: [String]) throws -> CommandResult {
        let python = try peerPython(needing: ["jsonschema"])
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for path in sys.argv[2:]:
                errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: (e.json_path, e.validator))
                found = "; ".join(e.json_path + " " + e.validator for e in errors)
                print("valid" if not errors else "INVALID " + found)
            """
        return try runProcess(python, ["-c", script, Self.schema] + reports)
    }

    @Test func `every report the demo produces validates against the shipped schema`() throws {
        let fixture = ExportFixture.shared
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        var reports = (0..<3).map { fixture.cli.path("run-\($0)/report.json") }
        let extra: [(name: String, arguments: [String])] = [
            ("no-window", ["--workspace", CLIHarness.repo("Fixtures/demo/contoso-cmk")]),
            (
                "empty-window",
                [
                    "--workspace", CLIHarness.repo("Fixtures/demo/contoso-cmk"), "--from", "2026-10-01T00:00:00Z",
                    "--to", "2026-10-02T00:00:00Z",
                ]
            ),
            (
                "public-records",
                [
                    "--workspace",
                    CLIHarness.sharedFixtures.appendingPathComponent("keyvault-records/pt1h-jsonlines-sekoia-2024.json")
                        .path,
                ]
            ),
        ]
        for (name, arguments) in extra {
            let result = cli.run(
                [
                    "verify", "--policy", VerifyCommandTests.policy, "--now", "2026-11-03T00:00:00Z", "--out",
                    cli.path(name),
                ]
                    + arguments)
            #expect(
                FileManager.default.fileExists(atPath: cli.path(name + "/report.json")),
                "verify \(name) wrote no report: \(result.err)")
            reports.append(cli.path(name + "/report.json"))
        }
        let result = try validate(reports)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == String(repeating: "valid\n", count: reports.count), "\(result.out)")
    }

    @Test func `a report with an unknown verdict or without its queries does not validate`() throws {
        let fixture = ExportFixture.shared
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let text = try String(contentsOfFile: fixture.cli.path("run-1/report.json"), encoding: .utf8)
        let wrongVerdict = text.replacingOccurrences(of: "\"verdict\":\"PROVEN\"", with: "\"verdict\":\"MAYBE\"")
        let noQueries = text.replacingOccurrences(of: "\"queries\":", with: "\"queriez\":")
        #expect(wrongVerdict != text && noQueries != text)
        try wrongVerdict.write(toFile: cli.path("a.json"), atomically: true, encoding: .utf8)
        try noQueries.write(toFile: cli.path("b.json"), atomically: true, encoding: .utf8)
        let result = try validate([cli.path("a.json"), cli.path("b.json")])
        #expect(result.out == "INVALID $.verdict enum\nINVALID $ additionalProperties; $ required\n", "\(result.out)")
    }

    @Test func `a raw result entry that escapes results/ or lacks its digest does not validate`() throws {
        let fixture = ExportFixture.shared
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let text = try String(contentsOfFile: fixture.cli.path("run-1/report.json"), encoding: .utf8)
        let escaping = text.replacingOccurrences(
            of: "\"file\":\"results/keyvault-key-access.json\"", with: "\"file\":\"results/../../etc/passwd\"")
        let uncounted = text.replacingOccurrences(
            of: "\"file\":\"results/keyvault-key-access.json\",\"rows\":",
            with: "\"file\":\"results/keyvault-key-access.json\",\"rowz\":")
        #expect(escaping != text && uncounted != text)
        try escaping.write(toFile: cli.path("a.json"), atomically: true, encoding: .utf8)
        try uncounted.write(toFile: cli.path("b.json"), atomically: true, encoding: .utf8)
        let result = try validate([cli.path("a.json"), cli.path("b.json")])
        #expect(
            result.out == "INVALID $.queries[0].results[0].file pattern\n"
                + "INVALID $.queries[0].results[0] additionalProperties; $.queries[0].results[0] required\n",
            "\(result.out)")
    }
}
