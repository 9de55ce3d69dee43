/// The short human summary of a report, for the terminal.

extension Report {
    /// The verdict line first, then counts, one line per violation and per UNPROVEN reason.
    public var textSummary: String {
        var lines: [String] = []
        let waivedText = waivedViolations.isEmpty ? "" : ", \(waivedViolations.count) waived"
        let attempts = blockedAttempts.count == 1 ? "attempt" : "attempts"
        let blockedText = blockedAttempts.isEmpty ? "" : ", \(blockedAttempts.count) blocked \(attempts)"
        lines.append(
            "\(verdict.rawValue): \(accesses) \(accesses == 1 ? "access" : "accesses"), "
                + "\(violations.count) \(violations.count == 1 ? "violation" : "violations")\(waivedText)"
                + blockedText)
        lines.append("window \(window.from) to \(window.to)\(window.given ? "" : " (from the evidence)")")
        if !counts.byDecision.isEmpty { lines.append("decisions: " + Report.format(counts.byDecision)) }
        if !counts.byVault.isEmpty { lines.append("by vault: " + Report.format(counts.byVault)) }
        if !counts.byOperation.isEmpty { lines.append("by operation: " + Report.format(counts.byOperation)) }
        if !counts.byRoute.isEmpty { lines.append("by route: " + Report.format(counts.byRoute)) }
        if !counts.bySourceTable.isEmpty { lines.append("served by: " + Report.format(counts.bySourceTable)) }
        if duplicates > 0 { lines.append("duplicates counted once: \(duplicates)") }
        for violation in violations {
            let record = violation.record
            lines.append(
                "violation \(violation.rule.rawValue): \(record.time) \(record.vault) \(record.operation) "
                    + "from \(record.callerIp.isEmpty ? "unknown IP" : record.callerIp) — \(violation.detail)")
        }
        for waived in waivedViolations {
            lines.append("waived by \(waived.waiver ?? "?"): \(waived.rule.rawValue) at \(waived.record.time)")
        }
        for attempt in blockedAttempts {
            let record = attempt.record
            lines.append("blocked \(attempt.kind): \(record.time) \(record.vault) \(attempt.detail)")
        }
        for section in configuration ?? [] {
            let seen = section.settings.map { "\($0.setting) \($0.value)" }.joined(separator: ", ")
            let silentEvents = section.eventsWithoutSettings ?? 0
            let silent =
                silentEvents == 0 ? "" : " (\(silentEvents) configuration event(s) showed none of the settings)"
            lines.append("configuration \(section.vault): \(seen.isEmpty ? section.status : seen)\(silent)")
        }
        for reason in unprovenReasons {
            lines.append("unproven: \(reason)")
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
