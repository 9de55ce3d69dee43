/// Microsoft Entra client-credentials flows: client secret, and client assertions (certificate or federated).

import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where an app registration signs in: its tenant, client id and the cloud's sign-in host.
public struct EntraApp: Sendable {
    /// The directory (tenant) id.
    public var tenantID: String
    /// The application (client) id.
    public var clientID: String
    /// The sign-in host, e.g. `https://login.microsoftonline.com` (AZURE_AUTHORITY_HOST overrides it).
    public var authorityHost: URL

    /// Creates the description of an app registration.
    public init(tenantID: String, clientID: String, authorityHost: URL = Cloud.public.authorityHost) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.authorityHost = authorityHost
    }

    /// The v2 token endpoint: `{authority}/{tenant}/oauth2/v2.0/token`.
    public var tokenEndpoint: URL {
        authorityHost.appendingPathComponent(tenantID).appendingPathComponent("oauth2/v2.0/token")
    }

    /// Requests a token with `client_credentials` plus the secret or assertion `fields`.
    func requestToken(scope: String, fields: [(String, String)], kind: CredentialKind)
        async throws(LogAnalyticsError) -> AccessToken
    {
        var request = URLRequest(url: tokenEndpoint)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = TokenEndpoint.form(
            [("client_id", clientID), ("scope", scope), ("grant_type", "client_credentials")] + fields)
        let (status, body) = try await TokenEndpoint.send(request, kind: kind)
        let secrets = fields.filter { $0.0 == "client_secret" || $0.0 == "client_assertion" }.map(\.1)
        return try TokenEndpoint.token(
            from: body, status: status, kind: kind, source: kind.rawValue, secrets: secrets)
    }
}

/// An app registration signing in with a client secret.
public struct ClientSecretCredential: AccessTokenProvider {
    let app: EntraApp
    let secret: String

    /// Creates the credential; the secret is sent only to the app's token endpoint.
    public init(app: EntraApp, secret: String) {
        self.app = app
        self.secret = secret
    }

    public func token(for scope: String) async throws -> AccessToken {
        try await app.requestToken(scope: scope, fields: [("client_secret", secret)], kind: .clientSecret)
    }
}

/// Workload identity federation: the federated token file (re-read at every request, as Kubernetes
/// rotates it) is the client assertion.
public struct WorkloadIdentityCredential: AccessTokenProvider {
    let app: EntraApp
    let tokenFile: String

    /// Creates the credential over the federated token in `tokenFile`.
    public init(app: EntraApp, tokenFile: String) {
        self.app = app
        self.tokenFile = tokenFile
    }

    public func token(for scope: String) async throws -> AccessToken {
        guard let data = FileManager.default.contents(atPath: tokenFile),
            let assertion = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !assertion.isEmpty
        else {
            throw LogAnalyticsError.credentialUnavailable(
                kind: .workloadIdentity, reason: "the federated token file \(tokenFile) is missing or empty")
        }
        return try await app.requestToken(scope: scope, fields: assertionFields(assertion), kind: .workloadIdentity)
    }
}

/// An app registration signing in with a certificate: a JWT client assertion signed with its private key.
public struct ClientCertificateCredential: AccessTokenProvider {
    let app: EntraApp
    let certificatePath: String

    /// Creates the credential from a PEM file holding the private key and the certificate.
    public init(app: EntraApp, certificatePath: String) {
        self.app = app
        self.certificatePath = certificatePath
    }

    public func token(for scope: String) async throws -> AccessToken {
        let signer = try CertificateAssertionSigner(pemPath: certificatePath)
        let assertion = try signer.assertion(
            audience: app.tokenEndpoint.absoluteString, clientID: app.clientID, now: Date())
        return try await app.requestToken(scope: scope, fields: assertionFields(assertion), kind: .clientCertificate)
    }
}

private func assertionFields(_ assertion: String) -> [(String, String)] {
    [
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
    ]
}
