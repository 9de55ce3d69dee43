/// Building the credential `--credential` names from the environment, as the Azure SDKs read it.

import Foundation

/// Environment variables the credentials read.
///
/// Standard Azure SDK names: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
/// AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST, IDENTITY_ENDPOINT,
/// IDENTITY_HEADER. PathProof's own: PATHPROOF_ACCESS_TOKEN (+ PATHPROOF_ACCESS_TOKEN_EXPIRES_ON),
/// PATHPROOF_AZ (the `az` executable), PATHPROOF_IMDS_ENDPOINT (IMDS base URL), and
/// PATHPROOF_MANAGED_IDENTITY_CLIENT_ID / _OBJECT_ID / _RESOURCE_ID (a user-assigned identity).
extension LogAnalyticsClient {
    /// The credential of `kind`, configured from `environment`.
    ///
    /// - Parameter cloud: gives the sign-in host when AZURE_AUTHORITY_HOST is not set.
    /// - Throws: ``LogAnalyticsError/credentialUnavailable(kind:reason:)`` naming the missing variable.
    public static func makeCredential(
        kind: CredentialKind, environment: [String: String] = ProcessInfo.processInfo.environment,
        cloud: Cloud = .public
    ) throws(LogAnalyticsError) -> any AccessTokenProvider {
        let settings = CredentialSettings(environment: environment, cloud: cloud)
        switch kind {
        case .tokenEnv: return try settings.tokenEnv()
        case .azureCLI: return AzureCLICredential(executable: environment["PATHPROOF_AZ"] ?? "az")
        case .clientSecret: return try settings.clientSecret()
        case .clientCertificate: return try settings.clientCertificate()
        case .workloadIdentity: return try settings.workloadIdentity()
        case .managedIdentity: return settings.managedIdentity()
        case .auto:
            var links: [(kind: CredentialKind, provider: any AccessTokenProvider)] = []
            if environment["AZURE_CLIENT_SECRET"] != nil, let secret = try? settings.clientSecret() {
                links.append((.clientSecret, secret))
            } else if environment["AZURE_CLIENT_CERTIFICATE_PATH"] != nil,
                let certificate = try? settings.clientCertificate()
            {
                links.append((.clientCertificate, certificate))
            }
            if let workload = try? settings.workloadIdentity() { links.append((.workloadIdentity, workload)) }
            links.append((.managedIdentity, settings.managedIdentity(timeout: 1, attempts: 1)))
            links.append((.azureCLI, AzureCLICredential(executable: environment["PATHPROOF_AZ"] ?? "az")))
            return ChainedCredential(links)
        }
    }
}

/// Reads credential settings from environment variables, naming any that is missing.
private struct CredentialSettings {
    let environment: [String: String]
    let cloud: Cloud

    private func require(_ name: String, for kind: CredentialKind) throws(LogAnalyticsError) -> String {
        guard let value = environment[name], !value.isEmpty else {
            throw .credentialUnavailable(kind: kind, reason: "environment variable \(name) is not set")
        }
        return value
    }

    private func app(for kind: CredentialKind) throws(LogAnalyticsError) -> EntraApp {
        let authority = environment["AZURE_AUTHORITY_HOST"].flatMap { URL(string: $0) } ?? cloud.authorityHost
        return EntraApp(
            tenantID: try require("AZURE_TENANT_ID", for: kind), clientID: try require("AZURE_CLIENT_ID", for: kind),
            authorityHost: authority)
    }

    func tokenEnv() throws(LogAnalyticsError) -> any AccessTokenProvider {
        let token = try require("PATHPROOF_ACCESS_TOKEN", for: .tokenEnv)
        let expiresOn = environment["PATHPROOF_ACCESS_TOKEN_EXPIRES_ON"].flatMap(Double.init).map {
            Date(timeIntervalSince1970: $0)
        }
        return TokenEnvCredential(token: token.trimmingCharacters(in: .whitespacesAndNewlines), expiresOn: expiresOn)
    }

    func clientSecret() throws(LogAnalyticsError) -> any AccessTokenProvider {
        ClientSecretCredential(
            app: try app(for: .clientSecret), secret: try require("AZURE_CLIENT_SECRET", for: .clientSecret))
    }

    func clientCertificate() throws(LogAnalyticsError) -> any AccessTokenProvider {
        ClientCertificateCredential(
            app: try app(for: .clientCertificate),
            certificatePath: try require("AZURE_CLIENT_CERTIFICATE_PATH", for: .clientCertificate))
    }

    func workloadIdentity() throws(LogAnalyticsError) -> any AccessTokenProvider {
        WorkloadIdentityCredential(
            app: try app(for: .workloadIdentity),
            tokenFile: try require("AZURE_FEDERATED_TOKEN_FILE", for: .workloadIdentity))
    }

    func managedIdentity(timeout: TimeInterval = 5, attempts: Int = 4) -> any AccessTokenProvider {
        var identity: UserAssignedIdentity?
        if let id = environment["PATHPROOF_MANAGED_IDENTITY_CLIENT_ID"] ?? environment["AZURE_CLIENT_ID"] {
            identity = .clientID(id)
        } else if let id = environment["PATHPROOF_MANAGED_IDENTITY_OBJECT_ID"] {
            identity = .objectID(id)
        } else if let id = environment["PATHPROOF_MANAGED_IDENTITY_RESOURCE_ID"] {
            identity = .resourceID(id)
        }
        if let endpoint = environment["IDENTITY_ENDPOINT"].flatMap({ URL(string: $0) }),
            let secret = environment["IDENTITY_HEADER"]
        {
            return ManagedIdentityCredential(
                endpoint: .appService(endpoint: endpoint, secret: secret), identity: identity, timeout: timeout,
                attempts: attempts)
        }
        let base =
            (environment["PATHPROOF_IMDS_ENDPOINT"] ?? environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"])
            .flatMap { URL(string: $0) } ?? ManagedIdentityCredential.imdsAddress
        return ManagedIdentityCredential(
            endpoint: .imds(base: base), identity: identity, timeout: timeout, attempts: attempts)
    }
}
