/// The names of the rules an access can break; they appear in reports and waivers.

/// A rule every access in scope must satisfy; its raw value is the stable name in reports.
public enum ViolationRule: String, Codable, Sendable, CaseIterable, Comparable {
    /// The record has no perimeter claim at all (`""`, null).
    case perimeterClaimAbsent = "perimeter-claim-absent"
    /// The perimeter claim is the empty list `[]`: the caller asserted no perimeter.
    case perimeterClaimEmpty = "perimeter-claim-empty"
    /// The perimeter claim is not a JSON list of strings.
    case perimeterClaimUnparsable = "perimeter-claim-unparsable"
    /// The perimeter claim lists a perimeter the policy does not expect.
    case perimeterNotExpected = "perimeter-not-expected"
    /// The record has no `xms_mirid` claim: not a managed identity of an enterprise policy.
    case enterprisePolicyClaimAbsent = "enterprise-policy-claim-absent"
    /// The `xms_mirid` claim names an identity outside the policy's enterprise policies.
    case enterprisePolicyUnexpected = "enterprise-policy-unexpected"
    /// The identity's object id differs from the one the policy pins for that enterprise policy.
    case objectIdUnexpected = "object-id-unexpected"
    /// The request took a route the policy does not accept (for example the public endpoint).
    case routeNotAccepted = "route-not-accepted"
    /// A Network Security Perimeter log shows public inbound traffic from the same caller at the
    /// same time, contradicting a private path.
    case perimeterLogContradicts = "perimeter-log-contradicts"
    /// The token names a tenant (`tid`, or the tenant in `iss`) other than the policy's `tenantId`.
    case callerTenantUnexpected = "caller-tenant-unexpected"
    /// A configuration event showed the vault with public network access enabled while the policy
    /// requires it disabled; the event is the record.
    case publicNetworkAccessEnabled = "public-network-access-enabled"

    public static func < (lhs: ViolationRule, rhs: ViolationRule) -> Bool { lhs.rawValue < rhs.rawValue }
}
