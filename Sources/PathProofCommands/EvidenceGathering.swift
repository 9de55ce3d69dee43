/// Gathering evidence: running the shipped queries where the logs are, for the analyzer.

import EvidenceAnalysis
import Foundation
import KQLEngine
import TableModel
import Workspace

/// What the evidence queries returned, and how each ran.
struct GatheredEvidence {
    var sources: [EvidenceSource] = []
    var runs: [QueryRun] = []
    /// Where the evidence came from, for the report.
    var description = ""
}

/// Runs the evidence queries somewhere: on the embedded engine or in Log Analytics.
protocol EvidenceGatherer {
    /// Runs every query of `EvidenceQuery.all` over `window`; with `keep`, each query's answer is also
    /// written there as a raw result file (``QueryRun/results``).
    func gather(window: ClosedOpenWindow?, now: DateTime, progress: Progress, keep: RawResultBatch?)
        throws(CLIError) -> GatheredEvidence
}

/// Evidence from a local workspace file or exported logs read on the fly.
struct LocalEvidence: EvidenceGatherer {
    let inputs: [String]
    let queriesDirectory: String
    let console: Console

    func gather(window: ClosedOpenWindow?, now: DateTime, progress: Progress, keep: RawResultBatch?)
        throws(CLIError) -> GatheredEvidence
    {
        progress.phase("reading evidence")
        let loaded = try WorkspaceLoader.open(inputs, console: console)
        var gathered = GatheredEvidence(description: loaded.description)
        var generalReasons = try loaded.incompleteEvidence().map(\.description)
        generalReasons += loaded.ingestProblems.map { "an input record could not be read: \($0)" }
        for query in EvidenceQuery.all {
            progress.phase("running \(query.fileName)")
            let text = try query.text(queriesDirectory: queriesDirectory)
            let schema: [Column]?
            do { schema = try loaded.workspace.schema(of: query.table) } catch {
                throw .runtime("cannot read the schema of \(query.table): \(error)")
            }
            guard let schema else {
                progress.detail("  \(query.fileName): table \(query.table) absent")
                if query.role != .perimeterAccess { gathered.sources.append(query.absentSource()) }
                gathered.runs.append(
                    QueryRun(query: query, text: text, rows: nil, note: "table absent", results: []))
                continue
            }
            let present = Set(schema.map(\.name))
            let tables: [Table]
            do {
                tables = try KQLEngine(tables: loaded.workspace, now: now).run(text, window: window)
            } catch {
                throw .runtime("the query \(query.fileName) failed on \(query.table): \(error.description)")
            }
            let rows = tables.first ?? Table(columns: [])
            progress.rows(rows.rows.count)
            progress.detail(
                "  \(query.fileName) on \(query.table): \(rows.rows.count) rows, \(rows.columns.count) columns")
            gathered.sources.append(
                EvidenceSource(
                    table: query.table, rows: rows, role: query.role,
                    missingColumns: query.neededColumns.filter { !present.contains($0) },
                    incompleteReasons: generalReasons))
            // Workspace-wide reasons are stated once, on the first source that ran.
            generalReasons = []
            let results = try keep.map { batch throws(CLIError) in [try batch.write(tables, for: query)] } ?? []
            gathered.runs.append(
                QueryRun(query: query, text: text, rows: rows.rows.count, note: nil, results: results))
        }
        return gathered
    }
}

extension EvidenceQuery {
    /// The source for a table that does not exist (it never received data).
    func absentSource() -> EvidenceSource {
        EvidenceSource(
            table: table, rows: Table(columns: []), role: role,
            absentReason: "table \(table) does not exist in the workspace (it never received data)")
    }
}
