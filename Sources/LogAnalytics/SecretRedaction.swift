/// Removing secrets from text a server or tool sent back, before that text goes into an error message.

import Foundation

/// Masks credentials in text that PathProof did not write itself: token endpoint and query API error
/// bodies (which may echo the request, with its secret, assertion or bearer token) and `az` output.
enum SecretRedaction {
    /// What a removed secret is replaced with.
    static let marker = "[redacted]"

    /// `text` with every known secret removed, as sent and as form-encoded, and with anything shaped
    /// like a credential masked: JWTs, the value after `Bearer`, the values of `access_token`,
    /// `refresh_token`, `id_token`, `client_secret` (also camel-cased, as `az` writes `accessToken`),
    /// `client_assertion` and `assertion`, and PEM
    /// private key blocks (to the end of the text when cut short).
    static func scrub(_ text: String, secrets: [String] = []) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            var spellings = [secret, formEncoded(secret)]
            let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count >= 4 { spellings.append(trimmed) }
            for spelling in Set(spellings) where !spelling.isEmpty {
                result = result.replacingOccurrences(of: spelling, with: marker)
            }
        }
        for (pattern, template) in patterns {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    /// `value` as `application/x-www-form-urlencoded` spells it (the form a server may echo back).
    private static func formEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    private static let patterns: [(NSRegularExpression, String)] = [
        // A PEM private key, whole or cut short.
        (
            #"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:.|\n)*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)"#,
            marker
        ),
        // A JWT (header.payload.signature; the header always starts with {" in base64url).
        (#"eyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*\.?[A-Za-z0-9_\-]*"#, marker),
        // Bearer TOKEN, in a header or a message.
        (#"(?i)(bearer\s+)[^\s"',;]+"#, "$1" + marker),
        // key=value, "key":"value", key: value for secret-bearing names.
        (
            #"(?i)((?:access_?token|refresh_?token|id_?token|client_?secret|client_assertion|assertion)"#
                + #"\\?"?\s*[:=]\s*\\?"?)[^\s"'&,;}\\]+"#,
            "$1" + marker
        ),
    ].map { pattern, template in
        // The patterns are constants: one that did not compile would fail every test that redacts.
        (try! NSRegularExpression(pattern: pattern), template)
    }
}
