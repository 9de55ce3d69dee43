/// findings.ocsf.ndjson: OCSF 1.5.0 Compliance Finding events (class 2003), one JSON object a line.

import EvidenceAnalysis
import EvidenceSigning
import TableModel

/// Renders OCSF Compliance Findings: one per vault and report (the control's result) and one per
/// violation, waived or not. `finding_info.uid` is stable across runs for the same vault or event,
/// so a SIEM can follow a finding's state.
enum OCSFFindings {
    /// The OCSF schema version the events follow (the version py-ocsf-models validates).
    static let schemaVersion = "1.5.0"
    /// The control every finding is about.
    static let control = "PATHPROOF-KV-PRIVATE-PATH"

    static func render(_ context: RenderContext) throws(ExportError) -> String {
        var lines: [String] = []
        for (_, view) in context.reports {
            let report = view.analysis
            let windowEnd = TimeText.parse(report.window.to) ?? context.window.to
            for tally in VaultTally.tallies(report) {
                lines.append(try encode(vaultFinding(tally, view: view, time: windowEnd, tool: context.tool)))
            }
            for violation in report.violations {
                lines.append(try encode(violationFinding(violation, waived: false, view: view, tool: context.tool)))
            }
            for violation in report.waivedViolations {
                lines.append(try encode(violationFinding(violation, waived: true, view: view, tool: context.tool)))
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func vaultFinding(_ tally: VaultTally, view: ReportView, time: DateTime, tool: String) -> Dynamic {
        let report = view.analysis
        let (statusID, status): (Int64, String)
        if tally.violated > 0 {
            (statusID, status) = (3, "Fail")
        } else if report.verdict == .proven || (report.unprovenReasons.isEmpty && tally.undecided == 0) {
            (statusID, status) = (1, "Pass")
        } else {
            (statusID, status) = (2, "Warning")
        }
        let severity: (Int64, String) =
            statusID == 3 ? (4, "High") : statusID == 2 ? (3, "Medium") : (1, "Informational")
        let message =
            "\(tally.vault): \(tally.accesses) key accesses, \(tally.proven) proven, \(tally.violated) violated, "
            + "\(tally.undecided) undecided; report verdict \(view.verdict)"
        var event = base(time: time, severity: severity, message: message, runID: view.runID, tool: tool)
        event["status_id"] = .long(1)
        event["status"] = .string("New")
        event["finding_info"] = .object([
            "uid": .string(sha256Hex(Array("vault|\(tally.vault)|\(control)".utf8))),
            "title": .string("Key Vault key access took the private path: \(tally.vault)"),
            "desc": .string(message),
            "types": .array([.string("vault")]),
        ])
        event["compliance"] = compliance(statusID: statusID, status: status, requirements: [], detail: message)
        event["resources"] = .array([.object(["name": .string(tally.vault), "type": .string("Key Vault")])])
        return .object(event)
    }

    private static func violationFinding(_ violation: Violation, waived: Bool, view: ReportView, tool: String)
        -> Dynamic
    {
        let record = violation.record
        let time = TimeText.parse(record.time) ?? DateTime(ticks: DateTime.unixEpochTicks)
        let message =
            "\(violation.rule.rawValue): \(record.vault) \(record.operation) at \(record.time): \(violation.detail)"
        var event = base(
            time: time, severity: waived ? (2, "Low") : (4, "High"), message: message, runID: view.runID, tool: tool)
        event["status_id"] = .long(waived ? 3 : 1)
        event["status"] = .string(waived ? "Suppressed" : "New")
        let identity = "\(violation.rule.rawValue)|\(record.vault.lowercased())|\(record.correlationId)|\(record.time)"
        event["finding_info"] = .object([
            "uid": .string(sha256Hex(Array(identity.utf8))),
            "title": .string("\(violation.rule.rawValue) on \(record.vault)"),
            "desc": .string(violation.detail),
            "types": .array([.string(violation.rule.rawValue)]),
            "first_seen_time": .long(TimeText.unixMilliseconds(time)),
            "last_seen_time": .long(TimeText.unixMilliseconds(time)),
            "data_sources": .array([.string(record.sourceTable)]),
        ])
        event["compliance"] = compliance(
            statusID: 3, status: "Fail", requirements: [violation.rule.rawValue], detail: violation.detail)
        event["resources"] = .array([
            .object([
                "uid": .string(record.resourceId), "name": .string(record.vault), "type": .string("Key Vault"),
            ])
        ])
        event["unmapped"] = .object([
            "operation": .string(record.operation), "caller_ip": .string(record.callerIp),
            "correlation_id": .string(record.correlationId), "route": .string(record.route.rawValue),
            "waiver": violation.waiver.map { .string($0) } ?? .null,
        ])
        return .object(event)
    }

    private static func base(
        time: DateTime, severity: (Int64, String), message: String, runID: String, tool: String
    ) -> [String: Dynamic] {
        let version = tool.split(separator: " ").last.map(String.init) ?? tool
        return [
            "activity_id": .long(1), "activity_name": .string("Create"),
            "category_uid": .long(2), "category_name": .string("Findings"),
            "class_uid": .long(2003), "class_name": .string("Compliance Finding"),
            "type_uid": .long(200_301), "type_name": .string("Compliance Finding: Create"),
            "severity_id": .long(severity.0), "severity": .string(severity.1),
            "time": .long(TimeText.unixMilliseconds(time)),
            "message": .string(message),
            "metadata": .object([
                "version": .string(schemaVersion),
                "correlation_uid": .string(runID),
                "product": .object([
                    "name": .string("PathProof"), "vendor_name": .string("PathProof"), "version": .string(version),
                ]),
            ]),
        ]
    }

    private static func compliance(statusID: Int64, status: String, requirements: [String], detail: String)
        -> Dynamic
    {
        .object([
            "standards": .array([.string("PathProof private key path")]),
            "control": .string(control),
            "requirements": .array(requirements.map { .string($0) }),
            "status_id": .long(statusID),
            "status": .string(status),
            "desc": .string(detail),
        ])
    }

    private static func encode(_ event: Dynamic) throws(ExportError) -> String {
        do {
            return try CanonicalJSON.string(event)
        } catch {
            throw .signing("cannot write an OCSF finding: \(error)")
        }
    }
}
