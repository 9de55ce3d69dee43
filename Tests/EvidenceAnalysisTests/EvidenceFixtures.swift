/// Small, labelled-synthetic Key Vault evidence tables in the shape the shipped queries project.

import EvidenceAnalysis
import Foundation
import TableModel

/// Synthetic identifiers used across the tests (not real tenants or resources).
enum Synthetic {
    static let policyID =
        "/subscriptions/00000000-0000-0000-0000-0000000001e1/resourceGroups/rg-pp/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/cmk-westeurope"
    /// The same policy as `xms_mirid` writes it: lower-case `resourcegroups`.
    static let policyClaim =
        "/subscriptions/00000000-0000-0000-0000-0000000001e1/resourcegroups/rg-pp/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/cmk-westeurope"
    static let pairedPolicyID =
        "/subscriptions/00000000-0000-0000-0000-0000000001e1/resourceGroups/rg-pp/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/cmk-northeurope"
    static let userAssignedClaim =
        "/subscriptions/00000000-0000-0000-0000-0000000001e1/resourcegroups/rg-apps/providers/"
        + "Microsoft.ManagedIdentity/userAssignedIdentities/plugin-identity"
    static let perimeter = "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"
    static let otherPerimeter = "11111111-2222-3333-4444-555555555555"
    static let policyObjectId = "00000000-0000-0000-0000-0000000001f1"
    static let vaultResourceId =
        "/SUBSCRIPTIONS/00000000-0000-0000-0000-0000000001E1/RESOURCEGROUPS/RG-KV/PROVIDERS/"
        + "MICROSOFT.KEYVAULT/VAULTS/KV-CMK"

    static func policy(
        routes: [NetworkRoute]? = nil, subnets: [String] = [], keys: [KeyScope] = [], maxSilenceMinutes: Int = 0,
        waivers: [Waiver] = [], identities: [IdentityRule] = [], requireEach: Bool = false,
        enterprisePolicies: [String] = [policyID]
    ) -> ProofPolicy {
        ProofPolicy(
            enterprisePolicies: enterprisePolicies, perimeters: [perimeter], vaults: ["kv-cmk"], keys: keys,
            routes: routes, subnets: subnets, identities: identities, requireEvidenceFromEachPolicy: requireEach,
            maxSilenceMinutes: maxSilenceMinutes, waivers: waivers)
    }

    static func time(_ text: String) -> DateTime { DateTime(iso8601: text)! }

    /// 2026-03-01 10:00 to 12:00 UTC, analysed a day later.
    static let window = (from: time("2026-03-01T10:00:00Z"), to: time("2026-03-01T12:00:00Z"))
    static let later = time("2026-03-02T10:00:00Z")
}

/// One projected row; every field defaults to a private, in-policy KeyUnwrap.
struct Row {
    var time = "2026-03-01T10:30:00Z"
    var sourceTable = "AzureDiagnostics"
    var resourceId = Synthetic.vaultResourceId
    var vault = "KV-CMK"
    var operation = "KeyUnwrap"
    var resultType = "Success"
    var resultSignature = "OK"
    var resultDescription = ""
    var status: Int64? = 200
    var callerIp = "10.10.0.5"
    var correlationId = "c0ffee00-0000-0000-0000-000000000001"
    var requestUri = "https://kv-cmk.vault.azure.net/keys/cmk-key/0123456789abcdef0123456789abcdef/unwrapkey"
    var keyId = "https://kv-cmk.vault.azure.net/keys/cmk-key/0123456789abcdef0123456789abcdef"
    var enterprisePolicy = Synthetic.policyClaim
    var perimeter = "[\"\(Synthetic.perimeter)\"]"
    var objectId = Synthetic.policyObjectId
    var appId = "00000000-0000-0000-0000-0000000001f2"
    var addressAuthorizationType = "TrustedService"
    var privateEndpointId = ""
    var subnetId = ""
    var trustedService = "Microsoft PowerPlatform"
    var isAddressAuthorized = "True"
    var callerTenant = ""
    var issuer = ""
}

