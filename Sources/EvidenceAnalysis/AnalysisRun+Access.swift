/// Deciding one access: the perimeter claim, the enterprise-policy identity, the pinned object id
/// and the route, each checked only from columns that exist.

import TableModel

extension AnalysisRun {
    /// Checks one access against every rule and records its decision, violations and counts.
    ///
    /// A fact in `missing` is never held against the access: it leaves the access undecided.
    mutating func decideAccess(_ record: EvidenceRecord, route: RouteClassification, missing: Set<EvidenceField>) {
        // A value that is there was logged, whatever the schema says (it may come from
        // AdditionalFields); only an empty value of an absent column is unknown.
        var missing = missing
        if !record.perimeterClaimText.isEmpty { missing.remove(.perimeterClaim) }
        if !record.enterprisePolicyClaim.isEmpty { missing.remove(.enterprisePolicyClaim) }
        if !record.objectId.isEmpty { missing.remove(.objectId) }
        var broken: [(ViolationRule, String)] = []
        var open: [String] = []
        var passed: [String] = []

        // The vault: the record's name for it and its ARM id must agree.
        if let armVault = Identifiers.vaultName(fromResourceID: record.resourceId),
            Identifiers.normalizedVault(armVault) != Identifiers.normalizedVault(record.vault)
        {
            open.append("the record names vault \(record.vault) but its ResourceId names vault \(armVault)")
        }

        // The perimeter claim, parsed.
        if missing.contains(.perimeterClaim) {
            open.append("no perimeter claim, and \(record.sourceTable) has no perimeter claim column")
        } else {
            switch record.perimeterClaim {
            case .absent: broken.append((.perimeterClaimAbsent, "the record carries no perimeter claim"))
            case .empty: broken.append((.perimeterClaimEmpty, "the perimeter claim is [] (no perimeter)"))
            case .unparsable(let text):
                broken.append(
                    (.perimeterClaimUnparsable, "the perimeter claim '\(text)' is not a JSON list of strings"))
            case .perimeters(let guids):
                let unexpected = guids.filter { !expectedPerimeters.contains($0) }
                if unexpected.isEmpty {
                    passed.append("perimeter \(guids.joined(separator: ",")) expected")
                } else {
                    broken.append(
                        (.perimeterNotExpected, "perimeter \(unexpected.joined(separator: ",")) not in the policy"))
                }
            }
        }

        // The enterprise policy's identity, as a normalized ARM id.
        let identity = normalizedIdentity(record.enterprisePolicyClaim)
        let isExpected = !record.enterprisePolicyClaim.isEmpty && expectedPolicies.contains(identity)
        if missing.contains(.enterprisePolicyClaim) {
            open.append("no xms_mirid claim, and \(record.sourceTable) has no enterprise-policy claim column")
        } else if record.enterprisePolicyClaim.isEmpty {
            broken.append((.enterprisePolicyClaimAbsent, "no xms_mirid claim: not an enterprise policy identity"))
        } else if !isExpected {
            broken.append(
                (.enterprisePolicyUnexpected, "xms_mirid \(record.enterprisePolicyClaim) is not in the policy"))
        } else {
            passed.append("identity is enterprise policy \(record.enterprisePolicyClaim)")
        }

        // The pinned object id and the routes this identity may use.
        let rule =
            isExpected
            ? policy.identities.first { Identifiers.normalizedResourceID($0.enterprisePolicy) == identity } : nil
        if let pinned = rule?.objectId.flatMap(Identifiers.normalizedGUID) {
            if missing.contains(.objectId) {
                open.append("no object id, and \(record.sourceTable) has no object id column")
            } else if (Identifiers.normalizedGUID(record.objectId) ?? record.objectId) != pinned {
                let seen = record.objectId.isEmpty ? "no oid" : "oid \(record.objectId)"
                broken.append((.objectIdUnexpected, "\(seen), but the policy pins \(pinned)"))
            } else {
                passed.append("object id \(pinned) as pinned")
            }
        }
        // An unknown route is never proof; without a routes list the other routes are only
        // reported, but the public endpoint is never the private path.
        if route.route == .unknown {
            open.append("the route is unknown: no network field of the record decides it")
        } else if let accepted = rule?.routes ?? policy.routes {
            if accepted.contains(route.route) {
                passed.append("route \(route.route.rawValue) accepted (\(route.rule))")
            } else {
                let list = accepted.map(\.rawValue).joined(separator: ", ")
                broken.append(
                    (.routeNotAccepted, "route \(route.route.rawValue) (\(route.rule)) is not one of \(list)"))
            }
        } else if route.route == .publicInternet {
            broken.append(
                (
                    .routeNotAccepted,
                    "route public (\(route.rule)): the policy names no routes, and public is never accepted"
                ))
        } else {
            passed.append("route \(route.route.rawValue) reported, not enforced (\(route.rule))")
        }

        // The caller's tenant, when the policy names one.
        if let tenant = policy.tenantId {
            switch Self.tenantFinding(record, expected: tenant) {
            case .expected(let text), .silent(let text): passed.append(text)
            case .unexpected(let text): broken.append((.callerTenantUnexpected, text))
            }
        }

        let fields = eventFields(record, route: route)
        for (rule, detail) in broken {
            violations.append(Violation(rule: rule, detail: detail, record: fields, waiver: nil))
            violationOwners.append(decisions.count)
        }
        for reason in open {
            undecided[reason, default: 0] += 1
        }
        let outcome = !broken.isEmpty ? "violated" : (open.isEmpty ? "proven" : "undecided")
        let explanation = (broken.map { "\($0.0.rawValue): \($0.1)" } + open.map { "undecided: \($0)" } + passed)
            .joined(separator: "; ")
        let identityLabel =
            record.enterprisePolicyClaim.isEmpty
            ? (record.objectId.isEmpty ? "(none)" : "oid:" + record.objectId) : identity
        decisions.append(
            AccessDecision(
                time: fields.time, vault: fields.vault, operation: record.operation, sourceTable: record.sourceTable,
                identity: identityLabel, route: route.route, routeRule: route.rule, outcome: outcome,
                rules: broken.map(\.0), explanation: explanation))
        accessRecords.append((record, route))
        if isExpected { accessesByPolicy[identity, default: 0] += 1 }
        counts.byVault[record.vault.lowercased(), default: 0] += 1
        counts.byOperation[record.operation, default: 0] += 1
        counts.byIdentity[identityLabel, default: 0] += 1
        counts.byRoute[route.route.rawValue, default: 0] += 1
        counts.byDecision[outcome, default: 0] += 1
        counts.bySourceTable[record.sourceTable, default: 0] += 1
    }

