/// Rows with raw AzureDiagnostics / AZKVAuditLogs columns: claims from Identity, AdditionalFields,
/// long claim names and status column variants.

import EvidenceAnalysis
import TableModel
import Testing

struct RawColumnTests {
    let analyzer = Analyzer(policy: Synthetic.policy())

    /// An AZKVAuditLogs row shaped like the query API returns it (Identity as dynamic).
    func resourceSpecific(identity: Value, status: Int32 = 200) -> EvidenceSource {
        let table = Table(
            columns: [
                Column("TimeGenerated", .datetime), Column("OperationName", .string), Column("ResultType", .string),
                Column("ResultSignature", .string), Column("HttpStatusCode", .int), Column("CorrelationId", .string),
                Column("CallerIpAddress", .string), Column("Identity", .dynamic), Column("Id", .string),
                Column("RequestUri", .string), Column("_ResourceId", .string), Column("TrustedService", .string),
            ],
            rows: [
                [
                    .datetime(Synthetic.time("2026-03-01T10:30:00Z")), .string("KeyUnwrap"), .string("Success"),
                    .string("OK"), .int(status), .string("c0ffee00-0000-0000-0000-000000000001"),
                    .string("20.40.1.1"), identity, .string(Row().keyId), .string(Row().requestUri),
                    .string(Synthetic.vaultResourceId.lowercased()), .string("Microsoft PowerPlatform"),
                ]
            ])
        return EvidenceSource(table: "AZKVAuditLogs", rows: table)
    }

    static let claims: Dynamic = .object([
        "xms_mirid": .string(Synthetic.policyClaim),
        "xms_az_nwperimid": .array([.string(Synthetic.perimeter)]),
        "http://schemas.microsoft.com/identity/claims/objectidentifier": .string(Synthetic.policyObjectId),
    ])

    @Test func `claims are read from an Identity object, including the long object id name`() {
        let pin = IdentityRule(enterprisePolicy: Synthetic.policyID, objectId: Synthetic.policyObjectId)
        let report = Analyzer(policy: Synthetic.policy(identities: [pin])).run([
            resourceSpecific(identity: .dynamic(.object(["claim": RawColumnTests.claims])))
        ])
        #expect(report.verdict == .proven)
        #expect(report.decisions.first?.route == .trustedService)
        #expect(report.counts.byVault == ["kv-cmk": 1])
    }

    @Test func `claims are read from Identity JSON text, as Managed HSM writes it`() {
        let text = Dynamic.object(["claim": RawColumnTests.claims]).jsonText
        #expect(analyzer.run([resourceSpecific(identity: .string(text))]).verdict == .proven)
        #expect(analyzer.run([resourceSpecific(identity: .dynamic(.string(text)))]).verdict == .proven)
    }

    @Test func `an Identity without the perimeter claim is a violation, an unreadable one undecided`() {
        let partial = Dynamic.object(["claim": .object(["xms_mirid": .string(Synthetic.policyClaim)])])
        let missing = analyzer.run([resourceSpecific(identity: .dynamic(partial))])
        #expect(missing.violations.map(\.rule) == [.perimeterClaimAbsent])
        let garbled = analyzer.run([resourceSpecific(identity: .string("{not json"))])
        #expect(garbled.verdict == .unproven)
        #expect(garbled.violations.isEmpty)
    }

    /// An AzureDiagnostics row past the 500-column limit: claims only in AdditionalFields.
    func spilled(_ bag: [String: Dynamic]) -> EvidenceSource {
        let table = Table(
            columns: [
                Column("TimeGenerated", .datetime), Column("Resource", .string), Column("OperationName", .string),
                Column("ResultType", .string), Column("httpStatusCode_d", .real), Column("CallerIPAddress", .string),
                Column("addrAuthType_s", .string), Column("AdditionalFields", .dynamic),
            ],
            rows: [
                [
                    .datetime(Synthetic.time("2026-03-01T10:30:00Z")), .string("KV-CMK"), .string("KeyGet"),
                    .string("Success"), .real(200), .string("10.10.0.5"), .string("TrustedService"),
                    .dynamic(.object(bag)),
                ]
            ])
        return EvidenceSource(table: "AzureDiagnostics", rows: table)
    }

