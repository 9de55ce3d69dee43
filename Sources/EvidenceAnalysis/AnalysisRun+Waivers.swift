/// Applying the policy's waivers to violations, and requiring evidence from each enterprise policy.

import TableModel

extension AnalysisRun {
    /// Moves every violation a valid waiver covers to `waived`; expired waivers cover nothing.
    mutating func applyWaivers() {
        var uses = policy.waivers.map { waiver in
            WaiverUse(
                id: waiver.id, rule: waiver.rule, justification: waiver.justification, approver: waiver.approver,
                expires: waiver.expires, expired: DateTime(iso8601: waiver.expires).map { $0 <= now } ?? true,
                applied: 0)
        }
        var remaining: [Violation] = []
        var remainingOwners: [Int] = []
        for (violation, owner) in zip(violations, violationOwners) {
            let index = policy.waivers.indices.first { !uses[$0].expired && covers(policy.waivers[$0], violation) }
            if let index {
                var covered = violation
                covered.waiver = policy.waivers[index].id
                waived.append(covered)
                uses[index].applied += 1
            } else {
                remaining.append(violation)
                remainingOwners.append(owner)
            }
        }
        let stillViolated = Set(remainingOwners)
        for index in decisions.indices where decisions[index].outcome == "violated" && !stillViolated.contains(index) {
            decisions[index].outcome = "waived"
            counts.byDecision["violated", default: 0] -= 1
            counts.byDecision["waived", default: 0] += 1
        }
        counts.byDecision = counts.byDecision.filter { $0.value > 0 }
        violations = remaining
        violationOwners = remainingOwners
        waiverUses = uses.sorted { $0.id < $1.id }
        for use in waiverUses where use.expired {
            notes.append("waiver \(use.id) expired at \(use.expires) and covered nothing")
        }
    }

    private func covers(_ waiver: Waiver, _ violation: Violation) -> Bool {
        let record = violation.record
        guard waiver.rule == violation.rule.rawValue else { return false }
        if let vault = waiver.vault, Identifiers.normalizedVault(vault) != Identifiers.normalizedVault(record.vault) {
            return false
        }
        if let operation = waiver.operation, operation.lowercased() != record.operation.lowercased() { return false }
        if let identity = waiver.identity {
            let asID = Identifiers.normalizedResourceID(identity)
            let asGUID = Identifiers.normalizedGUID(identity)
            let matchesClaim =
                !record.enterprisePolicyClaim.isEmpty
                && asID == Identifiers.normalizedResourceID(record.enterprisePolicyClaim)
            let matchesObject = asGUID != nil && asGUID == Identifiers.normalizedGUID(record.objectId)
            guard matchesClaim || matchesObject else { return false }
        }
        if let callerIp = waiver.callerIp {
            guard let range = CIDRRange(callerIp), let address = IPAddress(record.callerIp), range.contains(address)
            else { return false }
        }
        return true
    }

    /// With `requireEvidenceFromEachPolicy`, a policy without an access in the window is a gap.
    mutating func checkEvidencePerPolicy() {
        guard policy.requireEvidenceFromEachPolicy else { return }
        for id in policy.enterprisePolicies.sorted() where accessesByPolicy[Identifiers.normalizedResourceID(id)] == nil
        {
            let region = policy.identities.first {
                Identifiers.normalizedResourceID($0.enterprisePolicy) == Identifiers.normalizedResourceID(id)
            }?.region
            let label = region.map { " (region \($0))" } ?? ""
            reasons.append("no access by enterprise policy \(id)\(label) in the window: its evidence is missing")
        }
    }
}