    /// Files a non-2xx in-scope request under blocked attempts (401/403) or failed requests.
    mutating func recordRefusal(_ record: EvidenceRecord, status: Int, route: RouteClassification) {
        let identity = normalizedIdentity(record.enterprisePolicyClaim)
        let isPolicyIdentity = !record.enterprisePolicyClaim.isEmpty && expectedPolicies.contains(identity)
        let firewall =
            record.resultDescription.lowercased().contains("client address is not authorized")
            || record.isAddressAuthorized.lowercased() == "false"
        let fields = eventFields(record, route: route)
        let said = record.resultDescription.isEmpty ? "" : ": \(record.resultDescription)"
        let base =
            "\(record.operation) answered \(status) \(record.resultSignature)"
            + " (ResultType \(record.resultType.isEmpty ? "empty" : record.resultType))\(said)"
        switch status {
        case 401, 403:
            let kind: String
            if isPolicyIdentity {
                kind = "cmk-identity-refused"
                refusedPolicyOperations[record.operation, default: 0] += 1
            } else if firewall {
                kind = "firewall-refused"
            } else {
                kind = status == 401 ? "unauthenticated" : "authorization-refused"
            }
            blocked.append(RefusedRequest(kind: kind, detail: base, record: fields))
        default:
            let kind = isPolicyIdentity ? "cmk-request-failed" : "request-failed"
            failed.append(RefusedRequest(kind: kind, detail: base, record: fields))
        }
    }

    func eventFields(_ record: EvidenceRecord, route: RouteClassification) -> EventFields {
        EventFields(
            time: record.time.apiText, sourceTable: record.sourceTable, vault: record.vault,
            resourceId: record.resourceId, operation: record.operation, httpStatus: record.httpStatus,
            resultType: record.resultType, resultSignature: record.resultSignature,
            resultDescription: record.resultDescription, callerIp: record.callerIp,
            correlationId: record.correlationId, requestUri: record.requestUri, keyId: record.keyId,
            enterprisePolicyClaim: record.enterprisePolicyClaim, perimeterClaim: record.perimeterClaimText,
            objectId: record.objectId, appId: record.appId, route: route.route, routeRule: route.rule,
            callerTenant: Self.claimedTenants(record).first?.tenant)
    }

    /// Violations in a total order (time, vault, operation, rule, then the remaining fields), so the
    /// report does not depend on row order.
    func sortedViolations(_ list: [Violation]) -> [Violation] {
        list.map { (key: orderKey($0.record, $0.rule.rawValue + " " + $0.detail), item: $0) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.item)
    }

    /// Refused requests in a total order, as for violations.
    func sortedRefusals(_ list: [RefusedRequest]) -> [RefusedRequest] {
        list.map { (key: orderKey($0.record, $0.kind + " " + $0.detail), item: $0) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.item)
    }

    private func orderKey(_ record: EventFields, _ finding: String) -> [String] {
        [
            record.time, record.vault, record.operation, finding, record.correlationId, record.callerIp,
            record.requestUri, record.objectId, record.sourceTable, record.enterprisePolicyClaim,
            record.perimeterClaim,
        ]
    }
}
