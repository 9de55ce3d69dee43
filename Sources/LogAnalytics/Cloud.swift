/// The Azure clouds PathProof can query, with their Log Analytics hosts, token audiences and sign-in hosts.

import Foundation

/// An Azure cloud: where its Log Analytics query API lives and which token audience it accepts.
public enum Cloud: String, Sendable, CaseIterable {
    /// The public Azure cloud.
    case `public`
    /// Azure operated by 21Vianet (China).
    case china
    /// Azure Government (US).
    case usgov

    /// The query API host, e.g. `https://api.loganalytics.azure.com` for the public cloud.
    public var queryEndpoint: URL {
        switch self {
        case .public: return URL(string: "https://api.loganalytics.azure.com")!
        case .china: return URL(string: "https://api.loganalytics.azure.cn")!
        case .usgov: return URL(string: "https://api.loganalytics.us")!
        }
    }

    /// The token audience (resource) the query API accepts.
    ///
    /// The public cloud keeps the older `https://api.loganalytics.io` audience even on the new host.
    public var audience: String {
        switch self {
        case .public: return "https://api.loganalytics.io"
        case .china: return "https://api.loganalytics.azure.cn"
        case .usgov: return "https://api.loganalytics.us"
        }
    }

    /// The OAuth scope for the audience: `<audience>/.default`.
    public var scope: String { audience + "/.default" }

    /// The Microsoft Entra sign-in host of the cloud.
    public var authorityHost: URL {
        switch self {
        case .public: return URL(string: "https://login.microsoftonline.com")!
        case .china: return URL(string: "https://login.chinacloudapi.cn")!
        case .usgov: return URL(string: "https://login.microsoftonline.us")!
        }
    }

    /// The cloud whose audience a scope or resource names, if any.
    public static func forAudience(_ audience: String) -> Cloud? {
        let trimmed = audience.replacingOccurrences(of: "/.default", with: "")
        return allCases.first { $0.audience == trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
    }
}
