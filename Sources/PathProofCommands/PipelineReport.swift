/// What `verify` tells a CI pipeline: annotations, the Markdown step summary and a JUnit file.

import EvidenceAnalysis
import EvidenceExport
import Foundation
import TableModel

enum PipelineReport {
    /// GitHub shows only about ten annotations of a kind per step; the rest is in the summary.
    static let maxAnnotations = 20

    /// Annotation lines for the verdict, each violation, each UNPROVEN reason and each late finding.
    ///
    /// A violation that fails the step is an error: with `--fail-on any` every one, with
    /// `--fail-on new` (`failOnNewOnly`) those the series' previous report did not have; the
    /// persistent ones are then warnings, and so is the verdict when nothing new fails the step.
    static func annotations(_ report: Report, kind: PipelineKind, comparison: Comparison, failOnNewOnly: Bool)
        -> [String]
    {
        guard kind != .none else { return [] }
        var lines: [String] = []
        func add(_ level: AnnotationLevel, _ title: String, _ message: String) {
            if let line = PipelineAnnotations.line(kind, level: level, title: title, message: message) {
                lines.append(line)
            }
        }
        for violation in report.violations.prefix(maxAnnotations) {
            let record = violation.record
            let failsStep =
                !failOnNewOnly || comparison.newViolations.contains(ViolationKey.key(violationJSON(violation)))
            add(
                failsStep ? .error : .warning, "PathProof \(violation.rule.rawValue)",
                "\(record.time) \(record.vault) \(record.operation): \(violation.detail)")
        }
        for reason in report.unprovenReasons.prefix(maxAnnotations) {
            add(.warning, "PathProof UNPROVEN", reason)
        }
        for finding in comparison.lateFindings.prefix(maxAnnotations) {
            add(.error, "PathProof late finding", finding)
        }
        let verdictLevel: AnnotationLevel
        if report.verdict == .proven {
            verdictLevel = .notice
        } else {
            verdictLevel = failOnNewOnly && !comparison.hasNew ? .warning : .error
        }
        add(
            verdictLevel, "PathProof \(report.verdict.rawValue)",
            "\(report.accesses.counted("access", "accesses")), \(report.violations.count.counted("violation")), "
                + "\(report.unprovenReasons.count.counted("UNPROVEN reason")), "
                + "window \(report.window.from) to \(report.window.to)"
        )
        return lines
    }

    static func violationJSON(_ violation: Violation) -> Dynamic {
        let encoder = JSONEncoder()
        guard let data = try? encoder.encode(violation), let value = try? JSONParser.parse(bytes: Array(data)) else {
            return .null
        }
        return value
    }

    /// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY` (GitHub), or writes it to a file and asks
    /// Azure DevOps to upload it.
    static func writeSummary(
        _ report: Report, kind: PipelineKind, environment: [String: String], reportFile: String?, console: Console
    ) throws(CLIError) {
        let markdown = StepSummary.markdown(report, reportFile: reportFile)
        switch kind {
        case .github:
            guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
            try append(markdown, to: path)
        case .azureDevOps:
            let directory = environment["AGENT_TEMPDIRECTORY"] ?? FileManager.default.temporaryDirectory.path
            let path = (directory as NSString).appendingPathComponent("pathproof-summary-\(UUID().uuidString).md")
            try append(markdown, to: path)
            console.print("##vso[task.uploadsummary]\(PipelineAnnotations.azureData(path))")
        case .none:
            return
        }
    }

    private static func append(_ text: String, to path: String) throws(CLIError) {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw .runtime("cannot write the pipeline summary \(path)")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }

