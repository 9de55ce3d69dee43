/// report.html: one self-contained page (no external resources, print-friendly) for the auditor.

/// Renders report.html: per report, the verdict, an SVG timeline, a per-vault table and the findings.
enum ReportHTML {
    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1a202c;max-width:1000px}
        h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #cbd5e0;padding-bottom:4px;margin-top:2em}
        table{border-collapse:collapse;margin:8px 0;font-size:0.9em;max-width:100%}
        th,td{border:1px solid #cbd5e0;padding:3px 6px;text-align:left;vertical-align:top}
        th{white-space:normal}td.long{overflow-wrap:anywhere}
        td.n{text-align:right}.verdict{font-weight:bold;padding:2px 8px;border-radius:3px;color:#fff}
        .PROVEN{background:#2f855a}.VIOLATED{background:#c53030}.UNPROVEN{background:#718096}
        .legend span{display:inline-block;margin-right:14px}.swatch{display:inline-block;width:10px;
        height:10px;border-radius:5px;margin-right:4px}code{font-size:0.85em;word-break:break-all}
        @media print{body{margin:0;max-width:none}section{break-inside:avoid-page}h2{break-after:avoid}
        a{color:inherit;text-decoration:none}}
        """

    static func render(_ context: RenderContext) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>PathProof evidence \(MarkupText.escape(context.window.from.apiText))</title>"
        html += "<style>\n\(style)\n</style></head><body>\n"
        html += "<h1>PathProof evidence export</h1>\n<p>Window \(MarkupText.escape(context.window.from.apiText))"
        html += " to \(MarkupText.escape(context.window.to.apiText)) (end exclusive); "
        html += "\(context.reports.count) report(s); archive checkpoint size \(context.checkpointSize); "
        html += "made by \(MarkupText.escape(context.tool)) at \(MarkupText.escape(context.createdAt)). "
        html += "Every file of this bundle is listed with its SHA-256 in MANIFEST.json, which is signed; "
        html += "VERIFY.md tells how to check it without PathProof.</p>\n"
        html += legend()
        if context.reports.isEmpty {
            html += "<p>No archived report's window intersects the export window.</p>\n"
        }
        for (index, view) in context.reports {
            html += section(index: index, view: view)
        }
        for report in context.unrendered {
            html += "<section id=\"leaf-\(report.index)\"><h2>Leaf \(report.index): "
            html += "\(MarkupText.escape(report.verdict)) (not rendered)</h2><p>Exported and proved as is, but "
            html += "this PathProof cannot draw it: \(MarkupText.escape(report.reason))</p></section>\n"
        }
        html += "</body></html>\n"
        return html
    }

    private static func legend() -> String {
        var html = "<p class=\"legend\">Outcome: "
        for (outcome, colour) in TimelineSVG.outcomeColours {
            html += "<span><span class=\"swatch\" style=\"background:\(colour)\"></span>\(outcome)</span>"
        }
        html += "<span>&#x2715; blocked attempt</span> Lanes are routes.</p>\n"
        return html
    }

    private static func section(index: Int, view: ReportView) -> String {
        let report = view.analysis
        var html = "<section id=\"leaf-\(index)\"><h2>Leaf \(index): "
        html +=
            "<span class=\"verdict \(MarkupText.escape(view.verdict))\">\(MarkupText.escape(view.verdict))</span></h2>"
        html += "<p>Run <code>\(MarkupText.escape(view.runID))</code>; window "
        html += "\(MarkupText.escape(report.window.from)) to \(MarkupText.escape(report.window.to)); "
        html += "\(report.accesses) accesses, \(report.violations.count) violations, "
        html += "\(report.waivedViolations.count) waived, \(report.blockedAttempts.count) blocked attempts.</p>\n"
        html += TimelineSVG.render(report) + "\n"
        html += "<table><thead><tr><th>vault</th><th>accesses</th><th>proven</th><th>violated</th><th>waived</th>"
        html += "<th>undecided</th><th>log records</th><th>first seen</th><th>last seen</th>"
        html += "<th>hours logged</th><th>silences</th>"
        html += "</tr></thead><tbody>\n"
        for tally in VaultTally.tallies(report) {
            html += "<tr><td>\(MarkupText.escape(tally.vault))</td>"
            for number in [tally.accesses, tally.proven, tally.violated, tally.waived, tally.undecided, tally.records] {
                html += "<td class=\"n\">\(number)</td>"
            }
            html += "<td>\(MarkupText.escape(tally.firstSeen))</td><td>\(MarkupText.escape(tally.lastSeen))</td>"
            html += "<td class=\"n\">\(tally.hoursLogged)</td><td class=\"n\">\(tally.silences)</td></tr>\n"
        }
        html += "</tbody></table>\n"
        if !report.violations.isEmpty {
            html += "<h3>Violations</h3><table><thead><tr><th>time</th><th>vault</th><th>operation</th>"
            html += "<th>rule</th><th>caller</th><th>detail</th></tr></thead><tbody>\n"
            for violation in report.violations {
                let record = violation.record
                html += "<tr><td>\(MarkupText.escape(record.time))</td><td>\(MarkupText.escape(record.vault))</td>"
                html += "<td>\(MarkupText.escape(record.operation))</td>"
                html += "<td>\(MarkupText.escape(violation.rule.rawValue))</td>"
                html +=
                    "<td>\(MarkupText.escape(record.callerIp))</td>"
                    + "<td class=\"long\">\(MarkupText.escape(violation.detail))</td>"
                html += "</tr>\n"
            }
            html += "</tbody></table>\n"
        }
        if !report.unprovenReasons.isEmpty {
            html += "<h3>Why the evidence cannot decide</h3><ul>"
            html += report.unprovenReasons.map { "<li>\(MarkupText.escape($0))</li>" }.joined()
            html += "</ul>\n"
        }
        if !view.queries.isEmpty {
            html += "<h3>Queries</h3><table><thead><tr><th>file</th><th>table</th><th>rows</th>"
            html += "<th>KQL SHA-256</th><th>raw results (in reports/leaf-\(index)/)</th></tr></thead><tbody>\n"
            for query in view.queries {
                html += "<tr><td>\(MarkupText.escape(query.file))</td><td>\(MarkupText.escape(query.table))</td>"
                html += "<td class=\"n\">\(query.rows.map(String.init) ?? "not run")</td>"
                html += "<td><code>\(MarkupText.escape(query.sha256))</code></td><td>"
                html += query.resultFiles.map { "<code>\(MarkupText.escape($0))</code>" }.joined(separator: "<br>")
                html += "</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        html += "</section>\n"
        return html
    }
}
