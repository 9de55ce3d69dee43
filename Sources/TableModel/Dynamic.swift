/// KQL `dynamic`: a JSON-like value (null, bool, long, real, string, array, property bag).

/// A dynamic value, as KQL holds the contents of a `dynamic` column.
///
/// Integers are kept as `Int64` (never through `Double`), so `9223372036854775807` survives.
/// Property bags are unordered, as in Kusto; they serialize with keys sorted.
public indirect enum Dynamic: Sendable, Hashable {
    case null
    case bool(Bool)
    case long(Int64)
    case real(Double)
    case string(String)
    case array([Dynamic])
    case object([String: Dynamic])

    /// Looks up a property of a bag; `nil` when this is not a bag or the key is absent.
    public subscript(key: String) -> Dynamic? {
        if case .object(let bag) = self { return bag[key] }
        return nil
    }

    /// Looks up a property of a bag ignoring key case, as PathProof reads records.
    ///
    /// An exact match wins over a case-insensitive one.
    public func property(caseInsensitive key: String) -> Dynamic? {
        guard case .object(let bag) = self else { return nil }
        if let exact = bag[key] { return exact }
        let lowered = key.lowercased()
        return bag.first { $0.key.lowercased() == lowered }?.value
    }

    /// The string when this is a JSON string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Compact JSON text, keys sorted; non-finite reals as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    public var jsonText: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Appends compact JSON text to `output`.
    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .long(let value): output += String(value)
        case .real(let value): output += JSONText.number(value)
        case .string(let value): JSONText.appendQuoted(value, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case .object(let bag):
            output += "{"
            for (index, key) in bag.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                JSONText.appendQuoted(key, to: &output)
                output += ":"
                bag[key]!.write(to: &output)
            }
            output += "}"
        }
    }
}

/// Helpers to write JSON text.
public enum JSONText {
    /// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
    public static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        // Most text needs no escaping: append it whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// The text of `text` as a quoted JSON string.
    public static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }

    /// A real as JSON: the shortest round-tripping form; `"NaN"`, `"Infinity"`, `"-Infinity"` (quoted)
    /// for values JSON cannot hold, as the query API sends them.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
