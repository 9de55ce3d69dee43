/// The policy's rules end to end on ingested workspaces: routes (IPv4 and IPv6 subnets, private
/// endpoint, trusted service, unknown, per-identity routes), claims (long object id name, pinned
/// object id, AdditionalFields with and without the type suffix), key scope, regional pairs and
/// waivers.

import Foundation
import Testing

@testable import TableModel

struct PolicyRulesVerifyTests {
    static let pairedPolicy =
        "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-pp/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/ep-field-neu"

    /// A policy with the field cases' identifiers and `fields` as the rest of its top level.
    static func policy(_ fields: String, pair: Bool = false) -> String {
        let policies = ["\"\(FieldPolicy.enterprisePolicy)\""] + (pair ? ["\"\(pairedPolicy)\""] : [])
        return """
            {"vaults":["kv-field"],"enterprisePolicies":[\(policies.joined(separator: ","))],\
            "perimeters":["\(FieldPolicy.perimeter)"],"maxSilenceMinutes":120,\(fields)}
            """
    }

    /// Four accesses, one per route: private endpoint, IPv6 delegated subnet, trusted service, unknown.
    static func routeEvents() -> [FieldEvent] {
        var endpoint = FieldEvent(time: "2026-11-02T10:00:00Z", callerIp: "10.20.0.4")
        endpoint.privateEndpointId =
            "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-net/providers/"
            + "Microsoft.Network/privateEndpoints/pe-kv-field"
        var subnet = FieldEvent(
            time: "2026-11-02T10:10:00Z", callerIp: "fd00:10::25", correlationId: "7c1e0000-0000-0000-0000-000000000702"
        )
        let trusted = FieldEvent(time: "2026-11-02T10:20:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000703")
        var unknown = FieldEvent(
            time: "2026-11-02T10:30:00Z", callerIp: "10.99.0.5", correlationId: "7c1e0000-0000-0000-0000-000000000704")
        endpoint.addrAuthType = nil
        endpoint.trustedService = nil
        subnet.addrAuthType = nil
        subnet.trustedService = nil
        unknown.addrAuthType = nil
        unknown.trustedService = nil
        return [endpoint, subnet, trusted, unknown]
    }

