/// What a Log Analytics query gave back, and everything the evidence trail needs to know about how.

import Foundation
import TableModel

/// The tables of a query plus its completeness and provenance.
///
/// A result is complete only when ``incompleteReasons`` is empty. Any `error` object on a 200
/// (truncation by rows or size, overflow, warnings), a slice whose rows do not match its count, or a
/// slice that could not be fetched makes it incomplete; a verdict must then not be PROVEN.
public struct QueryResult: Sendable {
    /// The result tables; with slicing, each table's rows from every slice in time order.
    public var tables: [Table]
    /// Why the result is incomplete; empty when it is complete.
    public var incompleteReasons: [String]
    /// The `error` objects of partial (200) responses, as the service sent them.
    public var partialErrors: [Dynamic]
    /// Our `x-ms-client-request-id` of every request sent, in order (including retries).
    public var clientRequestIDs: [String]
    /// Correlation ids the service returned (headers or error bodies), in order.
    public var correlationIDs: [String]
    /// Raw response bodies kept on disk (when ``LogAnalyticsClient/Options/responseDirectory`` is set).
    public var rawResponsePaths: [URL]
    /// Which credential produced the token (never the token), e.g. `azure-cli`.
    public var credentialSource: String?
    /// The exchanges, one per HTTP request.
    public var exchanges: [QueryExchange]
    /// Facts worth reporting that do not make the result incomplete (cached answers, retries, 204).
    public var notes: [String]

    /// Creates an empty result.
    public init() {
        tables = []
        incompleteReasons = []
        partialErrors = []
        clientRequestIDs = []
        correlationIDs = []
        rawResponsePaths = []
        credentialSource = nil
        exchanges = []
        notes = []
    }

    /// Whether every row the query matches is here.
    public var isComplete: Bool { incompleteReasons.isEmpty }

    /// The total number of rows over all tables.
    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }

    /// Appends `other`'s tables (rows of a same-named, same-columned table are appended) and records.
    mutating func absorb(_ other: QueryResult) {
        for table in other.tables {
            if let index = tables.firstIndex(where: { $0.name == table.name && $0.columns == table.columns }) {
                tables[index].rows.append(contentsOf: table.rows)
            } else {
                tables.append(table)
            }
        }
        incompleteReasons += other.incompleteReasons
        partialErrors += other.partialErrors
        clientRequestIDs += other.clientRequestIDs
        correlationIDs += other.correlationIDs
        rawResponsePaths += other.rawResponsePaths
        credentialSource = credentialSource ?? other.credentialSource
        exchanges += other.exchanges
        notes += other.notes
    }
}

/// One HTTP request and its answer, for the evidence trail.
public struct QueryExchange: Sendable {
    /// Our `x-ms-client-request-id`.
    public var clientRequestID: String
    /// The `timespan` sent, `start/end` in UTC.
    public var timespan: String
    /// The HTTP status, or 0 when the connection failed.
    public var status: Int
    /// The service's correlation id, when it gave one.
    public var correlationID: String?
    /// The `Age` header: seconds the answer sat in the service's cache (we ask for no cache).
    public var age: Int?
    /// Rows received (200 only).
    public var rows: Int
    /// When the request was sent.
    public var sentAt: Date
}
