/// TEST-pathproof.xml: JUnit XML for CI test reporters, one testcase per key access.

import EvidenceAnalysis

/// Renders JUnit XML: a `<testsuite>` per report, a `<testcase>` per access (a `<failure>` when it
/// broke a rule, `<skipped>` when the evidence could not decide it) and one testcase for the
/// completeness of the evidence (`<skipped message="inconclusive: …">` when the report is UNPROVEN
/// for lack of evidence). CI reporters do not fail a build on skipped tests: gate on the exit code.
enum JUnitReport {
    static func render(_ context: RenderContext) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, skipped: 0)
        for (index, view) in context.reports {
            let (suite, counts) = renderSuite(index: index, view: view)
            suites.append(suite)
            totals.tests += counts.tests
            totals.failures += counts.failures
            totals.skipped += counts.skipped
        }
        var errors = 0
        for report in context.unrendered {
            errors += 1
            totals.tests += 1
            let body = "<error message=\"\(MarkupText.escape("report not readable: " + report.reason))\"/>"
            var suite = "  <testsuite name=\"leaf \(report.index) \(MarkupText.escape(report.verdict))\" tests=\"1\" "
            suite += "failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
            suite += testcase(name: "report is readable", classname: "pathproof.evidence", body: body)
            suites.append(suite + "  </testsuite>\n")
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"pathproof\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" "
        xml += "errors=\"\(errors)\" skipped=\"\(totals.skipped)\" time=\"0\">\n"
        xml += suites.joined()
        xml += "</testsuites>\n"
        return xml
    }

    private static func renderSuite(index: Int, view: ReportView) -> (String, (tests: Int, failures: Int, skipped: Int))
    {
        let report = view.analysis
        var cases: [String] = []
        var failures = 0
        var skipped = 0
        for decision in report.decisions {
            let name = "\(decision.time) \(decision.operation) via \(decision.route.rawValue)"
            var body = ""
            switch decision.outcome {
            case "violated":
                failures += 1
                let rules = decision.rules.map(\.rawValue).joined(separator: ", ")
                body = "<failure message=\"\(MarkupText.escape(rules))\" type=\"violation\">"
                body += MarkupText.escape(decision.explanation) + "</failure>"
            case "undecided":
                skipped += 1
                body = "<skipped message=\"\(MarkupText.escape("undecided: " + decision.explanation))\"/>"
            default:
                body = "<system-out>\(MarkupText.escape(decision.outcome + ": " + decision.explanation))</system-out>"
            }
            cases.append(testcase(name: name, classname: "pathproof.\(decision.vault.lowercased())", body: body))
        }
        var completeness = "<system-out>the evidence is complete for the window</system-out>"
        if !report.unprovenReasons.isEmpty {
            skipped += 1
            let reasons = report.unprovenReasons.joined(separator: "; ")
            completeness = "<skipped message=\"\(MarkupText.escape("inconclusive: " + reasons))\"/>"
        }
        cases.append(testcase(name: "evidence is complete", classname: "pathproof.evidence", body: completeness))
        let counts = (tests: cases.count, failures: failures, skipped: skipped)
        var xml = "  <testsuite name=\"\(MarkupText.escape("leaf \(index) \(view.verdict) run \(view.runID)"))\" "
        xml += "tests=\"\(counts.tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"0\" "
        xml += "timestamp=\"\(MarkupText.escape(report.generatedAt))\">\n"
        xml += cases.joined()
        xml += "  </testsuite>\n"
        return (xml, counts)
    }

    private static func testcase(name: String, classname: String, body: String) -> String {
        "    <testcase name=\"\(MarkupText.escape(name))\" classname=\"\(MarkupText.escape(classname))\" "
            + "time=\"0\">\(body)</testcase>\n"
    }
}
