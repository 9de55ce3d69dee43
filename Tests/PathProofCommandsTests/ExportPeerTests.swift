/// Independent checks of the bundle's renderings: junitparser reads the JUnit XML, py-ocsf-models
/// validates each OCSF line, rfc8785 agrees the JSON is canonical, and report.html loads nothing.

import Foundation
import Testing

@testable import TableModel

struct ExportPeerTests {
    let fixture = ExportFixture.shared

    @Test func `junitparser reads the JUnit XML with one testcase per access and a failure per violation`() throws {
        let python = try peerPython(needing: ["junitparser"])
        let script = """
            import sys
            from junitparser import JUnitXml, Failure, Skipped
            xml = JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                cases = list(suite)
                failures = sum(1 for c in cases for r in c.result if isinstance(r, Failure))
                skipped = sum(1 for c in cases for r in c.result if isinstance(r, Skipped))
                print(suite.name.split()[2], len(cases), failures, skipped, suite.tests, suite.failures)
            """
        let result = try runProcess(python, ["-c", script, fixture.bundle + "/TEST-pathproof.xml"])
        #expect(result.status == 0, "\(result.err)")
        // VIOLATED: 50 accesses + completeness, 2 failures. PROVEN: 24 + 1. UNPROVEN: 12 undecided + 1 skipped.
        #expect(result.out == "VIOLATED 51 2 0 51 2\nPROVEN 25 0 0 25 0\nUNPROVEN 13 0 13 13 0\n", "\(result.out)")
    }

    @Test func `every OCSF line is a valid Compliance Finding of class 2003`() throws {
        let python = try peerPython(needing: ["py_ocsf_models"])
        let script = """
            import json, sys
            from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
            statuses = []
            for line in open(sys.argv[1]):
                event = json.loads(line)
                finding = ComplianceFinding.model_validate(event)
                assert finding.class_uid == 2003 and event["type_uid"] == 200301, event
                assert event["metadata"]["version"] == "1.5.0"
                statuses.append(event["compliance"]["status"])
            print(len(statuses), statuses.count("Fail"), statuses.count("Pass"), statuses.count("Warning"))
            try:
                ComplianceFinding.model_validate({k: v for k, v in event.items() if k != "compliance"})
                print("accepted a finding without compliance")
            except Exception:
                print("refused a finding without compliance")
            """
        let result = try runProcess(python, ["-c", script, fixture.bundle + "/findings.ocsf.ndjson"])
        #expect(result.status == 0, "\(result.err)")
        // Three vault findings (Fail, Pass, Warning) and three violation findings (Fail): the public
        // unwrap breaks the perimeter and the route rules.
        #expect(result.out == "6 4 1 1\nrefused a finding without compliance\n", "\(result.out)")
    }

    @Test func `the signed JSON files are RFC 8785 canonical as rfc8785 writes it`() throws {
        let python = try peerPython(needing: ["rfc8785"])
        let script = """
            import json, sys, rfc8785
            for path in sys.argv[1:]:
                data = open(path, "rb").read()
                print(rfc8785.dumps(json.loads(data)) == data)
            """
        let files = ["MANIFEST.json", "reports/leaf-0/report.json", "reports/leaf-2/inclusion.json"]
        let result = try runProcess(python, ["-c", script] + files.map { fixture.bundle + "/" + $0 })
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "True\nTrue\nTrue\n")
    }

    @Test func `securesystemslib verifies every envelope in the bundle`() throws {
        let python = try peerPython(needing: ["securesystemslib", "cryptography"])
        let envelopes = [
            "MANIFEST.dsse.json", "log/checkpoint.dsse.json", "log/since-checkpoint.dsse.json",
            "reports/leaf-0/report.dsse.json", "reports/leaf-1/report.dsse.json", "reports/leaf-2/report.dsse.json",
        ]
        let result = try runProcess(
            python,
            [CLIHarness.repo("scripts/signing-dsse-peer.py"), "verify", fixture.bundle + "/keys/signing-key.pub.pem"]
                + envelopes.map { fixture.bundle + "/" + $0 })
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.components(separatedBy: ": verified by ").count == envelopes.count + 1, "\(result.out)")
    }

    @Test func `report.html is self-contained, prints well and draws the timeline and vault table`() throws {
        let html = String(decoding: try fixture.read("report.html"), as: UTF8.self)
        let external = try Regex(#"(?i)(src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(https?:)?//"#)
        #expect(html.firstMatch(of: external) == nil)
        #expect(!html.lowercased().contains("@import"))
        #expect(!html.lowercased().contains("url("))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<link"))
        #expect(html.contains("@media print"))
        #expect(html.components(separatedBy: "<svg class=\"timeline\"").count == 4)
        #expect(html.components(separatedBy: "<circle class=\"access violated\"").count == 3)
        #expect(html.components(separatedBy: "<circle class=\"access undecided\"").count == 13)
        #expect(html.contains("<td>kv-contoso-cmk</td><td class=\"n\">50</td><td class=\"n\">48</td>"))
        #expect(html.contains("class=\"blocked\""))
        #expect(html.contains("<th>raw results (in reports/leaf-0/)</th>"))
        let row = "<td><code>results/keyvault-key-access.json</code></td></tr>\n<tr><td>keyvault-key-access-"
        #expect(html.contains(row))
    }

    @Test func `summary.md names each report's verdict and violations`() throws {
        let summary = String(decoding: try fixture.read("summary.md"), as: UTF8.self)
        #expect(summary.contains("## Leaf 0: VIOLATED"))
        #expect(summary.contains("## Leaf 1: PROVEN"))
        #expect(summary.contains("## Leaf 2: UNPROVEN"))
        #expect(summary.contains("`perimeter-claim-empty` 2026-11-02T13:41:09Z"))
        #expect(summary.contains("| kv-contoso-cmk | 24 | 24 | 0 | 0 | 0 | 52 | 4/4 | 0 |"), "\(summary)")
    }
}
