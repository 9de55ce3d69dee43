/// Times in reports: parsing their RFC 3339 text and comparing windows.

import TableModel

/// Small time helpers over `DateTime`.
enum TimeText {
    /// Parses RFC 3339 / ISO 8601 text; `nil` when it is not a time.
    static func parse(_ text: String?) -> DateTime? {
        guard let text else { return nil }
        return DateTime(iso8601: text)
    }

    /// Milliseconds since the Unix epoch (OCSF `time`).
    static func unixMilliseconds(_ time: DateTime) -> Int64 {
        (time.ticks - DateTime.unixEpochTicks) / 10_000
    }

    /// Whether [`start`, `end`) and [`from`, `to`) share an instant.
    static func intersects(start: DateTime, end: DateTime, from: DateTime, to: DateTime) -> Bool {
        start < to && from < end
    }
}
