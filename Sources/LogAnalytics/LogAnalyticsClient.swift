/// The Log Analytics query API client: one POST per query, retried within bounds, decoded as a stream.

import Foundation
import RowDecoding
import TableModel

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs KQL against one Log Analytics workspace through `POST {endpoint}/v1/workspaces/{id}/query`.
///
/// Every request carries an explicit `start/end` UTC timespan, `Prefer: wait=N` (the client's own
/// timeout is above it), `Cache-Control: no-cache` and a fresh `x-ms-client-request-id`. The body is
/// downloaded to a file and decoded row by row. 429 honours `Retry-After` (else exponential backoff with
/// jitter), a 504 is retried once, a refused token is refreshed once; all retries are bounded.
public struct LogAnalyticsClient: Sendable {
    /// Tuning; the defaults suit audit runs.
    public struct Options: Sendable {
        /// `Prefer: wait=N`: seconds the service may run the query (at most 600).
        public var serverTimeout: Int = 180
        /// Attempts per request, counting the first.
        public var maxAttempts: Int = 5
        /// First backoff delay in seconds; doubles each attempt, with jitter.
        public var initialBackoff: Double = 2
        /// Longest backoff delay in seconds.
        public var maxBackoff: Double = 60
        /// Longest `Retry-After` honoured, in seconds.
        public var maxRetryAfter: Double = 300
        /// Requests in flight at once (the service allows 5 per user).
        public var maxConcurrentRequests: Int = 5
        /// Keep every raw response body here (named by client request id); `nil` deletes them.
        public var responseDirectory: URL?
        /// Token scope; `nil` uses the cloud's (`https://api.loganalytics.io/.default` for public).
        public var scope: String?
        /// Sliced queries: the most rows one slice may hold (the service cuts at 500,000).
        public var maxRowsPerSlice: Int = 400_000
        /// Sliced queries: the shortest slice, in seconds, before giving up on splitting.
        public var minimumSliceSeconds: Int64 = 1

        /// Default options.
        public init() {}
    }

    /// The workspace id (GUID).
    public let workspaceID: String
    /// The API base, e.g. `https://api.loganalytics.azure.com`.
    public let endpoint: URL
    /// The cloud whose token audience the API expects.
    public let cloud: Cloud
    /// The options in use.
    public let options: Options
    let tokens: TokenCache
    let transport: HTTPTransport
    let gate: ConcurrencyGate

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - endpoint: the API base; `cloud.queryEndpoint` by default (`--endpoint` overrides it).
    ///   - credential: where tokens come from (see ``makeCredential(kind:environment:cloud:)``).
    ///   - cloud: gives the token audience.
    public init(
        workspaceID: String, endpoint: URL? = nil, credential: any AccessTokenProvider, cloud: Cloud = .public,
        options: Options = Options()
    ) {
        self.workspaceID = workspaceID
        self.cloud = cloud
        self.endpoint = endpoint ?? cloud.queryEndpoint
        self.options = options
        tokens = TokenCache(provider: credential, scope: options.scope ?? cloud.scope)
        transport = HTTPTransport(
            timeout: TimeInterval(options.serverTimeout + 15), directory: FileManager.default.temporaryDirectory)
        gate = ConcurrencyGate(limit: options.maxConcurrentRequests)
    }

    /// Runs `kql` over `window` (`[from, to)`, sent as the request's timespan) in one request.
    ///
    /// - Returns: the tables; the result is marked incomplete when the service reported a partial error.
    /// - Throws: ``LogAnalyticsError`` when no usable answer came back.
    public func query(_ kql: String, window: (from: DateTime, to: DateTime)) async throws(LogAnalyticsError)
        -> QueryResult
    {
        guard window.from < window.to else { throw .invalidWindow(from: window.from, to: window.to) }
        return try await send(kql, window: window)
    }

    /// The `timespan` text of a window: `start/end`, seven fraction digits, `Z`.
    public static func timespan(_ window: (from: DateTime, to: DateTime)) -> String {
        window.from.kustoText + "/" + window.to.kustoText
    }

