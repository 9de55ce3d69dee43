/// `pathproof ingest`: reads exported Key Vault logs into a SQLite workspace.

import Foundation
import Workspace

enum IngestCommand {
    static let help = """
        USAGE: pathproof ingest --workspace W.sqlite FILE|DIR...

        Reads Key Vault audit records in their native shapes (PT1H.json JSON Lines and directory trees
        of them, {"records":[...]} envelopes, JSON arrays, AzureDiagnostics rows, saved Log Analytics
        query API responses) into the SQLite workspace W (created when absent), in tables shaped like
        Log Analytics' AzureDiagnostics and AZKVAuditLogs. A bad line is reported with its file and line
        number and the good lines are kept. A file ingested before is not read again, but the records
        refused when it was first ingested are reported again. Exit 0 when everything was read, 65 when
        something was refused, now or when a file given was first ingested.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["workspace"])
        let path = try parsed.required("workspace")
        guard !parsed.positionals.isEmpty else { throw .usage("give at least one FILE or DIR to ingest") }
        for input in parsed.positionals where !FileManager.default.fileExists(atPath: input) {
            throw .runtime("input \(input) does not exist")
        }
        let summary: IngestSummary
        do {
            let workspace = try Workspace(path: path)
            summary = try workspace.ingest(paths: parsed.positionals)
            _ = try workspace.refreshColumnSnapshot()
        } catch {
            throw .runtime(error.description)
        }
        console.print(describe(summary, workspace: path))
        for problem in summary.rejected { console.note("refused: \(problem.description)") }
        for problem in summary.rejectedBefore {
            console.note("refused when first ingested: \(problem.description)")
        }
        let refusedNothing = summary.rejected.isEmpty && summary.rejectedBefore.isEmpty
        return refusedNothing ? ExitCode.success : ExitCode.dataError
    }

    /// A count of files (new, already ingested, refused), then one line per table, for the terminal.
    ///
    /// A file counts as refused when it was refused whole or when every record of it was, in this
    /// run or when the same content was first ingested.
    static func describe(_ summary: IngestSummary, workspace: String) -> String {
        var duplicates = 0
        var refused = 0
        for file in summary.files {
            if file.isRefusedWhole {
                refused += 1
            } else if case .duplicate = file.outcome {
                duplicates += 1
            }
        }
        let fresh = summary.files.count - duplicates - refused
        var notes: [String] = []
        if duplicates > 0 { notes.append("\(duplicates) already ingested") }
        if refused > 0 { notes.append("\(refused) refused") }
        var lines = [
            "ingested \(fresh) new of \(summary.files.count.counted("file")) into \(workspace)"
                + (notes.isEmpty ? "" : ": " + notes.joined(separator: ", "))
        ]
        for (table, rows) in summary.rowsPerTable.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(table): \(rows) row(s)")
        }
        for incomplete in summary.incompleteEvidence {
            lines.append("  incomplete evidence: \(incomplete.description)")
        }
        for warning in summary.warnings {
            lines.append("  warning: \(warning.description)")
        }
        return lines.joined(separator: "\n")
    }
}
