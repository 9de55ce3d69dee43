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
