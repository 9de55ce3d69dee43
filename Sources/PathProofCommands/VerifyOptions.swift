/// The options of `pathproof verify` (and `watch`), read once and validated.

import EvidenceAnalysis
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
            throw .runtime("cannot read the policy file \(policyPath)")
        }
        policyBytes = Array(bytes)
        do { policy = try ProofPolicy.load(path: policyPath) } catch { throw .runtime(error.description) }
    }

    /// The clock: `--now`, or the current time.
    var now: DateTime {
        fixedNow ?? KQLEngine.currentTime()
    }

    /// Identifies the series of reports this run continues: the policy plus where the evidence lives.
    var seriesIdentity: String {
        let evidence: String
        if let logAnalyticsWorkspace {
            evidence = "log-analytics:" + logAnalyticsWorkspace.lowercased()
        } else {
            evidence =
                "files:"
                + workspaces.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted()
                .joined(separator: "|")
        }
        return evidence + "#policy:" + (policyPath as NSString).lastPathComponent
    }
}
