/// `pathproof verify`: the main job — gather evidence, decide the verdict, sign and archive the report.

import EvidenceAnalysis
import Foundation
import KQLEngine
import TableModel
import Workspace

enum VerifyCommand {
    static let help = """
        USAGE: pathproof verify --workspace W --policy P [--from T] [--to T] [--out DIR] [--archive A] \
        [--key K] [--format text|json] [--now T]

        Proves or refutes that every Key Vault key access in the window took the private path the proof
        policy P describes. W is a workspace file made by 'pathproof ingest', or exported log files and
        directories read on the fly (repeat --workspace for several). The shipped queries in Queries/
        run on the embedded KQL engine; the analyzer decides PROVEN (exit 0), VIOLATED (exit 1) or
        UNPROVEN (exit 2). The report is signed (DSSE envelope around an in-toto statement) and appended
        to the archive A (default: archive.sqlite in the PathProof home, $PATHPROOF_HOME or ~/.pathproof).
        With --out DIR it also writes DIR/report.json and DIR/report.dsse.json. K is a PKCS#8 private key
        PEM (see 'pathproof keys generate'); without it a key in the PathProof home is used, created on
        first use. --from/--to are ISO 8601 UTC times bounding [from, to); --now fixes the clock.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(
            arguments,
            valueOptions: ["workspace", "policy", "from", "to", "out", "archive", "key", "format", "now"])
        guard !parsed.all("workspace").isEmpty else { throw .usage("missing required option --workspace") }
        let policyPath = try parsed.required("policy")
        let format = try parsed.choice("format", in: ["text", "json"], default: "text")
        guard parsed.positionals.isEmpty else { throw .usage("unexpected argument '\(parsed.positionals[0])'") }
        let window = try TimeWindowOptions.window(parsed)
        let now = try TimeWindowOptions.now(parsed)

        let policyBytes = try readFile(policyPath, what: "policy")
        let policy: ProofPolicy
        do { policy = try ProofPolicy.load(path: policyPath) } catch { throw .runtime(error.description) }

        let loaded = try WorkspaceLoader.open(parsed.all("workspace"), console: console)
        let gathered = try gatherEvidence(
            from: loaded, window: window, now: now, environment: environment)

        let analysis = Analyzer(policy: policy).analyze(
            sources: gathered.sources, window: window.map { ($0.from, $0.to) }, now: now)
        let report = try ReportDocument.make(
            analysis: analysis, policyPath: policyPath, policyBytes: policyBytes, workspace: loaded.description,
            window: window, now: now, queries: gathered.runs)

        let sealed = try ReportSealer(environment: environment, console: console).seal(
            report, policyPath: policyPath, policyBytes: policyBytes, keyPath: parsed.value("key"),
            archivePath: parsed.value("archive"), outDirectory: parsed.value("out"))

        if format == "json" {
            console.write(String(decoding: sealed.reportBytes, as: UTF8.self) + "\n")
        } else {
            let summary = analysis.textSummary
            console.write(summary.hasSuffix("\n") ? summary : summary + "\n")
            console.note(
                "report \(sealed.reportDigest.prefix(16))… signed by key \(sealed.keyID.prefix(16))…, "
                    + "archived as entry \(sealed.archiveIndex) in \(sealed.archivePath)")
        }
        switch analysis.verdict {
        case .proven: return ExitCode.success
        case .violated: return ExitCode.violated
        case .unproven: return ExitCode.unproven
        }
    }

    static func readFile(_ path: String, what: String) throws(CLIError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .runtime("cannot read the \(what) file \(path)")
        }
        return Array(data)
    }

    /// What the evidence queries returned, and how each ran.
    struct GatheredEvidence {
        var sources: [EvidenceSource] = []
        var runs: [QueryRun] = []
    }

    /// Runs each shipped query whose table exists in the workspace.
    static func gatherEvidence(
        from loaded: LoadedWorkspace, window: ClosedOpenWindow?, now: DateTime, environment: [String: String]
    ) throws(CLIError) -> GatheredEvidence {
        let directory = EvidenceQuery.directory(environment: environment)
        var gathered = GatheredEvidence()
        let incomplete: [String]
        do {
            incomplete = try loaded.workspace.incompleteEvidence().map(\.description)
        } catch {
            throw .runtime("cannot read the workspace's record of incomplete evidence: \(error)")
        }
        var generalReasons = incomplete
        generalReasons += loaded.ingestProblems.map { "an input record could not be read: \($0)" }
        for query in EvidenceQuery.all {
            let text = try query.text(queriesDirectory: directory)
            let schema: [Column]?
            do { schema = try loaded.workspace.schema(of: query.table) } catch {
                throw .runtime("cannot read the schema of \(query.table): \(error)")
            }
            guard let schema else {
                let reason = "table \(query.table) does not exist in the workspace (it never received data)"
                gathered.sources.append(
                    EvidenceSource(
                        table: query.table, rows: Table(columns: []), role: query.role, absentReason: reason))
                gathered.runs.append(QueryRun(query: query, text: text, rows: nil, note: "table absent"))
                continue
            }
            let present = Set(schema.map(\.name))
            let missing = query.neededColumns.filter { !present.contains($0) }
            let tables: [Table]
            do {
                tables = try KQLEngine(tables: loaded.workspace, now: now).run(text, window: window)
            } catch {
                throw .runtime("the query \(query.fileName) failed on \(query.table): \(error.description)")
            }
            let rows = tables.first ?? Table(columns: [])
            gathered.sources.append(
                EvidenceSource(
                    table: query.table, rows: rows, role: query.role, missingColumns: missing,
                    incompleteReasons: generalReasons))
            // Workspace-wide reasons are stated once, on the first source that ran.
            generalReasons = []
            gathered.runs.append(QueryRun(query: query, text: text, rows: rows.rows.count, note: nil))
        }
        return gathered
    }
}
