/// The report's `previous` (the series' chain through the archive) and `scope` (the policy after
/// defaults), from real verify runs into one archive.

import EvidenceSigning
import Foundation
import Testing

@testable import TableModel

struct ReportDocumentTests {
    /// A workspace with one in-policy KeyUnwrap per hour from 09:00 to 10:00, ingested.
    func workspace(policy: String = FieldPolicy.json()) throws -> FieldCaseWorkspace {
        let field = try FieldCaseWorkspace(policy: policy)
        let events = [
            FieldEvent(),
            FieldEvent(time: "2026-11-02T10:30:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000201"),
        ]
        try field.write("PT1H.json", FieldEvent.jsonLines(events.map(\.raw)))
        field.ingest()
        return field
    }

    /// Runs verify into the workspace's archive, writing `out/<name>`, and returns the report and the
    /// SHA-256 of the written report.json and report.dsse.json.
    func run(_ field: FieldCaseWorkspace, _ name: String, policy: String? = nil) throws
        -> (report: Dynamic, reportSha256: String, envelopeSha256: String)
    {
        var extra = ["--out", field.cli.path("out/" + name)]
        if let policy { extra += ["--policy", policy] }
        let result = try field.verify(extra: extra)
        try #require(result.status == 0, "verify \(name): \(result.err)")
        func digest(_ file: String) throws -> String {
            sha256Hex(Array(try Data(contentsOf: URL(fileURLWithPath: field.cli.path("out/\(name)/\(file)")))))
        }
        return (result.report, try digest("report.json"), try digest("report.dsse.json"))
    }

    @Test func `each report names the series' previous report by leaf index and digest`() throws {
        let field = try workspace()
        defer { field.cleanUp() }
        let other = field.cli.path("other-policy.json")
        // A series is keyed on the policy's bytes, so one more line break makes another series.
        try (FieldPolicy.json() + "\n").write(toFile: other, atomically: true, encoding: .utf8)

        let first = try run(field, "first")
        let second = try run(field, "second")
        // Another policy is another series: it starts its own chain and is skipped by this one.
        let elsewhere = try run(field, "elsewhere", policy: other)
        let third = try run(field, "third")

        #expect(first.report["previous"] == .null)
        #expect(
            second.report["previous"]
                == .object([
                    "leafIndex": .long(0), "envelopeSha256": .string(first.envelopeSha256),
                    "reportSha256": .string(first.reportSha256),
                ]))
        #expect(elsewhere.report["previous"] == .null)
        #expect(
            third.report["previous"]
                == .object([
                    "leafIndex": .long(1), "envelopeSha256": .string(second.envelopeSha256),
                    "reportSha256": .string(second.reportSha256),
                ]))

        // The digest is that of the archive leaf itself, as an auditor finds it in an export bundle.
        let exported = field.cli.run(
            "export", "--archive", field.cli.path("archive.sqlite"), "--from", "2026-11-02T00:00:00Z", "--to",
            "2026-11-03T00:00:00Z", "--out", field.cli.path("bundle"))
        try #require(exported.status == 0, "\(exported.err)")
        let leaf = try Data(contentsOf: URL(fileURLWithPath: field.cli.path("bundle/reports/leaf-1/report.dsse.json")))
        #expect(sha256Hex(Array(leaf)) == third.report["previous"]?["envelopeSha256"]?.stringValue)

        let schema = try ExportSchemaTests().validate(
            ["first", "second", "elsewhere", "third"].map { field.cli.path("out/\($0)/report.json") })
        #expect(schema.out == String(repeating: "valid\n", count: 4), "\(schema.out)\(schema.err)")
    }

    @Test func `the scope states the policy as it reads once defaults are applied`() throws {
        let field = try workspace(policy: FieldPolicy.json(extra: #","keys":[{"name":"cmk"}]"#))
        defer { field.cleanUp() }
        let report = try run(field, "scoped").report
        #expect(
            report["scope"]
                == .object([
                    "vaults": .array([.string("kv-field")]),
                    // The policy names no operations: the default scope applies, and the report says so.
                    "operations": .array([.string("KeyGet"), .string("KeyWrap"), .string("KeyUnwrap")]),
                    "keys": .array([.object(["name": .string("cmk"), "version": .null])]),
                    "routes": .array([
                        .string("trustedService"), .string("privateEndpoint"), .string("delegatedSubnet"),
                    ]),
                    "perimeters": .array([.string(FieldPolicy.perimeter)]),
                    "enterprisePolicies": .array([.string(FieldPolicy.enterprisePolicy)]),
                ]), "\(report["scope"]?.jsonText ?? "no scope")")

        // The demo policy names no routes: they are reported, not enforced, which the scope shows as null.
        let demo = try JSONParser.parse(
            bytes: Array(try Data(contentsOf: URL(fileURLWithPath: ExportFixture.shared.cli.path("run-0/report.json"))))
        )
        #expect(demo["scope"]?["routes"] == .null)
        #expect(demo["scope"]?["vaults"] == .array([.string("kv-contoso-cmk")]))
    }
}
