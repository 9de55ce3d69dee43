/// `pathproof verify`: the main job — gather evidence, decide the verdict, sign and archive the report.

import EvidenceAnalysis
import Foundation
import KQLEngine
import TableModel

enum VerifyCommand {
    static let help = """
        USAGE: pathproof verify (--workspace W | --log-analytics WORKSPACE_ID) --policy P [--from T] [--to T] \
        [--since-last [--late-horizon D]] [--out DIR] [--archive A] [--key K] [--format text|json] [--now T] \
        [--ci github|azure-devops|auto|none] [--fail-on any|new] [--junit FILE] [--on-worse CMD] \
        [--quiet | --verbose]

        Proves or refutes that every Key Vault key access in the window took the private path the proof
        policy P describes, and exits 0 PROVEN, 1 VIOLATED or 2 UNPROVEN (3 runtime error, 64 usage).

        Evidence:
          --workspace W        a workspace file made by 'pathproof ingest', or exported log files and
                               directories read on the fly (repeat for several)
          --log-analytics ID   run the same queries in a Log Analytics workspace (see 'pathproof query
                               --help' for --endpoint, --cloud, --credential)
          --from T, --to T     the window [from, to) on TimeGenerated, ISO 8601 (no zone = UTC)
          --since-last         prove from the archive's watermark for this evidence and policy up to now
                               minus the policy's settle margin; re-check earlier windows for rows
                               that arrived late. The first run needs --from
          --late-horizon D     how far back windows are re-read for rows that arrive late (default 2d:
                               Azure Monitor rewrites older event times to the time of receipt)
          --now T              fix the clock (reproducible runs)
        Outputs:
          --format text|json   a short summary, or the report itself, on stdout
          --out DIR            also write DIR/report.json, DIR/report.dsse.json and the raw query results
                               DIR/results/*.json (query API response format) the signature covers
          --archive A          the tamper-evident archive (default archive.sqlite in the PathProof home,
                               $PATHPROOF_HOME or ~/.pathproof); every report is appended
          --key K              PKCS#8 private key PEM; default the PathProof home key, created on first use
          --junit FILE         a JUnit XML file for pipeline test reporters
        Pipelines:
          --ci KIND            annotations for github or azure-devops; auto detects GITHUB_ACTIONS/TF_BUILD.
                               On GitHub a Markdown summary is appended to $GITHUB_STEP_SUMMARY
          --fail-on any|new    new: exit non-zero only for violations and UNPROVEN reasons absent from the
                               series' previous report in the archive
          --on-worse CMD       run CMD (through /bin/sh) when the result is worse than the previous one
          --quiet, --verbose   no progress at all, or progress and details even when not on a terminal
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let options = try VerifyOptions(arguments, environment: environment)
        return try VerificationRun(options: options, environment: environment, console: console)
            .execute(now: options.now).exitCode
    }
}

/// The outcome of one verification run.
struct VerificationOutcome {
    let exitCode: Int32
    /// Whether the result is worse than the previous report of the series.
    let worse: Bool
    /// The report's verdict, and whether the series had no earlier report to compare it with.
    var verdict: Verdict?
    var firstOfSeries = false
}

/// One verification: gather, analyse, seal, report.
struct VerificationRun {
    let options: VerifyOptions
    let environment: [String: String]
    let console: Console
    /// Whether a `--since-last` run notes a `--from` that the watermark overrides; `watch` says it
    /// once, not on every run.
    var notesIgnoredFrom = true

    var progress: Progress {
        Progress.forCommand(console: console, quiet: options.quiet, verbose: options.verbose)
    }

    func gatherer(staging: RawResultStaging?) throws(CLIError) -> any EvidenceGatherer {
        let queries = EvidenceQuery.directory(environment: environment)
        if let workspaceID = options.logAnalyticsWorkspace {
            return try RemoteEvidence(
                workspaceID: workspaceID, options: options.parsed, environment: environment,
                queriesDirectory: queries, staging: staging)
        }
        return LocalEvidence(inputs: options.workspaces, queriesDirectory: queries, console: console)
    }

    func execute(now: DateTime) throws(CLIError) -> VerificationOutcome {
        let progress = self.progress
        defer { progress.finish() }
        let archivePath = options.archivePath ?? PathProofHome(environment: environment).archivePath
        let series = options.seriesIdentity
        var lock: ScheduledRunLock?
        if options.sinceLast {
            if options.archivePath == nil { try PathProofHome(environment: environment).create() }
            lock = try ScheduledRunLock(archivePath: archivePath)
        }
        defer { lock?.release() }
        let history = try ScheduledProof.history(archivePath: archivePath, series: series)
        let previous = history.last
        let schedule = ScheduledProof.schedule(history)

        var window = options.window
        if options.sinceLast {
            window = try scheduledWindow(schedule: schedule, history: history, archivePath: archivePath, now: now)
            guard window != nil else { return VerificationOutcome(exitCode: ExitCode.success, worse: false) }
        }

        progress.detail(
            "window: " + (window.map { "\($0.from.apiText) to \($0.to.apiText)" } ?? "all evidence") + "; series "
                + series)
        // Raw results wait in a private scratch directory until the report that names them is sealed.
        let staging = try RawResultStaging()
        defer { staging.cleanUp() }
        let gatherer = try gatherer(staging: staging)
        let gathered = try gatherer.gather(window: window, now: now, progress: progress, keep: try staging.newBatch())
        progress.phase("analysing")
        let analysis = Analyzer(policy: options.policy).analyze(
            sources: gathered.sources, window: window.map { ($0.from, $0.to) }, now: now)

        progress.detail(
            "analysis: \(analysis.accesses) access(es), \(analysis.violations.count) violation(s), "
                + "\(analysis.unprovenReasons.count) UNPROVEN reason(s): \(analysis.verdict.rawValue)")
        var late: [(arrival: LateArrival, findings: [String])] = []
        if options.sinceLast {
            late = try LateArrivalCheck(policy: options.policy, horizon: options.lateHorizon).run(
                history: schedule, gatherer: gatherer, now: now, progress: progress)
        }
        let lateFindings = late.flatMap(\.findings)
        let currentWindow = (
            from: DateTime(iso8601: analysis.window.from) ?? now, to: DateTime(iso8601: analysis.window.to) ?? now
        )
        // Continuity belongs to a schedule: a manual --from/--to window says nothing about the
        // windows around it, so only a --since-last run states it, over scheduled windows only
        // (as `archive history` does).
        let provenSince =
            options.sinceLast
            ? ScheduledProof.provenSince(
                history.filter(\.scheduled), current: (currentWindow.from, currentWindow.to, analysis.verdict.rawValue),
                lateArrivals: late.map(\.arrival)) : nil
        var report = try ReportDocument.make(
            analysis: analysis, policyPath: options.policyPath, policyBytes: options.policyBytes,
            evidence: gathered.description, window: window, now: now, queries: gathered.runs, series: series,
            provenSince: provenSince, lateFindings: lateFindings, policy: options.policy,
            previous: ScheduledProof.lastAppended(history))
        if options.sinceLast, case .object(var document) = report {
            // What later runs add to each window's count, so a late row is reported only once; its
            // presence also marks the report as part of the schedule (`ScheduledProof.schedule`).
            document["lateArrivals"] = .array(late.map(\.arrival.json))
            report = .object(document)
        }

        progress.phase("signing and archiving")
        let sealed = try ReportSealer(environment: environment, console: console).seal(
            report, results: gathered.runs.flatMap(\.results), policyPath: options.policyPath,
            policyBytes: options.policyBytes, keyPath: options.keyPath, archivePath: archivePath,
            outDirectory: options.outDirectory)

        progress.detail(
            "sealed: report sha256 \(sealed.reportDigest), key \(sealed.keyID), archive entry \(sealed.archiveIndex)")
        let comparison = Comparison(analysis: analysis, report: report, previous: previous, lateFindings: lateFindings)
        try publish(analysis: analysis, sealed: sealed, comparison: comparison, provenSince: provenSince)
        var exitCode: Int32
        switch analysis.verdict {
        case .proven: exitCode = ExitCode.success
        case .violated: exitCode = ExitCode.violated
        case .unproven: exitCode = ExitCode.unproven
        }
        if options.failOnNewOnly && !comparison.hasNew { exitCode = ExitCode.success }
        if !lateFindings.isEmpty && exitCode == ExitCode.success { exitCode = ExitCode.violated }
        if comparison.worse, let hook = options.parsed.value("on-worse") {
            runHook(hook, analysis: analysis, sealed: sealed)
        }
        return VerificationOutcome(
            exitCode: exitCode, worse: comparison.worse, verdict: analysis.verdict, firstOfSeries: previous == nil)
    }

    /// The window a `--since-last` run proves: from the schedule's watermark (or `--from` for the
    /// first window) to now minus the settle margin; `nil` when nothing new has settled yet.
    ///
    /// A `--from` that differs from the watermark is ignored with a note when it is earlier (those
    /// windows are proven already) and refused when it is later (it would leave a gap). A schedule
    /// that would start after now minus the settle margin is an error, never a silent success.
    private func scheduledWindow(schedule: [PastReport], history: [PastReport], archivePath: String, now: DateTime)
        throws(CLIError) -> ClosedOpenWindow?
    {
        let settle = Int64(options.policy.settleMarginMinutes) * 60 * DateTime.ticksPerSecond
        let end = DateTime(ticks: now.ticks - settle)
        let requested = options.window?.from
        let start: DateTime
        if let watermark = ScheduledProof.watermark(schedule) {
            if let requested, requested > watermark {
                throw .usage(
                    "--from \(requested.apiText) is later than the schedule's watermark \(watermark.apiText) "
                        + "in \(archivePath): starting there would leave \(watermark.apiText) to "
                        + "\(requested.apiText) unproven; leave out --from to continue the schedule")
            }
            if let requested, requested < watermark, notesIgnoredFrom {
                console.note(
                    "note: --from \(requested.apiText) ignored: the schedule continues from its watermark "
                        + "\(watermark.apiText) (the windows before it are proven already)")
            }
            start = watermark
        } else if let requested {
            start = requested
        } else {
            let unsettled = history.filter { !$0.settled }.count
            let why =
                unsettled == 0
                ? ""
                : "; \(unsettled) manual report(s) of it ran past their clock minus the settle margin (no --to, "
                    + "or a --to in the future) and cannot start a schedule"
            throw .usage(
                "no earlier report for this evidence and policy in \(archivePath)\(why); give --from for the first "
                    + "window (a changed policy file starts a series of its own)")
        }
        if start > end {
            throw .runtime(
                "the schedule would start at \(start.apiText), after now minus the settle margin "
                    + "(\(end.apiText)): an earlier report of it (or --from) lies in the future, perhaps from a "
                    + "--now or --to later than the clock. Nothing was proven; check the clock, wait until "
                    + "\(start.apiText) has settled, or start the schedule in another --archive")
        }
        guard start < end else {
            console.print(
                "nothing new to prove yet: the last window ended at \(start.apiText) and records settle until "
                    + "\(end.apiText)")
            return nil
        }
        return ClosedOpenWindow(from: start, to: end)
    }

    /// Prints the result and emits pipeline annotations, the step summary and the JUnit file.
    private func publish(analysis: Report, sealed: SealedReport, comparison: Comparison, provenSince: DateTime?)
        throws(CLIError)
    {
        if options.format == "json" {
            // The signed report.json stays canonical; the copy a CI runner reads has `##vso[` escaped.
            console.write(OutputGuard.json(String(decoding: sealed.reportBytes, as: UTF8.self)) + "\n")
        } else {
            // Log text in the summary and the findings must not act as CI commands (OutputGuard).
            let summary = OutputGuard.text(analysis.textSummary)
            console.write(summary.hasSuffix("\n") ? summary : summary + "\n")
            for finding in comparison.lateFindings { console.print(OutputGuard.line("late: \(finding)")) }
            if let provenSince { console.print("proven without a gap since \(provenSince.apiText)") }
            if !options.quiet {
                console.note(
                    "report \(sealed.reportDigest.prefix(16))… signed by key \(sealed.keyID.prefix(16))…, "
                        + "archived as entry \(sealed.archiveIndex) in \(sealed.archivePath)")
            }
        }
        // Annotations and Azure DevOps' summary upload are stdout commands: they follow the JSON only
        // when --ci asked for them; GitHub's step summary is a file and is always written.
        let stdoutCommands = !(options.jsonOnlyOnStdout && options.pipeline != .none)
        if !stdoutCommands {
            console.note("note: --format json keeps stdout to the report; give --ci to add annotations after it")
        }
        for line in PipelineReport.annotations(
            analysis, kind: stdoutCommands ? options.pipeline : .none, comparison: comparison,
            failOnNewOnly: options.failOnNewOnly)
        {
            console.print(line)
        }
        if stdoutCommands || options.pipeline == .github {
            try PipelineReport.writeSummary(
                analysis, kind: options.pipeline, environment: environment,
                reportFile: options.outDirectory.map {
                    ($0 as NSString).appendingPathComponent("report.json")
                }, console: console)
        }
        if let junitPath = options.junitPath {
            try PipelineReport.writeJUnit(analysis, policy: options.policy, to: junitPath)
        }
    }

    private func runHook(_ command: String, analysis: Report, sealed: SealedReport) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var hookEnvironment = ProcessInfo.processInfo.environment
        hookEnvironment["PATHPROOF_VERDICT"] = analysis.verdict.rawValue
        hookEnvironment["PATHPROOF_WINDOW_FROM"] = analysis.window.from
        hookEnvironment["PATHPROOF_WINDOW_TO"] = analysis.window.to
        hookEnvironment["PATHPROOF_ARCHIVE"] = sealed.archivePath
        hookEnvironment["PATHPROOF_ARCHIVE_INDEX"] = String(sealed.archiveIndex)
        process.environment = hookEnvironment
        do {
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                console.note("warning: the --on-worse command exited \(process.terminationStatus)")
            }
        } catch {
            console.note("warning: cannot run the --on-worse command: \(error.localizedDescription)")
        }
    }
}

/// How this run compares with the series' previous report.
struct Comparison {
    let newViolations: Set<String>
    let newReasons: [String]
    let lateFindings: [String]
    let previousVerdict: String?
    let verdict: String

    init(analysis: Report, report: Dynamic, previous: PastReport?, lateFindings: [String]) {
        let keys = ViolationKey.keys(inReportJSON: report)
        newViolations = keys.subtracting(previous?.violationKeys ?? [])
        let known = Set(previous?.unprovenReasons ?? [])
        newReasons = analysis.unprovenReasons.filter { !known.contains($0) }
        self.lateFindings = lateFindings
        previousVerdict = previous?.verdict
        verdict = analysis.verdict.rawValue
    }

    /// Something absent from the previous report: a violation, an UNPROVEN reason, a late finding.
    var hasNew: Bool { !newViolations.isEmpty || !newReasons.isEmpty || !lateFindings.isEmpty }

    /// A change for the worse: a new violation, a new UNPROVEN reason, or a late finding.
    var worse: Bool { hasNew && verdict != "PROVEN" || !lateFindings.isEmpty }
}
