/// Evidence from a Log Analytics workspace: the same queries, run by the query API.

import EvidenceAnalysis
import Foundation
import KQLEngine
import LogAnalytics
import RowDecoding
import TableModel

/// The shared options of commands that talk to Log Analytics.
struct LogAnalyticsOptions {
    let client: LogAnalyticsClient
    let credentialKind: CredentialKind

    init(
        workspaceID: String, options: Arguments, environment: [String: String], responseDirectory: URL? = nil
    ) throws(CLIError) {
        // A workspace id is a GUID; anything else could change the request path.
        guard UUID(uuidString: workspaceID) != nil else {
            throw .usage("--log-analytics '\(workspaceID)' is not a workspace id (a GUID)")
        }
        let cloudName = try options.choice("cloud", in: Cloud.allCases.map(\.rawValue), default: "public")
        let cloud = Cloud(rawValue: cloudName)!
        let kindName = try options.choice(
            "credential", in: CredentialKind.allCases.map(\.rawValue), default: CredentialKind.auto.rawValue)
        credentialKind = CredentialKind(rawValue: kindName)!
        var endpoint: URL?
        if let text = options.value("endpoint") {
            guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                throw .usage("--endpoint '\(text)' is not an http(s) URL")
            }
            endpoint = url
        }
        let credential: any AccessTokenProvider
        do {
            credential = try LogAnalyticsClient.makeCredential(
                kind: credentialKind, environment: environment, cloud: cloud)
        } catch {
            throw .runtime(error.description)
        }
        var clientOptions = LogAnalyticsClient.Options()
        clientOptions.responseDirectory = responseDirectory
        client = LogAnalyticsClient(
            workspaceID: workspaceID, endpoint: endpoint, credential: credential, cloud: cloud, options: clientOptions)
    }

    /// Runs `kql` and waits for the answer (the CLI is synchronous; the client is async).
    func query(_ kql: String, window: ClosedOpenWindow) throws(CLIError) -> QueryResult {
        switch wait(kql, window: window) {
        case .success(let result): return result
        case .failure(let error): throw .runtime(error.description)
        }
    }

    /// Runs `kql`; a SEM0100 for a missing table comes back as `nil`. With `sliced`, the window is
    /// counted first and fetched in slices that stay under the API's row and size limits.
    func queryOrAbsent(_ kql: String, window: ClosedOpenWindow, fetch: Fetch = .single) throws(CLIError)
        -> QueryResult?
    {
        switch wait(kql, window: window, fetch: fetch) {
        case .success(let result): return result
        case .failure(.tableNotFound): return nil
        case .failure(let error): throw .runtime(error.description)
        }
    }

    /// How a query is fetched.
    enum Fetch {
        /// One request; a 504 is retried once as is (any query).
        case single
        /// Counted, then fetched in slices under the row and size limits (the key-access query).
        case sliced
        /// One request; a 504 is retried at once over the two halves of the window (queries whose
        /// rows add up over adjacent windows: row-level, or summarized by 1-minute bins).
        case splittingOnTimeout
    }

    private func wait(_ kql: String, window: ClosedOpenWindow, fetch: Fetch = .single)
        -> Result<QueryResult, LogAnalyticsError>
    {
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        let client = self.client
        // The caller is a plain thread (the CLI's main thread): blocking it while the client's tasks run
        // on Swift's cooperative pool is safe. Blocking a pool thread this way could deadlock.
        Task {
            do throws(LogAnalyticsError) {
                let span = (from: window.from, to: window.to)
                let result: QueryResult
                switch fetch {
                case .single: result = try await client.query(kql, window: span)
                case .sliced: result = try await client.querySliced(kql, window: span)
                case .splittingOnTimeout: result = try await client.querySplittingOnTimeout(kql, window: span)
                }
                box.set(.success(result))
            } catch {
                box.set(.failure(error))
            }
            semaphore.signal()
        }
        semaphore.wait()
        return box.get() ?? .failure(.transport(attempts: 0, reason: "the query did not complete"))
    }
}

/// Hands a result from the async task to the waiting thread.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<QueryResult, LogAnalyticsError>?

    func set(_ result: Result<QueryResult, LogAnalyticsError>) {
        lock.lock()
        value = result
        lock.unlock()
    }

    func get() -> Result<QueryResult, LogAnalyticsError>? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Evidence gathered by running the shipped queries in a Log Analytics workspace.
