/// The proof policy: what a user expects every Key Vault key access to show.

import TableModel

/// What must hold for every key access in scope, read from a JSON file.
///
/// ```json
/// {
///   "vaults": ["kv-cmk-prod"],
///   "enterprisePolicies": [
///     "/subscriptions/…/resourceGroups/rg-pp/providers/Microsoft.PowerPlatform/enterprisePolicies/cmk-weu",
///     "/subscriptions/…/resourceGroups/rg-pp/providers/Microsoft.PowerPlatform/enterprisePolicies/cmk-neu"
///   ],
///   "perimeters": ["8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"],
///   "operations": ["KeyGet", "KeyWrap", "KeyUnwrap"],
///   "keys": [{ "name": "cmk-key", "version": "0123456789abcdef0123456789abcdef" }],
///   "routes": ["trustedService", "privateEndpoint"],
///   "subnets": ["10.10.0.0/27", "fd00:10::/64"],
///   "identities": [
///     { "enterprisePolicy": "/subscriptions/…/enterprisePolicies/cmk-weu",
///       "objectId": "00000000-0000-0000-0000-0000000001f1", "routes": ["trustedService"],
///       "region": "westeurope" }
///   ],
///   "requireEvidenceFromEachPolicy": true,
///   "settleMarginMinutes": 15,
///   "maxSilenceMinutes": 120,
///   "tenantId": "00000000-0000-0000-0000-0000000000a7",
///   "requirePublicNetworkAccessDisabled": true,
///   "waivers": [
///     { "id": "W-7", "rule": "perimeter-claim-empty", "justification": "perimeter rollout",
///       "approver": "ciso@contoso.com", "expires": "2026-06-30T00:00:00Z", "vault": "kv-cmk-prod" }
///   ]
/// }
/// ```
///
/// `vaults`, `enterprisePolicies` and `perimeters` are required and non-empty: a policy that named
/// no vault would prove nothing about the vault the user cares about. Unknown fields are refused,
/// so a misspelt field cannot silently weaken the proof. ARM ids, GUIDs, vault and key names
/// compare case-insensitively.
public struct ProofPolicy: Codable, Sendable, Hashable {
    /// ARM ids of the `Microsoft.PowerPlatform/enterprisePolicies` whose identity (`xms_mirid`)
    /// every access must carry.
    public var enterprisePolicies: [String]
    /// Network Security Perimeter GUIDs; every access's perimeter claim must list only these.
    public var perimeters: [String]
    /// Vault names in scope (required, non-empty).
    public var vaults: [String]
    /// Operation names in scope; default `KeyGet`, `KeyWrap`, `KeyUnwrap`. Unknown names are refused.
    public var operations: [String]
    /// Keys in scope, matched from the request URI or key id; empty means every key of the vaults.
    public var keys: [KeyScope]
    /// Routes an access may take; `nil` means every route but `public` is accepted (and reported).
    public var routes: [NetworkRoute]?
    /// The delegated subnets: CIDR ranges (IPv4 or IPv6) and/or subnet ARM ids.
    public var subnets: [String]
    /// Optional per-identity rules: a pinned object id, the routes that identity may use, a region.
    public var identities: [IdentityRule]
    /// When true, every enterprise policy (for example each of a regional pair) must show at least
    /// one access in the window; a policy without one makes the verdict UNPROVEN.
    public var requireEvidenceFromEachPolicy: Bool
    /// How long after the window's end records may still arrive (default 15 minutes).
    public var settleMarginMinutes: Int
    /// The longest silence (no audit record of any kind from a vault) the proof tolerates
    /// (default 120 minutes); 0 switches the coverage check off, which the report states.
    public var maxSilenceMinutes: Int
    /// Accepted exceptions to the rules; each is listed in the report with what it covered.
    public var waivers: [Waiver]
    /// The Microsoft Entra tenant (directory id) the callers must belong to, when checked: an access
    /// whose token names another tenant (claim `tid`, or the tenant in `iss`) breaks
    /// `caller-tenant-unexpected`. A token without either claim is evidence neither way.
    public var tenantId: String?
    /// When true, every vault in scope must be seen in the window with `publicNetworkAccess`
    /// `Disabled` (or `SecuredByPerimeter`): a vault seen with it `Enabled` breaks
    /// `public-network-access-enabled`, and a vault whose setting no configuration event showed
    /// makes the verdict UNPROVEN. Default false: the settings are reported, not enforced.
    public var requirePublicNetworkAccessDisabled: Bool

