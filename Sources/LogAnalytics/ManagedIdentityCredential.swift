/// Azure managed identity: the VM/VMSS instance metadata service (IMDS) or the App Service /
/// Container Apps identity endpoint.

import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Which user-assigned identity to use; `nil` in ``ManagedIdentityCredential`` means the system-assigned one.
public enum UserAssignedIdentity: Sendable, Equatable {
    /// By the identity's client id.
    case clientID(String)
    /// By the identity's object (principal) id.
    case objectID(String)
    /// By the identity's ARM resource id.
    case resourceID(String)
}

/// A token from the managed identity of the machine or app PathProof runs on.
public struct ManagedIdentityCredential: AccessTokenProvider {
    /// Where the identity endpoint is.
    public enum Endpoint: Sendable {
        /// IMDS at `base` (normally `http://169.254.169.254`).
        case imds(base: URL)
        /// App Service or Container Apps: IDENTITY_ENDPOINT with the IDENTITY_HEADER secret.
        case appService(endpoint: URL, secret: String)
    }

    /// The default IMDS address on Azure VMs.
    public static let imdsAddress = URL(string: "http://169.254.169.254")!

    let endpoint: Endpoint
    let identity: UserAssignedIdentity?
    /// How long one request may take; IMDS answers fast, and a host outside Azure should fail fast.
    let timeout: TimeInterval
    /// Attempts for IMDS's retryable answers (404, 410, 429, 5xx).
    let attempts: Int

    /// Creates the credential.
    public init(endpoint: Endpoint, identity: UserAssignedIdentity? = nil, timeout: TimeInterval = 5, attempts: Int = 4)
    {
        self.endpoint = endpoint
        self.identity = identity
        self.timeout = timeout
        self.attempts = max(1, attempts)
    }

    public func token(for scope: String) async throws -> AccessToken {
        let resource = scope.hasSuffix("/.default") ? String(scope.dropLast("/.default".count)) : scope
        let request = makeRequest(resource: resource)
        var delay: Double = 0.5
        for attempt in 1...attempts {
            let (status, body) = try await TokenEndpoint.send(request, kind: .managedIdentity, timeout: timeout)
            let retryable = status == 404 || status == 410 || status == 429 || status >= 500
            if case .imds = endpoint, retryable, attempt < attempts {
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay *= 2
                continue
            }
            return try TokenEndpoint.token(
                from: body, status: status, kind: .managedIdentity, source: sourceName, secrets: secrets)
        }
        throw LogAnalyticsError.credentialUnavailable(
            kind: .managedIdentity, reason: "no answer from the identity endpoint")
    }

    /// What the request carries that must not come back in a message: App Service's identity header.
    private var secrets: [String] {
        if case .appService(_, let secret) = endpoint { return [secret] }
        return []
    }

    private var sourceName: String {
        switch endpoint {
        case .imds: return "managed-identity (IMDS)"
        case .appService: return "managed-identity (App Service)"
        }
    }

    private func makeRequest(resource: String) -> URLRequest {
        var items: [URLQueryItem]
        let url: URL
        var headers: [String: String]
        switch endpoint {
        case .imds(let base):
            url = base.appendingPathComponent("metadata/identity/oauth2/token")
            items = [URLQueryItem(name: "api-version", value: "2018-02-01")]
            headers = ["Metadata": "true"]
        case .appService(let endpointURL, let secret):
            url = endpointURL
            items = [URLQueryItem(name: "api-version", value: "2019-08-01")]
            headers = ["X-IDENTITY-HEADER": secret]
        }
        items.append(URLQueryItem(name: "resource", value: resource))
        switch identity {
        case .clientID(let id): items.append(URLQueryItem(name: "client_id", value: id))
        case .objectID(let id): items.append(URLQueryItem(name: "object_id", value: id))
        case .resourceID(let id):
            let name: String
            if case .imds = endpoint { name = "msi_res_id" } else { name = "mi_res_id" }
            items.append(URLQueryItem(name: name, value: id))
        case nil: break
        }
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.queryItems = (components.queryItems ?? []) + items
        var request = URLRequest(url: components.url!)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }
}
