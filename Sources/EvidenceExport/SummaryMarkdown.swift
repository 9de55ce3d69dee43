/// summary.md: a short Markdown account of each exported report for people and pull requests.

/// Renders summary.md.
enum SummaryMarkdown {
    static func render(_ context: RenderContext) -> String {
        var lines: [String] = [
            "# PathProof evidence export",
            "",
            "Window: \(context.window.from.apiText) to \(context.window.to.apiText) (end exclusive). "
                + "Reports: \(context.reports.count). Archive checkpoint size: \(context.checkpointSize). "
                + "Made by \(context.tool) at \(context.createdAt).",
            "",
        ]
        if context.reports.isEmpty {
            lines.append("No archived report's window intersects the export window.")
        }
        for (index, view) in context.reports {
            let report = view.analysis
            lines += [
                "## Leaf \(index): \(view.verdict)",
                "",
                "- run: `\(view.runID)`",
                "- window: \(report.window.from) to \(report.window.to)",
                "- accesses: \(report.accesses); violations: \(report.violations.count); "
                    + "waived: \(report.waivedViolations.count); blocked attempts: \(report.blockedAttempts.count)",
                "",
                "| vault | accesses | proven | violated | waived | undecided | log records | hours logged | silences |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for tally in VaultTally.tallies(report) {
                lines.append(
                    "| \(tally.vault) | \(tally.accesses) | \(tally.proven) | \(tally.violated) | \(tally.waived) "
                        + "| \(tally.undecided) | \(tally.records) | \(tally.hoursLogged) | \(tally.silences) |")
            }
            lines.append("")
            if !report.violations.isEmpty {
                lines.append("Violations:")
                for violation in report.violations {
                    let record = violation.record
                    lines.append(
                        "- `\(violation.rule.rawValue)` \(record.time) \(record.vault) \(record.operation) "
                            + "from \(record.callerIp): \(violation.detail)")
                }
                lines.append("")
            }
            if !report.unprovenReasons.isEmpty {
                lines.append("Why the evidence cannot decide (UNPROVEN reasons):")
                lines += report.unprovenReasons.map { "- \($0)" }
                lines.append("")
            }
        }
        for report in context.unrendered {
            lines += [
                "## Leaf \(report.index): \(report.verdict) (not rendered)", "",
                "Exported and proved as is, but not summarised: \(report.reason)", "",
            ]
        }
        lines.append("Check every file and signature as VERIFY.md says, without PathProof.")
        return lines.joined(separator: "\n") + "\n"
    }
}
