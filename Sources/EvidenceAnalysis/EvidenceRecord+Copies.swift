/// Telling a true duplicate of an event from a copy that says something different about it.

import Foundation

extension EvidenceRecord {
    /// Whether `other`, a record with the same ``EventKey``, contradicts this one on a fact the
    /// proof rests on: the enterprise-policy claim, the perimeter claim, a network-route field, or
    /// the caller's tenant or issuer.
    ///
    /// A fact one of the two copies cannot supply (its source has no such column) contradicts
    /// nothing: the same event read from two schemas may carry different columns. A fact both carry
    /// must agree, an empty value included, so a forged or damaged copy is judged on its own instead
    /// of being dropped, or standing in for the real one, depending on row order.
    func contradicts(_ other: EvidenceRecord) -> Bool {
        let unknown = unknownFields.union(other.unknownFields)
        if !unknown.contains(.enterprisePolicyClaim),
            Identifiers.normalizedResourceID(enterprisePolicyClaim)
                != Identifiers.normalizedResourceID(other.enterprisePolicyClaim)
        {
            return true
        }
        if !unknown.contains(.perimeterClaim), perimeterClaim != other.perimeterClaim { return true }
        if !unknown.contains(.route) {
            let mine = [addressAuthorizationType, privateEndpointId, subnetId, trustedService]
            let theirs = [
                other.addressAuthorizationType, other.privateEndpointId, other.subnetId, other.trustedService,
            ]
            for (left, right) in zip(mine, theirs) where Self.routeValue(left) != Self.routeValue(right) {
                return true
            }
        }
        for (left, right) in [(callerTenant, other.callerTenant), (issuer, other.issuer)]
        where !left.isEmpty && !right.isEmpty && left.lowercased() != right.lowercased() {
            return true
        }
        return false
    }

    /// Takes `other`'s tenant and issuer claims where this copy of the same event has none.
    mutating func absorbTenantClaims(of other: EvidenceRecord) {
        if callerTenant.isEmpty { callerTenant = other.callerTenant }
        if issuer.isEmpty { issuer = other.issuer }
    }

    /// A route field in comparison form: placeholders are no value, case does not matter.
    private static func routeValue(_ text: String) -> String {
        RouteClassifier.meaningful(text) ? text.lowercased() : ""
    }
}