enum Tables {
    /// The projected columns of `Queries/keyvault-key-access.kql`, in order.
    static let columns: [Column] = [
        Column("TimeGenerated", .datetime), Column("SourceTable", .string), Column("ResourceId", .string),
        Column("Vault", .string), Column("OperationName", .string), Column("ResultType", .string),
        Column("ResultSignature", .string), Column("ResultDescription", .string), Column("HttpStatus", .long),
        Column("CallerIp", .string), Column("CorrelationId", .string), Column("RequestUri", .string),
        Column("KeyId", .string), Column("EnterprisePolicyClaim", .string), Column("PerimeterClaim", .string),
        Column("ObjectId", .string), Column("AppId", .string), Column("AddressAuthorizationType", .string),
        Column("PrivateEndpointId", .string), Column("SubnetId", .string), Column("TrustedService", .string),
        Column("IsAddressAuthorized", .string), Column("CallerTenant", .string), Column("Issuer", .string),
    ]

    static func table(_ rows: [Row], dropping dropped: Set<String> = []) -> Table {
        let kept = columns.filter { !dropped.contains($0.name) }
        let values = rows.map { row -> [Value] in
            let all: [String: Value] = [
                "TimeGenerated": .datetime(Synthetic.time(row.time)), "SourceTable": .string(row.sourceTable),
                "ResourceId": .string(row.resourceId), "Vault": .string(row.vault),
                "OperationName": .string(row.operation), "ResultType": .string(row.resultType),
                "ResultSignature": .string(row.resultSignature), "ResultDescription": .string(row.resultDescription),
                "HttpStatus": row.status.map(Value.long) ?? .null, "CallerIp": .string(row.callerIp),
                "CorrelationId": .string(row.correlationId), "RequestUri": .string(row.requestUri),
                "KeyId": .string(row.keyId), "EnterprisePolicyClaim": .string(row.enterprisePolicy),
                "PerimeterClaim": .string(row.perimeter), "ObjectId": .string(row.objectId),
                "AppId": .string(row.appId), "AddressAuthorizationType": .string(row.addressAuthorizationType),
                "PrivateEndpointId": .string(row.privateEndpointId), "SubnetId": .string(row.subnetId),
                "TrustedService": .string(row.trustedService), "IsAddressAuthorized": .string(row.isAddressAuthorized),
                "CallerTenant": .string(row.callerTenant), "Issuer": .string(row.issuer),
            ]
            return kept.map { all[$0.name]! }
        }
        return Table(columns: kept, rows: values)
    }

    static func source(
        _ rows: [Row], table: String = "AzureDiagnostics", dropping: Set<String> = [], missing: [String] = [],
        incomplete: [String] = []
    ) -> EvidenceSource {
        EvidenceSource(
            table: table, rows: Tables.table(rows, dropping: dropping), missingColumns: missing,
            incompleteReasons: incomplete)
    }

    /// Rows at `count` times spaced `minutes` apart from 10:00, each a distinct event.
    static func series(
        count: Int, minutes: Int, start: String = "2026-03-01T10:00:00Z", _ edit: (inout Row) -> Void = { _ in }
    )
        -> [Row]
    {
        (0..<count).map { index in
            var row = Row()
            let instant = DateTime(
                ticks: Synthetic.time(start).ticks + Int64(index * minutes) * 60 * DateTime.ticksPerSecond)
            row.time = instant.apiText
            row.correlationId = String(format: "c0ffee00-0000-0000-0000-%012d", index)
            edit(&row)
            return row
        }
    }
}

extension Analyzer {
    /// Analyses over the standard window as of a day later.
    func run(_ sources: [EvidenceSource]) -> Report {
        analyze(sources: sources, window: Synthetic.window, now: Synthetic.later)
    }
}
