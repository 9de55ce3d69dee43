/// Reading `--from`, `--to` and `--now` as UTC instants.

import Foundation
import KQLEngine
import TableModel

enum TimeWindowOptions {
    /// Parses an ISO 8601 instant; a time without a zone is UTC.
    static func instant(_ text: String, option: String) throws(CLIError) -> DateTime {
        guard let instant = DateTime(iso8601: text) else {
            throw .usage("--\(option) '\(text)' is not an ISO 8601 time such as 2026-11-02T08:00:00Z")
        }
        return instant
    }

    /// The [from, to) window given by `--from`/`--to`; `nil` when neither is given.
    ///
    /// With only one end given, the other is open: the earliest or the latest representable time.
    static func window(_ arguments: Arguments) throws(CLIError) -> ClosedOpenWindow? {
        let from = try arguments.value("from").map { text throws(CLIError) in try instant(text, option: "from") }
        let to = try arguments.value("to").map { text throws(CLIError) in try instant(text, option: "to") }
        if from == nil && to == nil { return nil }
        let start = from ?? DateTime(ticks: 0)
        let end = to ?? DateTime(ticks: DateTime.maxTicks)
        guard start < end else { throw .usage("--from must be before --to") }
        return ClosedOpenWindow(from: start, to: end)
    }

    /// `--now`, or the current time.
    static func now(_ arguments: Arguments) throws(CLIError) -> DateTime {
        if let text = arguments.value("now") { return try instant(text, option: "now") }
        let seconds = Date().timeIntervalSince1970
        let whole = Int64(seconds.rounded(.down))
        return DateTime(unixSeconds: whole, fractionTicks: Int64((seconds - Double(whole)) * 10_000_000))
    }
}
