/// Writing values into KQL text as literals that cannot change the meaning of the query around them.

import TableModel

/// Turns values (vault names, resource ids, times) into KQL literals for query text.
///
/// A value inserted with these helpers is always exactly one literal token: no quote, backslash,
/// line break, comment marker or pipe in the value can end the literal early or start another
/// clause. The text produced is plain ASCII, so no character can merge with a quote into one
/// grapheme and hide it from a lexer that reads characters.
public enum KQLLiteral {
    /// A double-quoted string literal whose value is exactly `value`.
    ///
    /// Printable ASCII other than `"` and `\` is kept; `"` and `\` are backslash-escaped; every
    /// other character is written as a `\u` escape of four hex digits (a UTF-16 surrogate pair above U+FFFF).
    public static func string(_ value: String) -> String {
        var literal = "\""
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: literal += "\\\""
            case 0x5C: literal += "\\\\"
            case 0x20..<0x7F: literal.unicodeScalars.append(scalar)
            default:
                for unit in String(scalar).utf16 { literal += "\\u" + hex4(unit) }
            }
        }
        return literal + "\""
    }

    /// A `datetime(...)` literal for `instant`, with all seven fraction digits, in UTC.
    public static func datetime(_ instant: DateTime) -> String {
        "datetime(\(instant.kustoText))"
    }

    /// A `long` literal; `Int64.min` is written as an expression because its magnitude is no literal.
    public static func long(_ value: Int64) -> String {
        value == .min ? "(-9223372036854775807 - 1)" : String(value)
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
