/// What the streaming response scanner reports as it reads a query response body.

import TableModel

/// One step of a Log Analytics query response, in the order the body holds it.
///
/// A body yields, for each table, a `tableStart`, its rows one `row` at a time, and a `tableEnd`;
/// a `partialError` appears where the body's top-level `error` object ends (usually after the tables).
public enum ResponseEvent: Sendable {
    /// A table begins; its rows follow. Sent when the table's `rows` array opens.
    case tableStart(name: String, columns: [Column])
    /// One row of the current table, one value per column, typed by the declared column types.
    case row([Value])
    /// The current table ended after `rowCount` rows.
    case tableEnd(name: String, rowCount: Int)
    /// The top-level `error` object of a 200 response: the result is incomplete (truncation by rows or
    /// size, overflow, warnings). An `"error": null` is not reported.
    case partialError(Dynamic)
}
