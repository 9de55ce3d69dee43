/// Describing the `error` object of a saved Log Analytics or Entra ID response in one line.

import TableModel

/// One-line descriptions of API error objects.
enum APIErrorText {
    /// `BadArgumentError → SyntaxError → SYN0002: Query could not be parsed at 'a' on line [1,4]`: the
    /// chain of codes through `innererror` (or the first of `details`), then the innermost message.
    static func describe(_ error: Dynamic) -> String {
        var codes: [String] = []
        var message = ""
        var current: Dynamic? = error
        var depth = 0
        while let node = current, case .object = node, depth < 16 {
            if let code = node["code"]?.stringValue, !code.isEmpty { codes.append(code) }
            if let text = node["message"]?.stringValue, !text.isEmpty { message = text }
            if let inner = node["innererror"], case .object = inner {
                current = inner
            } else if case .array(let details)? = node["details"], let first = details.first {
                current = first
            } else {
                current = nil
            }
            depth += 1
        }
        if codes.isEmpty && message.isEmpty { return error.jsonText }
        return codes.joined(separator: " → ") + (message.isEmpty ? "" : ": " + firstLine(message))
    }

    /// The description of an error-only body: a Log Analytics `{"error":{…}}` or an Entra ID token
    /// error `{"error":"invalid_client","error_description":…}`.
    static func describeBody(_ body: [String: Dynamic]) -> String {
        if case .string(let code)? = body["error"] {
            let detail = body["error_description"]?.stringValue.map { ": " + firstLine($0) } ?? ""
            return "a saved Entra ID token error response (\(code)\(detail)), not log data"
        }
        return "a saved Log Analytics error response, not log data: " + describe(body["error"] ?? .null)
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "")
    }
}
