/// Tenant sanity of each access, and the vault configuration context with its optional demand that
/// public network access be disabled.

import EvidenceAnalysis
import Foundation
import TableModel
import Testing

struct TenantAndConfigurationTests {
    static let tenant = "00000000-0000-0000-0000-0000000000a7"
    static let foreign = "00000000-0000-0000-0000-0000000000b9"

    static func tenantPolicy() -> ProofPolicy {
        var policy = Synthetic.policy()
        policy.tenantId = tenant
        return policy
    }

    @Test(arguments: [
        ("", "", "proven", "neither confirmed nor refuted"),
        (tenant, "", "proven", "as expected (tid)"),
        (tenant.uppercased(), "https://sts.windows.net/\(tenant)/", "proven", "as expected (tid, iss)"),
        (foreign, "", "violated", "tid names tenant \(foreign)"),
        ("", "https://login.microsoftonline.com/\(foreign)/v2.0", "violated", "iss names tenant \(foreign)"),
        (tenant, "https://sts.windows.net/\(foreign)/", "violated", "iss names tenant \(foreign)"),
        // An issuer that names no tenant id is not the policy's tenant: Entra issuers always name one.
        ("", "https://sts.windows.net/contoso.onmicrosoft.com/", "violated", "names no tenant id"),
        ("", "sts.windows.net/\(foreign)/", "violated", "iss names tenant \(foreign)"),
        // A tid that is no GUID is another tenant; so is a second GUID in the issuer.
        ("evil.onmicrosoft.com", "", "violated", "tid names tenant evil.onmicrosoft.com"),
        ("", "https://sts.windows.net/\(tenant)/\(foreign)/", "violated", "iss names tenant \(foreign)"),
    ])
    func `the caller's tenant claims are checked against the policy's tenant`(
        tid: String, issuer: String, outcome: String, explained: String
    ) {
        var row = Row()
        row.callerTenant = tid
        row.issuer = issuer
        let report = Analyzer(policy: Self.tenantPolicy()).run([Tables.source([row])])
        #expect(report.decisions.map(\.outcome) == [outcome])
        #expect(report.decisions.first?.explanation.contains(explained) == true, "\(report.decisions)")
        if outcome == "violated" {
            #expect(report.violations.map(\.rule) == [.callerTenantUnexpected])
            #expect(report.verdict == .violated)
        } else {
            #expect(report.verdict == .proven)
        }
    }

