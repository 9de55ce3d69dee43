/// `pathproof query`: runs KQL on a workspace (or on nothing, for datatable/print queries).

import Foundation
import KQLEngine
import LogAnalytics
import TableModel
import Workspace

enum QueryCommand {
    static let help = """
        USAGE: pathproof query [--workspace W | --log-analytics WORKSPACE_ID] [--format table|json|csv|jsonl] \
        [--from T] [--to T] [--now T] [--timing] (QUERY | --file F.kql)

        Runs a KQL query with the embedded engine. W is a workspace file made by 'pathproof ingest',
        or exported log files and directories, read on the fly. Without --workspace only self-contained
        queries (datatable, print, range) can run. --from/--to restrict every table's TimeGenerated to
        [from, to), as the Log Analytics API's timespan does. --format json prints exactly the Log
        Analytics query API response body; --format table shortens cells to 60 characters (use csv,
        json or jsonl for whole values). --now fixes the instant the embedded engine's now() and ago()
        use (default: the current time). --timing prints to standard error how long opening the workspace, running the
        query and writing the result took.

        When the query reads rows of a table that holds rows of a saved response that carried an
        error (a truncated or partly failed result, recorded when W was ingested or read), the rows are
        printed with a warning naming the table, the file and its inner error, and the exit code is 2.
        A table counts as read when the engine opened its rows; one only named (getschema) does not.

        With --log-analytics the query runs in that Log Analytics workspace over [--from, --to) (--from
        is required; --to defaults to --now, itself the current time; the service's own now() and
        ago() are not fixed by --now):
          --endpoint URL       the API base (default: the cloud's, e.g. https://api.loganalytics.azure.com)
          --cloud public|china|usgov
          --credential auto|managed-identity|workload-identity|client-secret|client-certificate|azure-cli|token-env
                               where the access token comes from (default auto, in azure-identity's order);
                               token-env reads PATHPROOF_ACCESS_TOKEN
        A result the service marks incomplete (truncated, PartialError) is printed with a warning naming
        the inner error, and exits 2.

        Exit 0 when the result is complete, 2 when it is incomplete, 3 on a runtime error (a query that
        fails or does not parse), 64 on a usage error.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(
            arguments,
            valueOptions: [
                "workspace", "format", "file", "from", "to", "now", "log-analytics", "endpoint", "cloud",
                "credential",
            ], flagOptions: ["timing"])
        let format = ResultFormat(
            rawValue: try parsed.choice("format", in: ResultFormat.allCases.map(\.rawValue), default: "table"))!
        let query = try QueryText.read(parsed)
        let window = try TimeWindowOptions.window(parsed)
        let now = try TimeWindowOptions.now(parsed)
        if let workspaceID = parsed.value("log-analytics") {
            guard parsed.all("workspace").isEmpty else { throw .usage("give either --workspace or --log-analytics") }
            guard let from = window?.from else {
                throw .usage("--log-analytics needs --from (the API needs a timespan)")
            }
            let to = parsed.value("to") == nil ? now : window!.to
            guard from < to else { throw .usage("--from must be before --to") }
            let connection = try LogAnalyticsOptions(
                workspaceID: workspaceID, options: parsed, environment: environment)
            let result = try connection.query(query, window: ClosedOpenWindow(from: from, to: to))
            if format == .json {
                // The response body's values, with `##vso[` in log text escaped (`OutputGuard.json`).
                let body = QueryResponseJSON.encode(result.tables, error: result.partialErrors.first)
                console.write(OutputGuard.json(body) + "\n")
            } else {
                console.write(ResultFormatter.render(result.tables, as: format))
            }
            for reason in result.incompleteReasons { console.note("warning: incomplete result: \(reason)") }
            return result.isComplete ? ExitCode.success : ExitCode.unproven
        }
        let started = ContinuousClock.now
        let loaded =
            parsed.all("workspace").isEmpty
            ? nil : try WorkspaceLoader.open(parsed.all("workspace"), console: console)
        let reads = TableReadLog(loaded?.workspace ?? InMemoryTables())
        let opened = ContinuousClock.now
        let result: [Table]
        do {
            result = try KQLEngine(tables: reads, now: now).run(query, window: window)
        } catch {
            if parsed.all("workspace").isEmpty, case .unknownTable(let name) = error {
                throw .usage(
                    "the query reads table '\(name)' but no --workspace was given: only self-contained queries "
                        + "(datatable, print, range) run without one; give --workspace W or --log-analytics ID")
            }
            throw .runtime(error.description)
        }
        let ran = ContinuousClock.now
        let incomplete = try loaded?.incompleteEvidence() ?? []
        let gaps = reads.tablesRead.flatMap { table in
            incomplete.filter { $0.concerns(table) }.map { (table: table, evidence: $0) }
        }
        if format == .json, let first = gaps.first {
            // As the service's response body does: the rows, and the `error` that made them incomplete.
            let error = try? JSONParser.parse(first.evidence.errorJSON)
            console.write(OutputGuard.json(QueryResponseJSON.encode(result, error: error)) + "\n")
        } else {
            ResultFormatter.write(result, as: format, to: console)
        }
        for gap in gaps { console.note("warning: table \(gap.table) is incomplete: \(gap.evidence)") }
        if parsed.has("timing") {
            func seconds(_ span: Duration) -> String {
                let (whole, attoseconds) = span.components
                return String(format: "%.3f s", Double(whole) + Double(attoseconds) / 1e18)
            }
            console.note(
                "timing: opened the workspace in \(seconds(opened - started)), ran the query in "
                    + "\(seconds(ran - opened)), wrote the result in \(seconds(ContinuousClock.now - ran))")
        }
        return gaps.isEmpty ? ExitCode.success : ExitCode.unproven
    }
}
