/// Tenant sanity: the tenant the caller's token names must be the policy's tenant.

import TableModel

/// What the tenant claims of one access say about the policy's `tenantId`.
enum TenantFinding: Equatable {
    /// Every tenant the token names is the expected one.
    case expected(String)
    /// The token names another tenant; the text says which claim.
    case unexpected(String)
    /// The token names no tenant: not evidence either way; the text says why.
    case silent(String)
}

extension AnalysisRun {
    /// The tenants `record`'s token names, each with the claim that named it.
    static func claimedTenants(_ record: EvidenceRecord) -> [(claim: String, tenant: String)] {
        var claimed: [(String, String)] = []
        if !record.callerTenant.isEmpty {
            claimed.append(("tid", Identifiers.normalizedGUID(record.callerTenant) ?? record.callerTenant))
        }
        for fromIssuer in Identifiers.tenants(fromIssuer: record.issuer) {
            claimed.append(("iss", fromIssuer))
        }
        return claimed
    }

    /// Checks `record`'s tenant claims against `expected` (a normalized GUID).
    ///
    /// `tid` is the tenant of the token; `iss` names the tenant that issued it (for a managed
    /// identity, its own). Both, when present, must be `expected`; a token with neither (or an
    /// issuer without a tenant id in it) is no evidence either way, and the finding says so.
    static func tenantFinding(_ record: EvidenceRecord, expected: String) -> TenantFinding {
        let claimed = claimedTenants(record)
        let foreign = claimed.filter { $0.tenant != expected }
        if !foreign.isEmpty {
            let list = foreign.map { "\($0.claim) names tenant \($0.tenant)" }.joined(separator: ", ")
            return .unexpected("\(list), not the policy's tenant \(expected)")
        }
        if !record.issuer.isEmpty, Identifiers.tenant(fromIssuer: record.issuer) == nil {
            return .unexpected(
                "iss '\(record.issuer)' names no tenant id, so it is not the policy's tenant \(expected)")
        }
        if let first = claimed.first {
            return .expected("tenant \(first.tenant) as expected (\(claimed.map(\.claim).joined(separator: ", ")))")
        }
        let issuer = record.issuer.isEmpty ? "" : " (iss '\(record.issuer)' names no tenant id)"
        return .silent(
            "no tenant claim (tid, iss)\(issuer): the caller's tenant is neither confirmed nor refuted")
    }
}
