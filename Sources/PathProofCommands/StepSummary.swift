/// The Markdown summary of a verification, for GitHub's step summary and Azure DevOps' uploadsummary.

import EvidenceAnalysis
import Foundation

enum StepSummary {
    /// GitHub aborts summaries over 1 MiB; listing stops well before that.
    static let maxListedItems = 200

    /// Markdown for `report`: verdict, counts, violations, blocked attempts and UNPROVEN reasons.
    static func markdown(_ report: Report, reportFile: String?) -> String {
        var lines = ["## PathProof: \(report.verdict.rawValue)", ""]
        lines.append(
            "Window \(escape(report.window.from)) to \(escape(report.window.to)): "
                + "\(report.accesses.counted("access", "accesses")), \(report.violations.count.counted("violation")), "
                + "\(report.blockedAttempts.count.counted("blocked attempt")).")
        if let reportFile {
            lines += ["", "Signed report: `\(reportFile.replacingOccurrences(of: "`", with: "'"))`"]
        }
        if !report.violations.isEmpty {
            lines += [
                "", "### Violations", "", "| time | vault | operation | rule | detail |",
                "| --- | --- | --- | --- | --- |",
            ]
            for violation in report.violations.prefix(maxListedItems) {
                let record = violation.record
                lines.append(
                    "| \(escape(record.time)) | \(escape(record.vault)) | \(escape(record.operation)) | "
                        + "\(escape(violation.rule.rawValue)) | \(escape(violation.detail)) |")
            }
            if report.violations.count > maxListedItems {
                lines += ["", "… and \(report.violations.count - maxListedItems) more in the report."]
            }
        }
        if !report.unprovenReasons.isEmpty {
            lines += ["", "### Why not proven", ""]
            lines += report.unprovenReasons.prefix(maxListedItems).map { "- \(escape($0))" }
        }
        if !report.blockedAttempts.isEmpty {
            lines += ["", "### Blocked attempts (not accesses)", ""]
            lines += report.blockedAttempts.prefix(maxListedItems).map {
                "- \(escape($0.record.time)) \(escape($0.record.vault)) \(escape($0.record.operation)): "
                    + escape($0.detail)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Neutralises Markdown and HTML in untrusted text: one line, special characters backslash-escaped.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\n", "\r", "\t": result.append(" ")
            case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "!", "|", "<", ">", "~":
                result.append("\\")
                result.append(character)
            default: result.append(character)
            }
        }
        return result
    }
}