    @Test func `claims are read from AdditionalFields with or without the type suffix`() {
        let suffixed = spilled([
            "identity_claim_xms_mirid_s": .string(Synthetic.policyClaim),
            "identity_claim_xms_az_nwperimid_s": .string("[\"\(Synthetic.perimeter)\"]"),
        ])
        #expect(analyzer.run([suffixed]).verdict == .proven)
        let bare = spilled([
            "identity_claim_xms_mirid": .string(Synthetic.policyClaim),
            "identity_claim_xms_az_nwperimid": .array([.string(Synthetic.perimeter)]),
        ])
        #expect(analyzer.run([bare]).verdict == .proven)
    }

    @Test func `a claim in neither a column nor AdditionalFields is undecided, not a violation`() {
        let report = analyzer.run([spilled(["identity_claim_xms_mirid_s": .string(Synthetic.policyClaim)])])
        #expect(report.verdict == .unproven)
        #expect(report.violations.isEmpty)
        #expect(report.decisions.first?.outcome == "undecided")
    }

    @Test func `the first non-empty status column wins`() {
        var table = Tables.table([Row()], dropping: ["HttpStatus"])
        table.columns += [Column("httpStatusCode_d", .real), Column("httpStatusCode_s", .string)]
        table.rows[0] += [.null, .string("200")]
        let report = analyzer.run([EvidenceSource(table: "AzureDiagnostics", rows: table)])
        #expect(report.verdict == .proven)
        #expect(report.counts.byOutcome == ["200": 1])
    }
}

struct VaultNameTests {
    @Test(arguments: [
        ("https://kv-cmk.vault.azure.net/keys/k/1/unwrapkey?api-version=7.4", "kv-cmk"),
        ("https://KV-CMK.vault.azure.net:8443/keys/k", "kv-cmk"),
        ("https://hsm-1.managedhsm.azure.net/keys/k", "hsm-1"),
        ("https://kv.vault.azure.cn/keys/k", "kv"),
        ("https://example.com/keys/k", nil),
        ("kv-cmk.vault.azure.net/keys/k", nil),
    ])
    func `the vault name is read from a Key Vault URI host`(uri: String, vault: String?) {
        #expect(Identifiers.vaultName(fromURI: uri) == vault)
    }

    @Test func `rows without a resource id take the vault from the request URI, or stay undecided`() {
        var fromURI = Row()
        fromURI.vault = ""
        fromURI.resourceId = ""
        var nameless = fromURI
        nameless.time = "2026-03-01T10:45:00Z"
        nameless.requestUri = ""
        nameless.keyId = ""
        let analyzer = Analyzer(policy: Synthetic.policy())
        #expect(analyzer.run([Tables.source([fromURI])]).verdict == .proven)
        let report = analyzer.run([Tables.source([fromURI, nameless])])
        #expect(report.verdict == .unproven)
        #expect(report.accesses == 1)
        #expect(report.unprovenReasons.contains { $0.contains("the vault cannot be read") })
    }
}

struct EvidenceSchemaTests {
    @Test func `an AzureDiagnostics schema without claim columns lists each absent fact once`() {
        let columns = [
            "TimeGenerated", "ResourceId", "OperationName", "httpStatusCode_s", "CallerIPAddress",
            "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", "requestUri_s", "id_s",
            "AdditionalFields",
        ]
        #expect(
            EvidenceSchema.missingColumns(table: "AzureDiagnostics", columns: columns) == [
                "identity_claim_xms_az_nwperimid_s", "identity_claim_xms_mirid_s", "addrAuthType_s",
                "privateEndpointId_s", "subnetId_s", "trustedService_s", "isAddressAuthorized_b",
            ])
    }

    @Test func `an AZKVAuditLogs schema needs Identity and the status`() {
        let columns = [
            "TimeGenerated", "HttpStatusCode", "CallerIpAddress", "RequestUri", "Id", "Properties",
            "AddressAuthorizationType", "SubnetId", "TrustedService", "IsAddressAuthorized",
        ]
        #expect(EvidenceSchema.missingColumns(table: "AZKVAuditLogs", columns: columns) == ["Identity"])
        #expect(EvidenceSchema.missingColumns(table: "NSPAccessLogs", columns: []) == [])
    }

    @Test func `a claim found in AdditionalFields is judged even though its column is absent`() {
        var rows = Tables.series(count: 2, minutes: 10)
        rows[1].perimeter = "[]"
        rows[0].perimeter = ""
        let missing = EvidenceSchema.missingColumns(
            table: "AzureDiagnostics", columns: ["identity_claim_xms_mirid_s", "httpStatusCode_d"])
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source(rows, missing: missing)])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.perimeterClaimEmpty])
        #expect(report.decisions.map(\.outcome) == ["undecided", "violated"])
    }
}
