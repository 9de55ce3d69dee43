/// Escaping text for HTML, SVG and XML documents.

/// Markup escaping shared by the HTML and JUnit writers.
public enum MarkupText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, and control characters other than
    /// tab, newline and carriage return dropped (XML 1.0 cannot hold them).
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