    /// The URL of the workspace query endpoint.
    var queryURL: URL {
        endpoint.appendingPathComponent("v1").appendingPathComponent("workspaces").appendingPathComponent(workspaceID)
            .appendingPathComponent("query")
    }

    // MARK: - One request, retried

    /// Sends one query, retrying 429, 504, dropped connections, cut bodies and one refused token.
    ///
    /// With a `sink`, rows go to it one by one instead of into the result's tables (which then hold
    /// only the columns); a body that turns out unreadable after rows were handed over is not retried.
    /// With `retryingTimeouts` false, a 504 is thrown at once, so a sliced query can retry it with a
    /// smaller slice instead of the same one.
    func send(
        _ kql: String, window: (from: DateTime, to: DateTime), sink: RowSink? = nil, retryingTimeouts: Bool = true
    ) async throws(LogAnalyticsError) -> QueryResult {
        var result = QueryResult()
        var attempt = 0
        var refreshedToken = false
        var timeouts = 0
        let timespan = Self.timespan(window)
        let body = Data(
            ("{\"query\":" + JSONText.quoted(kql) + ",\"timespan\":" + JSONText.quoted(timespan) + "}").utf8)
        while true {
            attempt += 1
            let token = try await tokens.token()
            result.credentialSource = token.source
            let requestID = UUID().uuidString.lowercased()
            result.clientRequestIDs.append(requestID)
            var exchangeRecord = QueryExchange(
                clientRequestID: requestID, timespan: timespan, status: 0, correlationID: nil, age: nil, rows: 0,
                sentAt: Date())
            let exchange: HTTPExchange
            await gate.acquire()
            do {
                exchange = try await transport.send(request(body: body, token: token, requestID: requestID))
                await gate.release()
            } catch {
                await gate.release()
                result.exchanges.append(exchangeRecord)
                let reason = "request \(requestID): \(error.localizedDescription)"
                guard attempt < options.maxAttempts else { throw .transport(attempts: attempt, reason: reason) }
                result.notes.append("retried after a failed connection (\(reason))")
                await sleep(backoff(attempt))
                continue
            }
            defer { settle(exchange.bodyFile, keepAs: exchange.status == 200 ? requestID : nil) }
            // Error bodies are small; read one once, so its correlation id is kept even when retried.
            let error =
                exchange.status == 200 || exchange.status == 204
                ? nil : ServiceError(body: exchange.smallBody(), secrets: [token.token])
            let correlationID =
                exchange.header("x-ms-correlation-request-id") ?? exchange.header("x-ms-request-id")
                ?? exchange.header("request-id") ?? error?.correlationID
            exchangeRecord.status = exchange.status
            exchangeRecord.correlationID = correlationID
            exchangeRecord.age = exchange.header("age").flatMap { Int($0) }
            if let correlationID { result.correlationIDs.append(correlationID) }

            switch exchange.status {
            case 200:
                do {
                    let decoded: DecodedResponse
                    if let sink {
                        (decoded, exchangeRecord.rows) = try stream(exchange, requestID: requestID, to: sink)
                    } else {
                        decoded = try decode(exchange, requestID: requestID)
                        exchangeRecord.rows = decoded.tables.reduce(0) { $0 + $1.rows.count }
                    }
                    result.exchanges.append(exchangeRecord)
                    return finish(result, decoded: decoded, exchange: exchangeRecord, requestID: requestID)
                } catch let failure {
                    result.exchanges.append(exchangeRecord)
                    guard case .invalidResponse = failure, attempt < options.maxAttempts, sink?.delivered != true
                    else { throw failure }
                    result.notes.append("retried after an unreadable or cut response body (\(failure))")
                    await sleep(backoff(attempt))
                    continue
                }
            case 204:
                result.exchanges.append(exchangeRecord)
                result.notes.append(
                    "the workspace answered 204 No Content to request \(requestID): it holds no data at all")
                return result
            case 429:
                result.exchanges.append(exchangeRecord)
                guard attempt < options.maxAttempts else {
                    throw .throttled(attempts: attempt, correlationID: correlationID)
                }
                let retryAfter = exchange.header("retry-after").flatMap { Double($0) } ?? 0
                let delay = retryAfter > 0 ? min(retryAfter, options.maxRetryAfter) : backoff(attempt)
                result.notes.append("throttled (429); waited \(String(format: "%.1f", delay)) s")
                await sleep(delay)
            case 504:
                result.exchanges.append(exchangeRecord)
                timeouts += 1
                let error = error ?? ServiceError(body: Data())
                guard retryingTimeouts, timeouts < 2, attempt < options.maxAttempts else {
                    throw .serverTimeout(
                        attempts: attempt, message: error.explanation,
                        correlationID: error.correlationID ?? correlationID)
                }
                result.notes.append("the server timed out (504) once; retried")
            case 401, 403:
                result.exchanges.append(exchangeRecord)
                let error = error ?? ServiceError(body: Data())
                let challenge = exchange.header("www-authenticate") ?? ""
                let expired =
                    error.code == "InvalidAuthenticationToken" || error.code == "ExpiredAuthenticationToken"
                    || challenge.contains("invalid_token") || error.message.lowercased().contains("expired")
                if expired && !refreshedToken && attempt < options.maxAttempts {
                    refreshedToken = true
                    await tokens.invalidate()
                    result.notes.append("the API refused the token (\(error.code)); fetched a new one and retried")
                    continue
                }
                throw .authenticationFailed(
                    status: exchange.status, code: error.code, message: error.explanation,
                    hint: authenticationHint(error, token: token), correlationID: error.correlationID ?? correlationID)
            case 400:
                result.exchanges.append(exchangeRecord)
                let error = error ?? ServiceError(body: Data())
                if let table = error.missingTable {
                    throw .tableNotFound(
                        table: table, message: error.innermost.message, correlationID: error.correlationID)
                }
                throw .badQuery(
                    code: error.innermost.code, message: error.explanation, correlationID: error.correlationID)
            case 404:
                result.exchanges.append(exchangeRecord)
                let error = error ?? ServiceError(body: Data())
                throw .notFound(
                    code: error.code, message: error.message, workspaceID: workspaceID,
                    correlationID: error.correlationID ?? correlationID)
            case 500, 502, 503:
                result.exchanges.append(exchangeRecord)
                let error = error ?? ServiceError(body: Data())
                guard attempt < options.maxAttempts else {
                    throw .httpStatus(
                        exchange.status, code: error.code, message: error.explanation,
                        correlationID: error.correlationID ?? correlationID)
                }
                result.notes.append("the service answered \(exchange.status); retried")
                await sleep(backoff(attempt))
            default:
                result.exchanges.append(exchangeRecord)
                let error = error ?? ServiceError(body: Data())
                throw .httpStatus(
                    exchange.status, code: error.code, message: error.explanation,
                    correlationID: error.correlationID ?? correlationID)
            }
        }
    }