    @Test func `each route is classified, and only the policy's routes are accepted`() throws {
        let routes = #""routes":["privateEndpoint","delegatedSubnet"],"subnets":["10.10.0.0/27","fd00:10::/64"]"#
        let field = try FieldCaseWorkspace(policy: Self.policy(routes))
        defer { field.cleanUp() }
        try field.write("PT1H.json", FieldEvent.jsonLines(Self.routeEvents().map(\.raw)))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 1, "\(err)")
        #expect(
            report["decisions"]?.each("route") == [
                .string("privateEndpoint"), .string("delegatedSubnet"), .string("trustedService"), .string("unknown"),
            ])
        #expect(
            report["decisions"]?.each("outcome") == [
                .string("proven"), .string("proven"), .string("violated"), .string("undecided"),
            ])
        #expect(report["violations"]?.each("rule") == [.string("route-not-accepted")])
        #expect(report["decisions"]?.items[1]["routeRule"]?.stringValue?.contains("fd00:10::/64") == true)
        #expect(report["unprovenReasons"]?.jsonText.contains("the route is unknown") == true)
        #expect(report["counts"]?["byRoute"]?["trustedService"] == .long(1))

        // The identity's own routes replace the policy's: now only the trusted-service bypass passes.
        let own =
            #","identities":[{"enterprisePolicy":""# + FieldPolicy.enterprisePolicy
            + #"","routes":["trustedService"]}]"#
        try Self.policy(routes + own).write(toFile: field.policy, atomically: true, encoding: .utf8)
        let again = try field.verify()
        #expect(
            again.report["decisions"]?.each("outcome") == [
                .string("violated"), .string("violated"), .string("proven"), .string("undecided"),
            ])
    }

    @Test func `route names match in any case; a misspelt one is refused with the valid names`() throws {
        let routes = #""routes":["PrivateEndpoint","DELEGATEDSUBNET"],"subnets":["10.10.0.0/27","fd00:10::/64"]"#
        let field = try FieldCaseWorkspace(policy: Self.policy(routes))
        defer { field.cleanUp() }
        try field.write("PT1H.json", FieldEvent.jsonLines(Self.routeEvents().map(\.raw)))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 1, "\(err)")
        #expect(report["scope"]?["routes"] == .array([.string("privateEndpoint"), .string("delegatedSubnet")]))
        #expect(
            report["decisions"]?.each("outcome") == [
                .string("proven"), .string("proven"), .string("violated"), .string("undecided"),
            ])

        let valid =
            "the routes a policy may accept are privateEndpoint, delegatedSubnet, trustedService, serviceEndpoint"
        let cases = [
            (
                #""routes":["trustedService","privateEndpiont"]"#,
                "'routes[1]': 'privateEndpiont' is not a network route (did you mean 'privateEndpoint'?); \(valid)"
            ),
            (#""routes":["vpn"]"#, "'routes[0]': 'vpn' is not a network route; \(valid)"),
            (
                #""identities":[{"enterprisePolicy":""# + FieldPolicy.enterprisePolicy + #"","routes":["Trusted"]}]"#,
                "'identities[0].routes[0]': 'Trusted' is not a network route (did you mean 'trustedService'?); \(valid)"
            ),
            (#""routes":["Public"]"#, "'routes[0]': 'public' can never prove a private path (\(valid))"),
        ]
        for (fields, message) in cases {
            try Self.policy(fields).write(toFile: field.policy, atomically: true, encoding: .utf8)
            let refused = try field.verify()
            #expect(refused.status == 3)
            #expect(refused.err == "Error: \(field.policy): proof policy field \(message)\n")
        }
    }

    @Test func `claims are read from long names and AdditionalFields, and a pinned object id is enforced`() throws {
        let pin =
            #""identities":[{"enterprisePolicy":""# + FieldPolicy.enterprisePolicy
            + #"","objectId":""# + FieldPolicy.objectId.uppercased() + #""}]"#
        let field = try FieldCaseWorkspace(policy: FieldPolicy.json(extra: "," + pin))
        defer { field.cleanUp() }
        var long = FieldEvent(time: "2026-11-02T10:10:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000802")
        long.longObjectIdClaim = true
        var stranger = long
        stranger.time = "2026-11-02T10:20:00Z"
        stranger.correlationId = "7c1e0000-0000-0000-0000-000000000803"
        stranger.objectId = "00000000-0000-0000-0000-0000000009f9"
        let suffixed = FieldEvent(time: "2026-11-02T10:30:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000804")
        let bare = FieldEvent(time: "2026-11-02T10:40:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000805")
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent(), long, stranger].map(\.raw)))
        try field.write(
            "spilled.json",
            FieldEvent.text(["value": [suffixed.spilledRow(suffixed: true), bare.spilledRow(suffixed: false)]]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 1, "\(err)")
        #expect(
            report["decisions"]?.each("outcome") == [
                .string("proven"), .string("proven"), .string("violated"), .string("proven"), .string("proven"),
            ])
        #expect(report["violations"]?.each("rule") == [.string("object-id-unexpected")])
        let explanations = report["decisions"]?.each("explanation").compactMap(\.stringValue) ?? []
        #expect(explanations.last?.contains("perimeter \(FieldPolicy.perimeter) expected") == true)
    }

    @Test func `key scope, regional pairs and waivers`() throws {
        let fields =
            #""routes":["trustedService"],"keys":[{"name":"CMK","version":"0123456789abcdef0123456789abcdef"}],"#
            + #""requireEvidenceFromEachPolicy":true,"identities":[{"enterprisePolicy":""# + Self.pairedPolicy
            + #"","region":"northeurope"}],"waivers":[{"id":"W-1","rule":"perimeter-claim-empty","#
            + #""justification":"perimeter rollout","approver":"ciso@contoso.com","expires":"2026-12-31T00:00:00Z","#
            + #""vault":"kv-field"},{"id":"W-OLD","rule":"route-not-accepted","justification":"old","#
            + #""approver":"ciso@contoso.com","expires":"2026-01-01T00:00:00Z"}]"#
        let field = try FieldCaseWorkspace(policy: Self.policy(fields, pair: true))
        defer { field.cleanUp() }
        var otherKey = FieldEvent(time: "2026-11-02T10:10:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000902")
        otherKey.keyName = "other"
        var otherVersion = otherKey
        otherVersion.keyName = "cmk"
        otherVersion.keyVersion = "fedcba9876543210fedcba9876543210"
        otherVersion.time = "2026-11-02T10:20:00Z"
        var empty = FieldEvent(time: "2026-11-02T10:30:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000904")
        empty.perimeters = []
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent(), otherKey, otherVersion, empty].map(\.raw)))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 2, "\(err)")
        #expect(report["accesses"] == .long(2))
        #expect(report["violations"]?.items.isEmpty == true)
        #expect(report["waivedViolations"]?.each("waiver") == [.string("W-1")])
        #expect(report["waivers"]?.each("applied") == [.long(1), .long(0)])
        #expect(report["waivers"]?.each("expired") == [.bool(false), .bool(true)])
        #expect(report["decisions"]?.each("outcome") == [.string("proven"), .string("waived")])
        let reasons = report["unprovenReasons"]?.jsonText ?? ""
        #expect(reasons.contains("ep-field-neu (region northeurope)"), "\(reasons)")
    }

    @Test func `the HTTP status is read from httpStatusCode_s where httpStatusCode_d never existed`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        let rows = [
            (FieldEvent(), "200"),
            (
                FieldEvent(
                    time: "2026-11-02T10:10:00Z", status: 403, signature: "Forbidden",
                    correlationId: "7c1e0000-0000-0000-0000-000000000a02"), "403"
            ),
        ].map { event, status -> [String: Any] in
            var row = event.diagnosticsRow
            row.removeValue(forKey: "httpStatusCode_d")
            row["httpStatusCode_s"] = status
            return row
        }
        try field.write("rows.json", FieldEvent.text(["value": rows]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 0, "\(err)")
        #expect(report["accesses"] == .long(1))
        #expect(report["blockedAttempts"]?.each("record").map { $0["httpStatus"] } == [.long(403)])
        #expect(report["counts"]?["byOutcome"] == .object(["200": .long(1), "403": .long(1)]))
    }
}