    /// Writes JUnit XML: per vault one test case per check (perimeter claim, enterprise-policy identity,
    /// network route, and caller tenant and vault configuration when `policy` enforces them, then
    /// evidence completeness); violations are failures, a check the evidence could not make is skipped
    /// with the reason, UNPROVEN reasons skip evidence completeness ("inconclusive") — the exit code,
    /// not the test reporter, gates the pipeline.
    static func writeJUnit(_ report: Report, policy: ProofPolicy?, to path: String) throws(CLIError) {
        let data = Data(junit(report, policy: policy).utf8)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .runtime("cannot write the JUnit file \(path): \(error.localizedDescription)")
        }
    }

    /// The JUnit check a rule's violations fail.
    static func check(for rule: ViolationRule) -> String {
        switch rule {
        case .perimeterClaimAbsent, .perimeterClaimEmpty, .perimeterClaimUnparsable, .perimeterNotExpected:
            return "perimeter claim"
        case .enterprisePolicyClaimAbsent, .enterprisePolicyUnexpected, .objectIdUnexpected:
            return "enterprise-policy identity"
        case .routeNotAccepted, .perimeterLogContradicts: return "network route"
        case .callerTenantUnexpected: return "caller tenant"
        case .publicNetworkAccessEnabled: return "vault configuration"
        }
    }

    /// The JUnit document for `report`. Every violation fails the test case of its rule's check: a
    /// check the policy does not list (or a rule `check(for:)` maps to a new check) still gets a
    /// test case of its own when a violation names it, so no violation is left out.
    static func junit(_ report: Report, policy: ProofPolicy? = nil) -> String {
        var checks = ["perimeter claim", "enterprise-policy identity", "network route"]
        if policy?.tenantId != nil { checks.append("caller tenant") }
        if policy?.requirePublicNetworkAccessDisabled == true { checks.append("vault configuration") }
        for violation in report.violations where !checks.contains(check(for: violation.rule)) {
            checks.append(check(for: violation.rule))
        }
        var vaults = Set(report.counts.byVault.keys)
        vaults.formUnion(report.violations.map { $0.record.vault.lowercased() })
        if vaults.isEmpty { vaults = ["(no vault)"] }
        var cases: [String] = []
        var failures = 0
        var skipped = 0
        for vault in vaults.sorted() {
            for check in checks {
                let broken = report.violations.filter {
                    $0.record.vault.lowercased() == vault && Self.check(for: $0.rule) == check
                }
                var body = ""
                if !broken.isEmpty {
                    failures += 1
                    let text = broken.map { "\($0.record.time) \($0.record.operation): \($0.detail)" }
                        .joined(separator: "\n")
                    body =
                        "<failure message=\"\(xml("\(broken.count) violation(s)"))\" type=\"violation\">"
                        + xml(text) + "</failure>"
                } else if let reason = undecided(check, vault: vault, in: report) {
                    skipped += 1
                    body = "<skipped message=\"\(xml(reason))\"/>"
                }
                cases.append(
                    "<testcase classname=\"pathproof.\(xml(vault))\" name=\"\(xml(check))\" time=\"0\">"
                        + "\(body)</testcase>"
                )
            }
            var completeness = ""
            if !report.unprovenReasons.isEmpty {
                skipped += 1
                completeness =
                    "<skipped message=\"\(xml("inconclusive: " + report.unprovenReasons.joined(separator: "; ")))\"/>"
            }
            cases.append(
                "<testcase classname=\"pathproof.\(xml(vault))\" name=\"evidence completeness\" time=\"0\">"
                    + "\(completeness)</testcase>")
        }
        let header =
            "<testsuite name=\"pathproof\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" "
            + "skipped=\"\(skipped)\" time=\"0\" timestamp=\"\(xml(report.generatedAt))\">"
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n" + header + "\n"
            + cases.joined(separator: "\n") + "\n</testsuite>\n</testsuites>\n"
    }

    /// Why `check` could not be made for `vault` (its lower-case name), or `nil` when it was made for
    /// every access. An access check is undecided when some access left it open (a claim column
    /// absent, a route no field decides) or when the vault has no access to check; the vault
    /// configuration check when an UNPROVEN reason of the vault says its setting was not confirmed.
    static func undecided(_ check: String, vault: String, in report: Report) -> String? {
        if let accessCheck = AccessDecision.Check(rawValue: check) {
            let decisions = report.decisions.filter { $0.vault.lowercased() == vault }
            guard !decisions.isEmpty else { return "not checked: no access in the window" }
            var reasons: [String: Int] = [:]
            for decision in decisions {
                let open = Set(decision.undecidedReasons.filter { $0.check == accessCheck }.map(\.reason))
                for reason in open { reasons[reason, default: 0] += 1 }
            }
            guard !reasons.isEmpty else { return nil }
            let total = decisions.count.counted("access", "accesses")
            return "undecided: "
                + reasons.sorted { $0.key < $1.key }.map { "\($0.value) of \(total): \($0.key)" }
                .joined(separator: "; ")
        }
        if check == "vault configuration" {
            let open = report.unprovenReasons.filter { $0.lowercased().hasPrefix("vault \(vault): ") }
            return open.isEmpty ? nil : "undecided: " + open.joined(separator: "; ")
        }
        return nil
    }

    /// Escapes text for XML attributes and content (the export bundle's escaping).
    static func xml(_ text: String) -> String { MarkupText.escape(text) }
}