    private func request(body: Data, token: AccessToken, requestID: String) -> URLRequest {
        var request = URLRequest(url: queryURL)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = TimeInterval(options.serverTimeout + 15)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("Bearer " + token.token, forHTTPHeaderField: "Authorization")
        request.setValue("wait=\(min(max(options.serverTimeout, 1), 600))", forHTTPHeaderField: "Prefer")
        request.setValue("no-cache", forHTTPHeaderField: "Cache-Control")
        request.setValue(requestID, forHTTPHeaderField: "x-ms-client-request-id")
        request.setValue("true", forHTTPHeaderField: "x-ms-return-client-request-id")
        request.setValue("pathproof", forHTTPHeaderField: "User-Agent")
        return request
    }

    private func decode(_ exchange: HTTPExchange, requestID: String) throws(LogAnalyticsError) -> DecodedResponse {
        let size =
            (try? FileManager.default.attributesOfItem(atPath: exchange.bodyFile.path)[.size] as? NSNumber)?
            .intValue ?? 0
        guard size > 0 else { throw .emptyResponse(clientRequestID: requestID) }
        do {
            return try QueryResponseDecoder.decode(fileAt: exchange.bodyFile)
        } catch {
            throw .invalidResponse(clientRequestID: requestID, error)
        }
    }

