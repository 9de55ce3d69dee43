/// The checks a decoded proof policy must pass, each failure naming the field at fault.

import Foundation
import TableModel

extension ProofPolicy {
    /// Checks every field and returns the policy with operation names canonical.
    ///
    /// Call this on a policy built in code; `load(path:)` calls it for you.
    /// - Parameter file: the name used in error messages.
    public func validated(file: String = "<policy>") throws(PolicyError) -> ProofPolicy {
        func fail(_ field: String, _ reason: String) -> PolicyError {
            .invalidField(file: file, field: field, reason: reason)
        }
        var policy = self

        try requireNonEmpty(vaults, "vaults", fail, what: "the vault names in scope")
        try requireNonEmpty(enterprisePolicies, "enterprisePolicies", fail, what: "the enterprise policy ARM ids")
        for (index, id) in enterprisePolicies.enumerated() where !Identifiers.isEnterprisePolicyID(id) {
            throw fail(
                "enterprisePolicies[\(index)]",
                "'\(id)' is not an ARM id of the form /subscriptions/{sub}/resourceGroups/{rg}/providers/"
                    + "Microsoft.PowerPlatform/enterprisePolicies/{name}")
        }
        try requireNonEmpty(perimeters, "perimeters", fail, what: "the expected perimeter GUIDs")
        for (index, guid) in perimeters.enumerated() where Identifiers.normalizedGUID(guid) == nil {
            throw fail("perimeters[\(index)]", "'\(guid)' is not a GUID")
        }
        guard !operations.isEmpty else { throw fail("operations", "must not be empty (omit it for the default)") }
        policy.operations = try operations.enumerated().map { (index, name) throws(PolicyError) in
            guard let canonical = KeyVaultOperation.canonical(name) else {
                let hint = KeyVaultOperation.suggestion(for: name).map { " (did you mean '\($0)'?)" } ?? ""
                throw fail("operations[\(index)]", "'\(name)' is not a Key Vault key operation\(hint)")
            }
            return canonical
        }
        for (index, key) in keys.enumerated() {
            if key.name.isEmpty || key.name.contains("/") { throw fail("keys[\(index)].name", "must be a key name") }
            if let version = key.version, version.isEmpty || version.contains("/") {
                throw fail("keys[\(index)].version", "must be a key version, or be left out")
            }
        }
        try validateRoutes(fail)
        try validateIdentities(fail)
        guard settleMarginMinutes >= 0 else { throw fail("settleMarginMinutes", "must not be negative") }
        guard maxSilenceMinutes >= 0 else { throw fail("maxSilenceMinutes", "must not be negative (0 turns it off)") }
        try validateWaivers(fail)
        if let tenantId {
            guard let tenant = Identifiers.normalizedGUID(tenantId) else {
                throw fail("tenantId", "'\(tenantId)' is not a GUID (the Microsoft Entra directory id)")
            }
            policy.tenantId = tenant
        }
        return policy
    }

    private func requireNonEmpty(
        _ list: [String], _ field: String, _ fail: (String, String) -> PolicyError, what: String
    ) throws(PolicyError) {
        guard !list.isEmpty else { throw fail(field, "must list \(what); an empty list would prove nothing") }
        for (index, item) in list.enumerated() where item.trimmed.isEmpty {
            throw fail("\(field)[\(index)]", "must not be empty")
        }
    }

    private func validateRoutes(_ fail: (String, String) -> PolicyError) throws(PolicyError) {
        if let routes {
            guard !routes.isEmpty else { throw fail("routes", "must name at least one route, or be left out") }
            for (index, route) in routes.enumerated() where !NetworkRoute.acceptable.contains(route) {
                throw fail("routes[\(index)]", "'\(route.rawValue)' can never prove a private path" + acceptedList)
            }
        }
        for (index, subnet) in subnets.enumerated() {
            let isSubnetID = Identifiers.normalizedResourceID(subnet).contains("/subnets/")
            guard isSubnetID || CIDRRange(subnet) != nil else {
                throw fail("subnets[\(index)]", "'\(subnet)' is neither a CIDR range nor a subnet ARM id")
            }
        }
        let allRoutes = (routes ?? []) + identities.flatMap { $0.routes ?? [] }
        if allRoutes.contains(.delegatedSubnet) && subnets.isEmpty {
            throw fail("subnets", "must list the delegated subnets when 'delegatedSubnet' is an accepted route")
        }
    }

    /// The routes a policy may accept, for refusal messages.
    private var acceptedList: String {
        " (the routes a policy may accept are \(NetworkRoute.acceptable.map(\.rawValue).joined(separator: ", ")))"
    }

    private func validateIdentities(_ fail: (String, String) -> PolicyError) throws(PolicyError) {
        let expected = Set(enterprisePolicies.map(Identifiers.normalizedResourceID))
        for (index, rule) in identities.enumerated() {
            guard expected.contains(Identifiers.normalizedResourceID(rule.enterprisePolicy)) else {
                throw fail("identities[\(index)].enterprisePolicy", "must be one of 'enterprisePolicies'")
            }
            if let objectId = rule.objectId, Identifiers.normalizedGUID(objectId) == nil {
                throw fail("identities[\(index)].objectId", "'\(objectId)' is not a GUID")
            }
            if let routes = rule.routes {
                guard !routes.isEmpty else { throw fail("identities[\(index)].routes", "must not be empty") }
                for route in routes where !NetworkRoute.acceptable.contains(route) {
                    throw fail(
                        "identities[\(index)].routes",
                        "'\(route.rawValue)' can never prove a private path" + acceptedList)
                }
            }
        }
    }

    private func validateWaivers(_ fail: (String, String) -> PolicyError) throws(PolicyError) {
        var seen = Set<String>()
        for (index, waiver) in waivers.enumerated() {
            let field = "waivers[\(index)]"
            guard !waiver.id.isEmpty, seen.insert(waiver.id).inserted else {
                throw fail(field + ".id", "must be a non-empty id used by no other waiver")
            }
            guard ViolationRule(rawValue: waiver.rule) != nil else {
                let known = ViolationRule.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail(field + ".rule", "'\(waiver.rule)' is not a rule name (one of: \(known))")
            }
            guard !waiver.justification.trimmed.isEmpty else {
                throw fail(field + ".justification", "must say why the exception is acceptable")
            }
            guard !waiver.approver.trimmed.isEmpty else {
                throw fail(field + ".approver", "must name who approved the exception")
            }
            guard DateTime(iso8601: waiver.expires) != nil else {
                throw fail(field + ".expires", "'\(waiver.expires)' is not an ISO 8601 date or time")
            }
            if let operation = waiver.operation, KeyVaultOperation.canonical(operation) == nil {
                throw fail(field + ".operation", "'\(operation)' is not a Key Vault key operation")
            }
            if let callerIp = waiver.callerIp, CIDRRange(callerIp) == nil {
                throw fail(field + ".callerIp", "'\(callerIp)' is not an IP address or CIDR range")
            }
        }
    }
}
