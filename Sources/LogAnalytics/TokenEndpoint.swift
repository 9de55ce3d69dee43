/// Shared HTTP plumbing for credentials: form posts, token replies in their several shapes, and errors.

import Foundation
import TableModel

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends token requests and reads the replies of Entra, IMDS and App Service identity endpoints.
enum TokenEndpoint {
    /// A session that never caches and gives up on a silent endpoint after `timeout` seconds.
    static func session(timeout: TimeInterval) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.connectionProxyDictionary = [:]
        return URLSession(configuration: configuration)
    }

    /// `application/x-www-form-urlencoded` text of `fields`.
    static func form(_ fields: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = fields.map { name, value in
            let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            return name + "=" + encoded
        }.joined(separator: "&")
        return Data(text.utf8)
    }

    /// Sends `request`; a connection failure makes the credential unavailable.
    static func send(_ request: URLRequest, kind: CredentialKind, timeout: TimeInterval = 30)
        async throws(LogAnalyticsError) -> (status: Int, body: Data)
    {
        let session = session(timeout: timeout)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch {
            let host = request.url?.host ?? "?"
            throw .credentialUnavailable(kind: kind, reason: "cannot reach \(host): \(error.localizedDescription)")
        }
    }

    /// Reads a token reply: `access_token` plus `expires_on` (epoch number or string, or an App Service
    /// date) or `expires_in` (number or string). An error reply becomes `tokenRequestFailed`, its text
    /// scrubbed of `secrets` (what the request carried) and of anything shaped like a credential.
    static func token(
        from body: Data, status: Int, kind: CredentialKind, source: String, secrets: [String] = [],
        now: Date = Date()
    ) throws(LogAnalyticsError) -> AccessToken {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        guard (200..<300).contains(status), let token = object["access_token"] as? String, !token.isEmpty else {
            let code = (object["error"] as? String) ?? (object["code"] as? String) ?? "no error code"
            let text =
                (object["error_description"] as? String) ?? (object["message"] as? String)
                ?? String(decoding: body.prefix(300), as: UTF8.self)
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            throw .tokenRequestFailed(
                kind: kind, status: status, code: SecretRedaction.scrub(code, secrets: secrets),
                message: SecretRedaction.scrub(firstLine, secrets: secrets))
        }
        if let expiresOn = expiry(object["expires_on"]) {
            return AccessToken(token: token, expiresOn: expiresOn, source: source)
        }
        if let seconds = number(object["expires_in"]) {
            return AccessToken(token: token, expiresOn: now.addingTimeInterval(seconds), source: source)
        }
        // No lifetime given: assume the shortest common one, so it is refreshed early rather than late.
        return AccessToken(token: token, expiresOn: now.addingTimeInterval(300), source: source)
    }

    /// A number given as a JSON number or a string of digits.
    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    /// `expires_on` as epoch seconds (number or string) or the older App Service form
    /// `MM/dd/yyyy HH:mm:ss +00:00`.
    static func expiry(_ value: Any?) -> Date? {
        if let seconds = number(value) { return Date(timeIntervalSince1970: seconds) }
        guard let text = value as? String else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "MM/dd/yyyy HH:mm:ss xxx"
        return formatter.date(from: text)
    }
}
