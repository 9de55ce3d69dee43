/// Access tokens, the protocol every credential implements, and the names of the credential kinds.

import Foundation

/// A bearer token for the query API. Its text is never printed: descriptions and mirrors redact it.
public struct AccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The bearer token itself; send it, never log it.
    public let token: String
    /// When the token stops working.
    public let expiresOn: Date
    /// Which credential produced it (for the report), e.g. `azure-cli`.
    public let source: String

    /// Creates a token.
    public init(token: String, expiresOn: Date, source: String) {
        self.token = token
        self.expiresOn = expiresOn
        self.source = source
    }

    public var description: String {
        "access token from \(source), expires \(ISO8601DateFormatter().string(from: expiresOn))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["source": source, "expiresOn": expiresOn, "token": "<redacted>"])
    }

    /// The `aud` claim of a JWT token, read without checking its signature (to explain a 403).
    public var audienceClaim: String? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
            let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any]
        else { return nil }
        return object["aud"] as? String
    }
}

/// Something that can produce an access token for a scope.
public protocol AccessTokenProvider: Sendable {
    /// A token for `scope` (for example `https://api.loganalytics.io/.default`).
    func token(for scope: String) async throws -> AccessToken
}

/// The credential choices of `--credential`.
public enum CredentialKind: String, Sendable, CaseIterable {
    /// Try, in azure-identity's order: environment (client secret or certificate), workload identity,
    /// managed identity, Azure CLI.
    case auto
    /// Azure managed identity (IMDS, App Service, Container Apps).
    case managedIdentity = "managed-identity"
    /// Workload identity federation (AKS, GitHub OIDC): a federated token file as client assertion.
    case workloadIdentity = "workload-identity"
    /// An app registration's client secret.
    case clientSecret = "client-secret"
    /// An app registration's certificate (a JWT client assertion signed with its private key).
    case clientCertificate = "client-certificate"
    /// The signed-in Azure CLI (`az account get-access-token`).
    case azureCLI = "azure-cli"
    /// A token given in the PATHPROOF_ACCESS_TOKEN environment variable.
    case tokenEnv = "token-env"
}

/// Base64url without padding, as JWTs use it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
