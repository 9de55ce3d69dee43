/// Writing values into KQL text safely: the query API has no parameter binding, so literals are escaped.

import Foundation
import TableModel

/// KQL literals for values a runner splices into a query (vault names, ids, times).
///
/// Strings become double-quoted literals with `\"`, `\\`, `\n`, `\r` and `\t` escaped, as the
/// Azure SDKs write them; other control characters are refused rather than guessed at. Typed values use
/// KQL's typed literal forms, which cannot carry anything but the value.
public enum KQLLiteral {
    /// `"text"`, escaped; `nil` when `text` holds a control character other than newline, return or tab.
    public static func string(_ text: String) -> String? {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                guard scalar.value >= 0x20, scalar.value != 0x7F else { return nil }
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// `datetime(2024-01-02T03:04:05.0000000Z)`.
    public static func datetime(_ value: DateTime) -> String { "datetime(\(value.kustoText))" }

    /// `guid(74be27de-1e4e-49d9-b579-fe0b331d3642)`.
    public static func guid(_ value: UUID) -> String { "guid(\(value.uuidString.lowercased()))" }

    /// `long(123)`.
    public static func long(_ value: Int64) -> String { "long(\(value))" }

    /// `time(1.02:03:04.5000000)` (KQL timespan).
    public static func timespan(_ value: Timespan) -> String { "time(\(value.text))" }
}