struct RemoteEvidence: EvidenceGatherer {
    let workspaceID: String
    let connection: LogAnalyticsOptions
    let queriesDirectory: String

    /// Response bodies are kept in `staging` (they become raw result files); `nil` keeps none.
    init(
        workspaceID: String, options: Arguments, environment: [String: String], queriesDirectory: String,
        staging: RawResultStaging?
    ) throws(CLIError) {
        self.workspaceID = workspaceID
        connection = try LogAnalyticsOptions(
            workspaceID: workspaceID, options: options, environment: environment, responseDirectory: staging?.responses)
        self.queriesDirectory = queriesDirectory
    }

    func gather(window: ClosedOpenWindow?, now: DateTime, progress: Progress, keep: RawResultBatch?)
        throws(CLIError) -> GatheredEvidence
    {
        guard let window else {
            throw .usage("with --log-analytics give --from (and --to, or --since-last): the API needs a timespan")
        }
        var gathered = GatheredEvidence(description: "Log Analytics workspace \(workspaceID)")
        var schemas: [String: Set<String>] = [:]
        var absentTables: Set<String> = []
        for query in EvidenceQuery.all {
            let text = try query.text(queriesDirectory: queriesDirectory)
            if schemas[query.table] == nil && !absentTables.contains(query.table) {
                progress.phase("reading the schema of \(query.table)")
                if let schema = try connection.queryOrAbsent(
                    "\(query.table) | getschema | project ColumnName", window: window)
                {
                    schemas[query.table] = Set(schema.tables.first?.rows.compactMap { $0.first?.kqlString } ?? [])
                } else {
                    absentTables.insert(query.table)
                }
            }
            guard let present = schemas[query.table] else {
                if query.role != .perimeterAccess { gathered.sources.append(query.absentSource()) }
                gathered.runs.append(
                    QueryRun(query: query, text: text, rows: nil, note: "table absent (SEM0100)", results: []))
                continue
            }
            progress.phase("running \(query.fileName) in Log Analytics")
            guard
                let result = try connection.queryOrAbsent(
                    text, window: window, fetch: query.role == .keyAccess ? .sliced : .splittingOnTimeout)
            else {
                if query.role != .perimeterAccess { gathered.sources.append(query.absentSource()) }
                gathered.runs.append(
                    QueryRun(query: query, text: text, rows: nil, note: "table absent (SEM0100)", results: []))
                continue
            }
            let rows = result.tables.first ?? Table(columns: [])
            progress.rows(rows.rows.count, slices: max(1, result.slices.count))
            for slice in result.slices {
                progress.detail(
                    "  slice \(slice.from.apiText) to \(slice.to.apiText): \(slice.counted) counted, "
                        + "\(slice.fetched) fetched\(slice.reconciled ? "" : ", not reconciled")")
            }
            for note in result.notes { progress.detail("  \(query.fileName): \(note)") }
            gathered.sources.append(
                EvidenceSource(
                    table: query.table, rows: rows, role: query.role,
                    missingColumns: query.neededColumns.filter { !present.contains($0) },
                    incompleteReasons: result.incompleteReasons))
            let results =
                try keep.map { batch throws(CLIError) in
                    try batch.adopt(result.rawResponsePaths, rows: Self.rowsPerBody(result), for: query)
                } ?? []
            let requestIDs = result.clientRequestIDs.joined(separator: ", ")
            let correlation = result.correlationIDs.joined(separator: ", ")
            gathered.runs.append(
                QueryRun(
                    query: query, text: text, rows: rows.rows.count,
                    note: "client request ids: \(requestIDs); correlation ids: \(correlation); credential: "
                        + (result.credentialSource ?? connection.credentialKind.rawValue), results: results))
        }
        return gathered
    }

    /// The rows of each kept response body: the slice counts when every slice left one body, else
    /// each body decoded again.
    static func rowsPerBody(_ result: QueryResult) -> [Int] {
        let bodies = result.rawResponsePaths
        if bodies.count == 1 { return [result.rowCount] }
        if result.slices.count == bodies.count { return result.slices.map(\.fetched) }
        return bodies.map { body in
            ((try? QueryResponseDecoder.decode(fileAt: body))?.tables ?? []).reduce(0) { $0 + $1.rows.count }
        }
    }
}
