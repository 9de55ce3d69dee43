/// Reading the query API's OneAPI error bodies and turning them into explanations.

import Foundation
import TableModel

/// The useful parts of `{"error":{"code","message","correlationId","innererror":{…},"details":[…]}}`.
struct ServiceError {
    var code: String
    var message: String
    var correlationID: String?
    /// Every level, outermost first: each nested `innererror` and each `details[]` entry.
    var chain: [(code: String, message: String)]

    /// Parses an error body; a body that is not this shape gives its first bytes as the message.
    ///
    /// Every text is scrubbed of `secrets` (the bearer token sent) and of anything shaped like a
    /// credential, since a service or proxy may echo the request in its error.
    init(body: Data, secrets: [String] = []) {
        let root = try? JSONParser.parse(bytes: Array(body))
        let error = root?["error"]
        let scrub = { (text: String) in SecretRedaction.scrub(text, secrets: secrets) }
        code = scrub(error?["code"]?.stringValue ?? "no error code")
        message = scrub(error?["message"]?.stringValue ?? String(decoding: body.prefix(300), as: UTF8.self))
        correlationID = error?["correlationId"]?.stringValue
        chain = (error.map(ServiceError.walk) ?? []).map { (scrub($0.code), scrub($0.message)) }
    }

    /// Every `code: message` pair inside an error object, outermost first.
    static func walk(_ error: Dynamic) -> [(code: String, message: String)] {
        var pairs: [(code: String, message: String)] = []
        func visit(_ node: Dynamic) {
            let code: String
            switch node["code"] {
            case .string(let text)?: code = text
            case .long(let number)?: code = String(number)
            default: code = ""
            }
            if let message = node["message"]?.stringValue { pairs.append((code, message)) }
            if let inner = node["innererror"] { visit(inner) }
            if case .array(let details)? = node["details"] { details.forEach(visit) }
        }
        visit(error)
        return pairs
    }

    /// The innermost code and message.
    var innermost: (code: String, message: String) { chain.last ?? (code, message) }

    /// `code: message` for every level, joined.
    var explanation: String {
        chain.map { $0.code.isEmpty ? $0.message : "\($0.code): \($0.message)" }.joined(separator: " → ")
    }

    /// The table a SEM0100 "Failed to resolve table or column expression named 'X'" names.
    var missingTable: String? {
        guard let failure = chain.first(where: { $0.code == "SEM0100" }) else { return nil }
        let marker = "expression named '"
        guard let start = failure.message.range(of: marker) else { return nil }
        let rest = failure.message[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }

    /// A partial error (`error` on a 200) in one line, for the report.
    static func describePartial(_ error: Dynamic) -> String {
        let pairs = walk(error)
        guard !pairs.isEmpty else { return error.jsonText }
        return pairs.map { $0.code.isEmpty ? $0.message : "\($0.code): \($0.message)" }.joined(separator: " → ")
    }
}
