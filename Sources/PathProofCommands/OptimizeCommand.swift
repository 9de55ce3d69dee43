/// `pathproof optimize`: brings a workspace's column snapshot up to date.

import Foundation
import Workspace

enum OptimizeCommand {
    static let help = """
        USAGE: pathproof optimize --workspace W.sqlite... [--rebuild]

        Packs the workspace's rows column by column into its column snapshot, so queries read only the
        columns they use instead of whole rows. `pathproof ingest` does this after every run; use
        optimize for a workspace written by other tools, and --rebuild to pack every row again. Query
        results are the same with or without it: rows the snapshot does not cover are read from SQLite.
        Repeat --workspace to optimize several, one after the other. Exit 0 when done, 3 on a runtime
        error.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["workspace"], flagOptions: ["rebuild"])
        let paths = parsed.all("workspace")
        guard !paths.isEmpty else { throw .usage("missing required option --workspace") }
        guard parsed.positionals.isEmpty else { throw .usage("optimize takes no positional arguments") }
        for path in paths {
            let refreshed: [ColumnSnapshotRefresh]
            do {
                let workspace = try Workspace(existingPath: path)
                refreshed = try workspace.refreshColumnSnapshot(rebuild: parsed.has("rebuild"))
            } catch {
                throw .runtime(error.description)
            }
            // With several workspaces, each one's lines follow its name.
            let indent = paths.count > 1 ? "  " : ""
            if paths.count > 1 && !refreshed.isEmpty { console.print("\(path):") }
            if refreshed.isEmpty { console.print("\(path) has no tables yet") }
            for table in refreshed {
                console.print(
                    "\(indent)\(table.table): packed \(table.packedRows.counted("row")), "
                        + "\(table.coveredRows.counted("row")) in the column snapshot")
            }
        }
        return ExitCode.success
    }
}