    @Test func `without a tenant in the policy the caller's tenant is not judged`() {
        var row = Row()
        row.callerTenant = Self.foreign
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([row])])
        #expect(report.verdict == .proven)
        #expect(report.decisions.first?.explanation.contains("tenant") == false)
    }

    @Test func `a foreign tenant is shown on the violation's record`() {
        var row = Row()
        row.callerTenant = Self.foreign
        let report = Analyzer(policy: Self.tenantPolicy()).run([Tables.source([row])])
        #expect(report.violations.first?.record.callerTenant == Self.foreign)
    }

    @Test func `the tenant id loads in comparison form and a bad one is refused`() throws {
        let base =
            #"{"vaults":["kv"],"enterprisePolicies":[""#
            + Synthetic.policyID + #""],"perimeters":[""# + Synthetic.perimeter + #""]"#
        let good = try ProofPolicy.decode(
            Data((base + #","tenantId":"{00000000-0000-0000-0000-0000000000A7}"}"#).utf8), file: "p.json")
        #expect(good.tenantId == Self.tenant)
        #expect(good.requirePublicNetworkAccessDisabled == false)
        #expect(throws: PolicyError.self) {
            try ProofPolicy.decode(Data((base + #","tenantId":"contoso.onmicrosoft.com"}"#).utf8), file: "p.json")
        }
        do {
            _ = try ProofPolicy.decode(Data((base + #","tenantId":"not-a-guid"}"#).utf8), file: "p.json")
        } catch {
            #expect(error.description.contains("'tenantId'"))
            #expect(error.description.contains("not a GUID"))
        }
        let strict = try ProofPolicy.decode(
            Data((base + #","requirePublicNetworkAccessDisabled":true}"#).utf8), file: "p.json")
        #expect(strict.requirePublicNetworkAccessDisabled)
        #expect(throws: PolicyError.self) {
            try ProofPolicy.decode(Data((base + #","requirePublicNetworkAccessDisabled":"yes"}"#).utf8), file: "p.json")
        }
    }

    // MARK: - Vault configuration

    /// A configuration source: one row per (time, operation, status, publicNetworkAccess, defaultAction).
    static func configuration(_ events: [(String, String, Int64, String, String)]) -> EvidenceSource {
        let columns = [
            Column("TimeGenerated", .datetime), Column("SourceTable", .string), Column("Vault", .string),
            Column("OperationName", .string), Column("HttpStatus", .long), Column("CallerIp", .string),
            Column("CorrelationId", .string), Column("PublicNetworkAccess", .string),
            Column("NetworkAclsDefaultAction", .string), Column("NetworkAclsBypass", .string),
            Column("VaultTenantId", .string),
        ]
        let rows = events.enumerated().map { index, event -> [Value] in
            [
                .datetime(Synthetic.time(event.0)), .string("AzureDiagnostics"), .string("KV-CMK"), .string(event.1),
                .long(event.2), .string("192.0.2.4"), .string("0c0f0000-0000-0000-0000-00000000000\(index)"),
                .string(event.3), .string(event.4), .string(event.4.isEmpty ? "" : "AzureServices"),
                .string(tenant.uppercased()),
            ]
        }
        return EvidenceSource(
            table: "AzureDiagnostics", rows: Table(columns: columns, rows: rows), role: .vaultConfiguration)
    }

    static func strictPolicy() -> ProofPolicy {
        var policy = Synthetic.policy()
        policy.requirePublicNetworkAccessDisabled = true
        return policy
    }

    @Test func `observed settings are listed with when they were seen, without changing the verdict`() throws {
        let config = Self.configuration([
            ("2026-03-01T10:05:00Z", "VaultGet", 200, "Enabled", "Allow"),
            ("2026-03-01T11:05:00Z", "VaultGet", 200, "Enabled", "Allow"),
            ("2026-03-01T11:10:00Z", "VaultPatch", 200, "Disabled", "Deny"),
        ])
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()]), config])
        #expect(report.verdict == .proven)
        let section = try #require(report.configuration?.first)
        #expect(section.vault == "kv-cmk" && section.status == "observed")
        let access = section.settings.filter { $0.setting == "publicNetworkAccess" }
        #expect(access.map(\.value) == ["Enabled", "Disabled"])
        #expect(access.first?.firstSeen == "2026-03-01T10:05:00Z" && access.first?.lastSeen == "2026-03-01T11:05:00Z")
        #expect(access.first?.events == 2 && access.last?.operations == ["VaultPatch"])
        #expect(section.settings.contains { $0.setting == "networkAcls.bypass" && $0.value == "AzureServices" })
        #expect(section.settings.contains { $0.setting == "tenantId" && $0.value == Self.tenant })
    }

    @Test func `a vault without configuration events says not observed`() throws {
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()])])
        #expect(report.verdict == .proven)
        #expect(report.configuration?.map(\.vault) == ["kv-cmk"])
        #expect(report.configuration?.map(\.status) == ["not observed"])
        #expect(report.configuration?.first?.settings.isEmpty == true)
    }

    @Test func `public network access seen enabled violates a policy that requires it disabled`() throws {
        let config = Self.configuration([
            ("2026-03-01T10:05:00Z", "VaultGet", 200, "Disabled", "Deny"),
            ("2026-03-01T11:00:00Z", "VaultPatch", 200, "Enabled", "Allow"),
        ])
        let report = Analyzer(policy: Self.strictPolicy()).run([Tables.source([Row()]), config])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.publicNetworkAccessEnabled])
        #expect(report.violations.first?.record.operation == "VaultPatch")
        #expect(report.violations.first?.record.time == "2026-03-01T11:00:00Z")
        #expect(report.decisions.map(\.outcome) == ["proven"])
    }

    @Test func `public network access disabled since a VaultGet satisfies the requirement`() {
        let config = Self.configuration([("2026-03-01T10:01:00Z", "VaultGet", 200, "Disabled", "Deny")])
        let report = Analyzer(policy: Self.strictPolicy()).run([Tables.source([Row()]), config])
        #expect(report.verdict == .proven, "\(report.unprovenReasons)")
    }

    /// Configuration events that leave the setting unseen or undecidable, with the reason each gives.
    static let undecidable: [String: (events: [(String, String, Int64, String, String)], reason: String)] = [
        "none": ([], "no VaultGet, VaultPut or VaultPatch event"),
        "refused": (
            [("2026-03-01T10:01:00Z", "VaultGet", 403, "Enabled", "Allow")], "no VaultGet, VaultPut or VaultPatch"
        ),
        "change first": (
            [("2026-03-01T10:20:00Z", "VaultPatch", 200, "Disabled", "Deny")], "the setting before it is unknown"
        ),
        "odd value": (
            [("2026-03-01T10:20:00Z", "VaultGet", 200, "Sometimes", "Deny")], "a value the analyzer cannot judge"
        ),
    ]

    @Test(arguments: ["none", "refused", "change first", "odd value"])
    func `an unseen or undecidable setting keeps a strict policy from PROVEN`(name: String) throws {
        let (events, reason) = try #require(Self.undecidable[name])
        let report = Analyzer(policy: Self.strictPolicy()).run([Tables.source([Row()]), Self.configuration(events)])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.contains(reason) }, "\(report.unprovenReasons)")
        #expect(report.violations.isEmpty)
    }

    @Test func `a waiver can cover public network access for one vault`() {
        var policy = Self.strictPolicy()
        policy.waivers = [
            Waiver(
                id: "W-PNA", rule: "public-network-access-enabled", justification: "migration to private endpoint",
                approver: "ciso@contoso.com", expires: "2026-12-31T00:00:00Z", vault: "kv-cmk")
        ]
        let config = Self.configuration([("2026-03-01T10:01:00Z", "VaultGet", 200, "Enabled", "Allow")])
        let report = Analyzer(policy: policy).run([Tables.source([Row()]), config])
        #expect(report.verdict == .proven)
        #expect(report.waivedViolations.map(\.waiver) == ["W-PNA"])
        #expect(report.waivers.map(\.applied) == [1])
    }
}