    /// The latest window end that is settled at `now` (now minus the settle margin): a caller
    /// without an explicit end should analyse up to this instant.
    public func settledBefore(now: DateTime) -> DateTime {
        DateTime(ticks: now.ticks - Int64(settleMarginMinutes) * 60 * DateTime.ticksPerSecond)
    }

    /// Creates a policy; defaults as documented on each property.
    public init(
        enterprisePolicies: [String], perimeters: [String], vaults: [String],
        operations: [String] = KeyVaultOperation.defaultScope, keys: [KeyScope] = [],
        routes: [NetworkRoute]? = nil, subnets: [String] = [], identities: [IdentityRule] = [],
        requireEvidenceFromEachPolicy: Bool = false, settleMarginMinutes: Int = 15,
        maxSilenceMinutes: Int = 120, waivers: [Waiver] = [], tenantId: String? = nil,
        requirePublicNetworkAccessDisabled: Bool = false
    ) {
        self.enterprisePolicies = enterprisePolicies
        self.perimeters = perimeters
        self.vaults = vaults
        self.operations = operations
        self.keys = keys
        self.routes = routes
        self.subnets = subnets
        self.identities = identities
        self.requireEvidenceFromEachPolicy = requireEvidenceFromEachPolicy
        self.settleMarginMinutes = settleMarginMinutes
        self.maxSilenceMinutes = maxSilenceMinutes
        self.waivers = waivers
        self.tenantId = tenantId
        self.requirePublicNetworkAccessDisabled = requirePublicNetworkAccessDisabled
    }
}

/// A key in scope: its name and, when pinned, its version.
public struct KeyScope: Codable, Sendable, Hashable {
    /// The key name (case-insensitive).
    public var name: String
    /// The key version; `nil` accepts every version.
    public var version: String?

    /// Creates a key scope.
    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }
}

/// Extra expectations for one enterprise policy's identity.
public struct IdentityRule: Codable, Sendable, Hashable {
    /// The enterprise policy ARM id this rule is about (must also be in `enterprisePolicies`).
    public var enterprisePolicy: String
    /// The identity's object id (`oid`), when pinned: a different oid with this `xms_mirid` is a
    /// violation (the path in `xms_mirid` is a mutable name, the oid is not).
    public var objectId: String?
    /// The routes this identity may use; `nil` falls back to the policy's `routes`.
    public var routes: [NetworkRoute]?
    /// A label for the report, such as the region of one policy of a regional pair.
    public var region: String?

    /// Creates an identity rule.
    public init(enterprisePolicy: String, objectId: String? = nil, routes: [NetworkRoute]? = nil, region: String? = nil)
    {
        self.enterprisePolicy = enterprisePolicy
        self.objectId = objectId
        self.routes = routes
        self.region = region
    }
}

/// An accepted exception: violations of `rule` that match every given selector are waived until
/// `expires`.
public struct Waiver: Codable, Sendable, Hashable {
    /// A short identifier shown in the report.
    public var id: String
    /// The violation rule waived (for example `perimeter-claim-empty`).
    public var rule: String
    /// Why the exception is acceptable.
    public var justification: String
    /// Who approved it.
    public var approver: String
    /// When it stops applying (ISO 8601, UTC when no zone is given).
    public var expires: String
    /// Only this vault, when given.
    public var vault: String?
    /// Only this operation, when given.
    public var operation: String?
    /// Only accesses whose enterprise-policy claim or object id is this, when given.
    public var identity: String?
    /// Only callers inside this CIDR range (or this address), when given.
    public var callerIp: String?

    /// Creates a waiver.
    public init(
        id: String, rule: String, justification: String, approver: String, expires: String,
        vault: String? = nil, operation: String? = nil, identity: String? = nil, callerIp: String? = nil
    ) {
        self.id = id
        self.rule = rule
        self.justification = justification
        self.approver = approver
        self.expires = expires
        self.vault = vault
        self.operation = operation
        self.identity = identity
        self.callerIp = callerIp
    }
}
