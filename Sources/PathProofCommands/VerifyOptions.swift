/// The options of `pathproof verify` (and `watch`), read once and validated.

import EvidenceAnalysis
import EvidenceSigning
import Foundation
import KQLEngine
import TableModel

/// Everything a verification run needs from the command line.
struct VerifyOptions {
    /// Value options `verify` accepts.
    static let valueOptions: Set<String> = [
        "workspace", "policy", "from", "to", "out", "archive", "key", "format", "now", "ci", "fail-on", "junit",
        "log-analytics", "endpoint", "cloud", "credential", "every", "on-worse", "runs",
        "late-horizon",
    ]
    /// Flag options `verify` accepts.
    static let flagOptions: Set<String> = ["since-last", "quiet", "verbose"]

    let workspaces: [String]
    let logAnalyticsWorkspace: String?
    let policyPath: String
    let policyBytes: [UInt8]
    let policy: ProofPolicy
    let format: String
    let window: ClosedOpenWindow?
    let fixedNow: DateTime?
    let outDirectory: String?
    let archivePath: String?
    let keyPath: String?
    let pipeline: PipelineKind
    /// `--format json` with `--ci auto`: stdout carries the report alone, so a pipeline can parse it;
    /// annotations (stdout commands) need an explicit `--ci`.
    let jsonOnlyOnStdout: Bool
    let failOnNewOnly: Bool
    let junitPath: String?
    let sinceLast: Bool
    /// With --since-last, how far back (ticks) earlier windows are re-read for late rows.
    let lateHorizon: Int64
    let quiet: Bool
    let verbose: Bool
    let parsed: Arguments

    init(_ arguments: [String], environment: [String: String]) throws(CLIError) {
        let parsed = try Arguments(arguments, valueOptions: Self.valueOptions, flagOptions: Self.flagOptions)
        self.parsed = parsed
        workspaces = parsed.all("workspace")
        logAnalyticsWorkspace = parsed.value("log-analytics")
        if workspaces.isEmpty && logAnalyticsWorkspace == nil {
            throw .usage("missing required option --workspace (or --log-analytics WORKSPACE_ID)")
        }
        if !workspaces.isEmpty && logAnalyticsWorkspace != nil {
            throw .usage("give either --workspace or --log-analytics, not both")
        }
        policyPath = try parsed.required("policy")
        format = try parsed.choice("format", in: ["text", "json"], default: "text")
        guard parsed.positionals.isEmpty else { throw .usage("unexpected argument '\(parsed.positionals[0])'") }
        window = try TimeWindowOptions.window(parsed)
        fixedNow = try parsed.value("now").map { text throws(CLIError) in
            try TimeWindowOptions.instant(text, option: "now")
        }
        outDirectory = parsed.value("out")
        archivePath = parsed.value("archive")
        keyPath = parsed.value("key")
        let ci = try parsed.choice("ci", in: ["github", "azure-devops", "auto", "none"], default: "auto")
        pipeline = PipelineKind.resolve(ci, environment: environment)
        jsonOnlyOnStdout = ci == "auto" && parsed.value("format") == "json"
        failOnNewOnly = try parsed.choice("fail-on", in: ["any", "new"], default: "any") == "new"
        junitPath = parsed.value("junit")
        sinceLast = parsed.has("since-last")
        lateHorizon = try WatchCommand.duration(parsed.value("late-horizon") ?? "2d", option: "late-horizon")
        quiet = parsed.has("quiet")
        verbose = parsed.has("verbose")
        if quiet && verbose { throw .usage("--quiet and --verbose cannot be combined") }
        if sinceLast && (parsed.value("to") != nil) {
            throw .usage("--since-last proves up to now minus the settle margin; --to cannot be given with it")
        }

        guard let bytes = FileManager.default.contents(atPath: policyPath) else {
            throw .runtime("cannot read the policy file \(policyPath): \(FileReadFailure.reason(policyPath))")
        }
        policyBytes = Array(bytes)
        do { policy = try ProofPolicy.load(path: policyPath) } catch { throw .runtime(error.description) }
    }

    /// The clock: `--now`, or the current time.
    var now: DateTime {
        fixedNow ?? KQLEngine.currentTime()
    }

    /// Identifies the series of reports this run continues: where the evidence lives and the
    /// SHA-256 of the policy's bytes, so two different policies (even with the same file name)
    /// never share a watermark, and an edited policy starts a series of its own.
    var seriesIdentity: String {
        SeriesIdentity.make(evidence: evidenceIdentity, policyDigest: sha256Hex(policyBytes))
    }

    /// The evidence part of the series identity: the Log Analytics workspace id, or the sorted
    /// absolute paths of the workspace files and log directories.
    var evidenceIdentity: String {
        if let logAnalyticsWorkspace { return "log-analytics:" + logAnalyticsWorkspace.lowercased() }
        return "files:"
            + workspaces.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted().joined(separator: "|")
    }
}

/// The text that names a series of reports in the archive (each report's `run.series`).
enum SeriesIdentity {
    /// The separator between the evidence and the policy digest.
    static let policyMarker = "#policy-sha256:"
    /// The separator earlier builds used, followed by the policy's file name only.
    static let legacyPolicyMarker = "#policy:"

    /// `evidence#policy-sha256:digest`.
    static func make(evidence: String, policyDigest: String) -> String {
        evidence + policyMarker + policyDigest.lowercased()
    }

    /// The current identity of a report's series: a legacy `evidence#policy:name` identity is
    /// re-keyed on the report's own `policyDigest`, so archives written by earlier builds continue
    /// the same series, and their reports for different policies part as they should.
    static func normalized(_ series: String, policyDigest: String?) -> String {
        guard !series.contains(policyMarker), let policyDigest,
            let marker = series.range(of: legacyPolicyMarker, options: .backwards)
        else { return series }
        return make(evidence: String(series[..<marker.lowerBound]), policyDigest: policyDigest)
    }
}