    /// Decodes the body into `sink` row by row; the returned tables hold only their columns.
    private func stream(_ exchange: HTTPExchange, requestID: String, to sink: RowSink)
        throws(LogAnalyticsError) -> (DecodedResponse, rows: Int)
    {
        var response = DecodedResponse()
        var rows = 0
        do {
            let reader = try ResponseFileReader(path: exchange.bodyFile.path)
            while let event = try reader.next() {
                switch event {
                case .tableStart(let name, let columns): response.tables.append(Table(name: name, columns: columns))
                case .row: rows += 1
                case .tableEnd: break
                case .partialError(let error): response.partialError = error
                }
                sink.delivered = true
                do { try sink.handle(event) } catch {
                    sink.failure = error
                    throw LogAnalyticsError.transport(attempts: 0, reason: "the row handler stopped: \(error)")
                }
            }
        } catch let error as ResponseDecodingError {
            if case .invalidJSON = error,
                (try? FileManager.default.attributesOfItem(atPath: exchange.bodyFile.path)[.size]
                    as? NSNumber)?.intValue == 0
            {
                throw .emptyResponse(clientRequestID: requestID)
            }
            throw .invalidResponse(clientRequestID: requestID, error)
        } catch let error as LogAnalyticsError {
            throw error
        } catch {
            throw .transport(attempts: 0, reason: "\(error)")
        }
        return (response, rows)
    }

    private func finish(_ partial: QueryResult, decoded: DecodedResponse, exchange: QueryExchange, requestID: String)
        -> QueryResult
    {
        var result = partial
        result.tables = decoded.tables
        if let error = decoded.partialError {
            result.partialErrors.append(error)
            result.incompleteReasons.append(
                "request \(requestID) (\(exchange.timespan)) came back partial: " + ServiceError.describePartial(error))
        }
        if let age = exchange.age, age > 0 {
            result.notes.append("request \(requestID) was answered from the service's cache (Age: \(age) s)")
        }
        if let directory = options.responseDirectory {
            result.rawResponsePaths.append(directory.appendingPathComponent("\(requestID).json"))
        }
        return result
    }

    /// Keeps a body as `<request id>.json` in the response directory when asked, else deletes it.
    private func settle(_ file: URL, keepAs requestID: String?) {
        let manager = FileManager.default
        guard let requestID, let directory = options.responseDirectory else {
            try? manager.removeItem(at: file)
            return
        }
        let kept = directory.appendingPathComponent("\(requestID).json")
        try? manager.createDirectory(at: directory, withIntermediateDirectories: true)
        if (try? manager.moveItem(at: file, to: kept)) == nil { try? manager.removeItem(at: file) }
    }

    private func authenticationHint(_ error: ServiceError, token: AccessToken) -> String {
        let expected = options.scope.map { $0.replacingOccurrences(of: "/.default", with: "") } ?? cloud.audience
        if error.code == "InvalidAuthenticationTokenAudience" || error.explanation.lowercased().contains("audience") {
            let actual = token.audienceClaim.map { "'\($0)'" } ?? "another audience"
            return "The token (from \(token.source)) was issued for \(actual), but the Log Analytics API needs "
                + "'\(expected)'. With the Azure CLI use 'az account get-access-token --resource \(expected)'; "
                + "with an app registration request the scope '\(expected)/.default'."
        }
        if error.code == "InsufficientAccessError" || error.code == "AuthorizationFailedError" {
            return "The identity behind the token (from \(token.source)) cannot read this workspace: grant it "
                + "'Log Analytics Reader' (or Reader) on the workspace; new grants can take up to an hour to apply."
        }
        return "Check that the token (from \(token.source)) is current and issued for '\(expected)'."
    }

    // MARK: - Timing

    /// Exponential backoff with jitter: between half and all of `initial × 2^(attempt-1)`, capped.
    func backoff(_ attempt: Int) -> Double {
        let ceiling = min(options.maxBackoff, options.initialBackoff * pow(2, Double(max(attempt - 1, 0))))
        return ceiling * Double.random(in: 0.5...1.0)
    }

    func sleep(_ seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
