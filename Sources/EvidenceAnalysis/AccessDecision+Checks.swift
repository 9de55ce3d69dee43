/// Which check of an access each undecided part of its explanation leaves open.

extension AccessDecision {
    /// A check every access goes through, named as the JUnit report names it.
    package enum Check: String, CaseIterable, Sendable {
        case perimeterClaim = "perimeter claim"
        case enterprisePolicyIdentity = "enterprise-policy identity"
        case networkRoute = "network route"
    }

    /// The reasons this access was left undecided, each with the check it leaves open (`nil` for a
    /// reason, such as a vault name that disagrees with the ResourceId, that belongs to no check).
    ///
    /// The prefixes are the ones `AnalysisRun.decideAccess` writes after `undecided: `.
    package var undecidedReasons: [(check: Check?, reason: String)] {
        let marker = "undecided: "
        return explanation.components(separatedBy: "; ").filter { $0.hasPrefix(marker) }.map { part in
            let reason = String(part.dropFirst(marker.count))
            return (Self.check(forUndecided: reason), reason)
        }
    }

    private static func check(forUndecided reason: String) -> Check? {
        if reason.hasPrefix("no perimeter claim, and ") { return .perimeterClaim }
        if reason.hasPrefix("no xms_mirid claim, and ") || reason.hasPrefix("no object id, and ") {
            return .enterprisePolicyIdentity
        }
        if reason.hasPrefix("the route is unknown") { return .networkRoute }
        return nil
    }
}
