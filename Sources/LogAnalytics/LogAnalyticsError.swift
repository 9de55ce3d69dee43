/// Everything that can go wrong talking to the Log Analytics query API, in words a user can act on.

import RowDecoding
import TableModel

/// Why a query, or getting a token for it, failed.
public enum LogAnalyticsError: Error, Sendable, CustomStringConvertible {
    /// The chosen credential cannot produce a token here (missing variables, no `az`, no identity).
    case credentialUnavailable(kind: CredentialKind, reason: String)
    /// Microsoft Entra (or the identity endpoint) refused to issue a token.
    case tokenRequestFailed(kind: CredentialKind, status: Int, code: String, message: String)
    /// The query API refused the token (401/403): expired, wrong audience, or no access.
    case authenticationFailed(status: Int, code: String, message: String, hint: String, correlationID: String?)
    /// The query names a table the workspace does not have (SEM0100): the table is absent.
    case tableNotFound(table: String, message: String, correlationID: String?)
    /// The query is not valid KQL for this workspace (400: syntax or semantic error).
    case badQuery(code: String, message: String, correlationID: String?)
    /// The workspace or path does not exist (404).
    case notFound(code: String, message: String, workspaceID: String, correlationID: String?)
    /// Throttled (429) on every attempt.
    case throttled(attempts: Int, correlationID: String?)
    /// The server timed out (504) on every attempt.
    case serverTimeout(attempts: Int, message: String, correlationID: String?)
    /// Another HTTP status.
    case httpStatus(Int, code: String, message: String, correlationID: String?)
    /// The connection failed or was cut, on every attempt.
    case transport(attempts: Int, reason: String)
    /// A 200 whose body is empty: the service did not see a JSON request body.
    case emptyResponse(clientRequestID: String)
    /// The response body could not be decoded.
    case invalidResponse(clientRequestID: String, ResponseDecodingError)
    /// The time window is empty or reversed.
    case invalidWindow(from: DateTime, to: DateTime)

    public var description: String {
        switch self {
        case .credentialUnavailable(let kind, let reason):
            return "credential '\(kind.rawValue)' is not available: \(reason)"
        case .tokenRequestFailed(let kind, let status, let code, let message):
            return "credential '\(kind.rawValue)': the token request failed with HTTP \(status) \(code): \(message)"
        case .authenticationFailed(let status, let code, let message, let hint, let correlationID):
            return "the query API refused the token (HTTP \(status) \(code)): \(message). \(hint)"
                + Self.correlation(correlationID)
        case .tableNotFound(let table, let message, let correlationID):
            return "table '\(table)' does not exist in the workspace (SEM0100: \(message))"
                + Self.correlation(correlationID)
        case .badQuery(let code, let message, let correlationID):
            return "the query was rejected (\(code)): \(message)" + Self.correlation(correlationID)
        case .notFound(let code, let message, let workspaceID, let correlationID):
            return "workspace '\(workspaceID)' was not found (\(code): \(message)); pass the workspace ID "
                + "(a GUID, the 'Workspace ID' on the workspace's overview page), not its name"
                + Self.correlation(correlationID)
        case .throttled(let attempts, let correlationID):
            return "the query API kept throttling (HTTP 429) for \(attempts) attempts; wait a few minutes or run "
                + "fewer queries at once" + Self.correlation(correlationID)
        case .serverTimeout(let attempts, let message, let correlationID):
            return "the query timed out on the server (HTTP 504: \(message)) after \(attempts) attempts; "
                + "use a shorter time window" + Self.correlation(correlationID)
        case .httpStatus(let status, let code, let message, let correlationID):
            return "the query API answered HTTP \(status) \(code): \(message)" + Self.correlation(correlationID)
        case .transport(let attempts, let reason):
            return "could not get a complete response after \(attempts) attempts: \(reason)"
        case .emptyResponse(let id):
            return "the query API answered 200 with an empty body (request \(id)); it did not read the JSON body"
        case .invalidResponse(let id, let error):
            return "the response to request \(id) could not be read: \(error)"
        case .invalidWindow(let from, let to):
            return "the time window \(from.kustoText) .. \(to.kustoText) is empty: 'from' must be before 'to'"
        }
    }

    private static func correlation(_ id: String?) -> String {
        id.map { " (correlation id \($0))" } ?? ""
    }
}
