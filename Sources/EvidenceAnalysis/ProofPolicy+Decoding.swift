/// Decoding a proof policy strictly: defaults for optional fields, unknown fields refused.

/// A coding key for any name, used to list the keys an object really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue }

    init(stringValue: String, intValue: Int) {
        self.stringValue = stringValue
        self.intValue = intValue
    }

    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Throws a `dataCorrupted` error at the first key of the decoder's object that is not in `known`.
func refuseUnknownFields(_ decoder: any Decoder, known: [String]) throws {
    let container = try decoder.container(keyedBy: AnyCodingKey.self)
    let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
    if let first = unknown.first {
        throw DecodingError.dataCorruptedError(
            forKey: AnyCodingKey(stringValue: first), in: container,
            debugDescription: "unknown field (known fields: \(known.sorted().joined(separator: ", ")))")
    }
}

/// Decodes a list of route names, in any case. An unknown name is refused with the names a policy
/// may accept and, when one is close, the one probably meant.
func decodeRoutes<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws
    -> [NetworkRoute]?
{
    guard let names = try container.decodeIfPresent([String].self, forKey: key) else { return nil }
    return try names.enumerated().map { index, name in
        if let route = NetworkRoute.named(name) { return route }
        let hint = NetworkRoute.suggestion(for: name).map { " (did you mean '\($0.rawValue)'?)" } ?? ""
        let valid = NetworkRoute.acceptable.map(\.rawValue).joined(separator: ", ")
        throw DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: container.codingPath + [key, AnyCodingKey(stringValue: "", intValue: index)],
                debugDescription: "'\(name)' is not a network route\(hint); the routes a policy may accept are "
                    + valid))
    }
}

extension ProofPolicy {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case enterprisePolicies, perimeters, vaults, operations, keys, routes, subnets, identities
        case requireEvidenceFromEachPolicy, settleMarginMinutes, maxSilenceMinutes, waivers
        case tenantId, requirePublicNetworkAccessDisabled
    }

    /// Decodes a policy; absent optional fields take their defaults, unknown fields are refused.
    public init(from decoder: any Decoder) throws {
        try refuseUnknownFields(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enterprisePolicies: try container.decode([String].self, forKey: .enterprisePolicies),
            perimeters: try container.decode([String].self, forKey: .perimeters),
            vaults: try container.decode([String].self, forKey: .vaults),
            operations: try container.decodeIfPresent([String].self, forKey: .operations)
                ?? KeyVaultOperation.defaultScope,
            keys: try container.decodeIfPresent([KeyScope].self, forKey: .keys) ?? [],
            routes: try decodeRoutes(container, forKey: .routes),
            subnets: try container.decodeIfPresent([String].self, forKey: .subnets) ?? [],
            identities: try container.decodeIfPresent([IdentityRule].self, forKey: .identities) ?? [],
            requireEvidenceFromEachPolicy: try container.decodeIfPresent(
                Bool.self, forKey: .requireEvidenceFromEachPolicy) ?? false,
            settleMarginMinutes: try container.decodeIfPresent(Int.self, forKey: .settleMarginMinutes) ?? 15,
            maxSilenceMinutes: try container.decodeIfPresent(Int.self, forKey: .maxSilenceMinutes) ?? 120,
            waivers: try container.decodeIfPresent([Waiver].self, forKey: .waivers) ?? [],
            tenantId: try container.decodeIfPresent(String.self, forKey: .tenantId),
            requirePublicNetworkAccessDisabled: try container.decodeIfPresent(
                Bool.self, forKey: .requirePublicNetworkAccessDisabled) ?? false)
    }
}

extension KeyScope {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version
    }

    /// Decodes a key scope; unknown fields are refused.
    public init(from decoder: any Decoder) throws {
        try refuseUnknownFields(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            version: try container.decodeIfPresent(String.self, forKey: .version))
    }
}

extension IdentityRule {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case enterprisePolicy, objectId, routes, region
    }

    /// Decodes an identity rule; unknown fields are refused.
    public init(from decoder: any Decoder) throws {
        try refuseUnknownFields(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enterprisePolicy: try container.decode(String.self, forKey: .enterprisePolicy),
            objectId: try container.decodeIfPresent(String.self, forKey: .objectId),
            routes: try decodeRoutes(container, forKey: .routes),
            region: try container.decodeIfPresent(String.self, forKey: .region))
    }
}

extension Waiver {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, rule, justification, approver, expires, vault, operation, identity, callerIp
    }

    /// Decodes a waiver; unknown fields are refused.
    public init(from decoder: any Decoder) throws {
        try refuseUnknownFields(decoder, known: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            rule: try container.decode(String.self, forKey: .rule),
            justification: try container.decode(String.self, forKey: .justification),
            approver: try container.decode(String.self, forKey: .approver),
            expires: try container.decode(String.self, forKey: .expires),
            vault: try container.decodeIfPresent(String.self, forKey: .vault),
            operation: try container.decodeIfPresent(String.self, forKey: .operation),
            identity: try container.decodeIfPresent(String.self, forKey: .identity),
            callerIp: try container.decodeIfPresent(String.self, forKey: .callerIp))
    }
}
