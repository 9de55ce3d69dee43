/// A token handed in through the environment (PATHPROOF_ACCESS_TOKEN), for pipelines that fetch their own.

import Foundation

/// A fixed token. Its expiry is PATHPROOF_ACCESS_TOKEN_EXPIRES_ON (epoch seconds) when given, else the
/// token's own `exp` claim, else one hour.
public struct TokenEnvCredential: AccessTokenProvider {
    let token: String
    let expiresOn: Date?

    /// Creates the credential over a token.
    public init(token: String, expiresOn: Date? = nil) {
        self.token = token
        self.expiresOn = expiresOn
    }

    public func token(for scope: String) async throws -> AccessToken {
        AccessToken(
            token: token, expiresOn: expiresOn ?? expiryClaim ?? Date().addingTimeInterval(3600), source: "token-env")
    }

    private var expiryClaim: Date? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
            let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
            let seconds = TokenEndpoint.number(object["exp"])
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
