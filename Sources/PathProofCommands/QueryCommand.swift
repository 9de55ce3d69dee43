/// `pathproof query`: runs KQL on a workspace (or on nothing, for datatable/print queries).

import Foundation
import KQLEngine
import TableModel
import Workspace

enum QueryCommand {
    static let help = """
        USAGE: pathproof query [--workspace W] [--format table|json|csv|jsonl] [--from T] [--to T] \
        (QUERY | --file F.kql)

        Runs a KQL query with the embedded engine. W is a workspace file made by 'pathproof ingest',
        or exported log files and directories, read on the fly. Without --workspace only self-contained
        queries (datatable, print, range) can run. --from/--to restrict every table's TimeGenerated to
        [from, to), as the Log Analytics API's timespan does. --format json prints exactly the Log
        Analytics query API response body.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["workspace", "format", "file", "from", "to", "now"])
        let format = ResultFormat(
            rawValue: try parsed.choice("format", in: ResultFormat.allCases.map(\.rawValue), default: "table"))!
        let query = try QueryText.read(parsed)
        let window = try TimeWindowOptions.window(parsed)
        let now = try TimeWindowOptions.now(parsed)
        let tables: any TableProvider
        if parsed.all("workspace").isEmpty {
            tables = InMemoryTables()
        } else {
            tables = try WorkspaceLoader.open(parsed.all("workspace"), console: console).workspace
        }
        let result: [Table]
        do {
            result = try KQLEngine(tables: tables, now: now).run(query, window: window)
        } catch {
            throw .runtime(error.description)
        }
        console.write(ResultFormatter.render(result, as: format))
        return ExitCode.success
    }
}
