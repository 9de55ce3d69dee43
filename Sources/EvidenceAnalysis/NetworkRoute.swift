/// The network path classes a Key Vault request can be shown to have taken.

/// How a request reached the vault, as far as the audit record's network fields tell.
///
/// Trusted-service bypass is its own class: it is Microsoft's backbone, not the customer's private
/// network, and is never counted as a private endpoint or a delegated subnet.
public enum NetworkRoute: String, Codable, Sendable, CaseIterable, Comparable {
    /// Through a private endpoint of the vault (`privateEndpointId` set, or a private-link marker).
    case privateEndpoint
    /// From a subnet the policy names (caller IP inside one of its CIDRs, or its subnet id).
    case delegatedSubnet
    /// Admitted by the firewall's trusted-services bypass (`addrAuthType` `TrustedService`).
    case trustedService
    /// A virtual-network service endpoint from a subnet the policy does not name.
    case serviceEndpoint
    /// Over the public endpoint (`addrAuthType` `PublicIP`, or a public caller IP with no marker).
    case publicInternet = "public"
    /// The record does not say enough to tell.
    case unknown

    /// Routes a policy may accept; `public` and `unknown` can never be proof of a private path.
    public static let acceptable: [NetworkRoute] = [
        .privateEndpoint, .delegatedSubnet, .trustedService, .serviceEndpoint,
    ]

    public static func < (lhs: NetworkRoute, rhs: NetworkRoute) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension NetworkRoute {
    /// The route a policy names `name`, in any case ("PrivateEndpoint", as `addrAuthType` spells it,
    /// is `privateEndpoint`); `nil` for a name that is no route.
    package static func named(_ name: String) -> NetworkRoute? {
        let lowered = name.lowercased()
        return allCases.first { $0.rawValue.lowercased() == lowered }
    }

    /// The route a mistyped `name` probably meant: one whose name starts the other, else the
    /// closest within three edits; `nil` when none is that close.
    package static func suggestion(for name: String) -> NetworkRoute? {
        let lowered = Array(name.lowercased())
        let prefixed = allCases.filter {
            let known = $0.rawValue.lowercased()
            return !lowered.isEmpty && (String(lowered).hasPrefix(known) || known.hasPrefix(String(lowered)))
        }
        if let longest = prefixed.max(by: { $0.rawValue.count < $1.rawValue.count }) { return longest }
        let ranked = allCases.map { (route: $0, distance: editDistance(lowered, Array($0.rawValue.lowercased()))) }
        guard let best = ranked.min(by: { $0.distance < $1.distance }), best.distance <= 3 else { return nil }
        return best.route
    }

    /// Levenshtein distance: insertions, deletions and substitutions of single characters.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, left) in a.enumerated() {
            var current = [i + 1]
            for (j, right) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
