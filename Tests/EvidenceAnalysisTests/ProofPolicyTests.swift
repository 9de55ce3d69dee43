/// Loading proof policies from real files: defaults, canonical names, and refusals that name the field.

import EvidenceAnalysis
import Foundation
import Testing

struct ProofPolicyTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    func write(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pathproof-policy-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("policy.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func minimal(extra: String = "", operations: String? = nil) -> String {
        let ops = operations.map { ",\n  \"operations\": \($0)" } ?? ""
        return """
            {
              "vaults": ["KV-CMK"],
              "enterprisePolicies": ["\(Synthetic.policyID)"],
              "perimeters": ["\(Synthetic.perimeter)"]\(ops)\(extra)
            }
            """
    }

    func refusal(_ text: String) throws -> PolicyError? {
        let path = try write(text)
        do {
            _ = try ProofPolicy.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func `a minimal policy loads with the documented defaults`() throws {
        let policy = try ProofPolicy.load(path: try write(minimal()))
        #expect(policy.operations == ["KeyGet", "KeyWrap", "KeyUnwrap"])
        #expect(policy.settleMarginMinutes == 15)
        #expect(policy.maxSilenceMinutes == 120)
        #expect(policy.routes == nil)
        #expect(policy.keys.isEmpty && policy.waivers.isEmpty && policy.identities.isEmpty)
        #expect(policy.tenantId == nil && !policy.requirePublicNetworkAccessDisabled)
    }

    @Test func `every documented field loads`() throws {
        let extra = """
            ,
              "keys": [{"name": "cmk-key", "version": "0123456789abcdef0123456789abcdef"}],
              "routes": ["trustedService", "delegatedSubnet"],
              "subnets": ["10.10.0.0/27", "fd00:10::/64",
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pp"],
              "identities": [{"enterprisePolicy": "\(Synthetic.policyID.lowercased())",
                "objectId": "\(Synthetic.policyObjectId)", "routes": ["trustedService"], "region": "westeurope"}],
              "requireEvidenceFromEachPolicy": true,
              "settleMarginMinutes": 30,
              "maxSilenceMinutes": 0,
              "tenantId": "00000000-0000-0000-0000-0000000000A7",
              "requirePublicNetworkAccessDisabled": true,
              "waivers": [{"id": "W-1", "rule": "perimeter-claim-empty", "justification": "NSP rollout",
                "approver": "security@contoso.com", "expires": "2026-06-30", "vault": "kv-cmk",
                "operation": "KeyGet", "callerIp": "10.10.0.0/27"}]
            """
        let policy = try ProofPolicy.load(path: try write(minimal(extra: extra, operations: "[\"keyunwrap\"]")))
        #expect(policy.operations == ["KeyUnwrap"])
        #expect(policy.keys == [KeyScope(name: "cmk-key", version: "0123456789abcdef0123456789abcdef")])
        #expect(policy.routes == [.trustedService, .delegatedSubnet])
        #expect(policy.identities.first?.region == "westeurope")
        #expect(policy.waivers.first?.callerIp == "10.10.0.0/27")
        #expect(policy.settleMarginMinutes == 30 && policy.maxSilenceMinutes == 0)
        #expect(policy.tenantId == "00000000-0000-0000-0000-0000000000a7")
        #expect(policy.requirePublicNetworkAccessDisabled)
    }

    @Test func `an unknown operation name is refused with a suggestion`() throws {
        let error = try refusal(minimal(operations: "[\"KeyUnwrapKey\", \"KeyGet\"]"))
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("policy.json: proof policy field 'operations[0]'"))
        #expect(text.contains("'KeyUnwrapKey' is not a Key Vault key operation (did you mean 'KeyUnwrap'?)"))
    }

    @Test(arguments: [
        ("\"vaults\": []", "vaults"),
        ("\"perimeters\": []", "perimeters"),
        ("\"enterprisePolicies\": []", "enterprisePolicies"),
    ])
    func `an empty required list is refused`(replacement: String, field: String) throws {
        let text = minimal().replacingOccurrences(
            of: "\"\(field)\": \\[[^\\]]*\\]", with: replacement, options: .regularExpression)
        #expect(text.contains(replacement))
        let error = try refusal(text)
        #expect(error.map(String.init(describing:))?.contains("field '\(field)': must list") == true)
    }

    @Test func `a missing required field is named`() throws {
        let error = try refusal("{\"vaults\": [\"kv\"], \"perimeters\": [\"\(Synthetic.perimeter)\"]}")
        guard case .invalidField(_, let field, let reason)? = error else {
            Issue.record("expected a field error, got \(String(describing: error))")
            return
        }
        #expect(field == "enterprisePolicies")
        #expect(reason == "required but missing")
    }

    @Test func `an unknown field is refused rather than ignored`() throws {
        let error = try refusal(minimal(extra: ",\n  \"perimeter\": []"))
        guard case .invalidField(_, let field, let reason)? = error else {
            Issue.record("expected a field error, got \(String(describing: error))")
            return
        }
        #expect(field == "perimeter")
        #expect(reason.hasPrefix("unknown field"))
    }

    @Test func `a field of the wrong type names its path`() throws {
        let error = try refusal(minimal(extra: ",\n  \"waivers\": [{\"id\": 7}]"))
        guard case .invalidField(_, let field, let reason)? = error else {
            Issue.record("expected a field error, got \(String(describing: error))")
            return
        }
        #expect(field == "waivers[0].id")
        #expect(reason == "expected a string")
    }

    @Test func `bad JSON is reported with its line and column`() throws {
        let error = try refusal("{\n  \"vaults\": [\"kv\",]\n}")
        guard case .invalidJSON(let file, let line, let column, _)? = error else {
            Issue.record("expected a JSON error, got \(String(describing: error))")
            return
        }
        #expect(file.hasSuffix("policy.json"))
        #expect(line == 2)
        #expect(column == 19)
    }

    @Test func `an unreadable file is reported as such`() {
        #expect(throws: PolicyError.self) { try ProofPolicy.load(path: "/nonexistent/pathproof/policy.json") }
    }

    @Test(arguments: [
        (",\n \"routes\": [\"public\"]", "routes[0]"),
        (",\n \"routes\": [\"unknown\"]", "routes[0]"),
        (",\n \"routes\": []", "routes"),
        (",\n \"routes\": [\"delegatedSubnet\"]", "subnets"),
        (",\n \"subnets\": [\"10.10.0.0/33\"]", "subnets[0]"),
        (",\n \"settleMarginMinutes\": -1", "settleMarginMinutes"),
        (",\n \"keys\": [{\"name\": \"\"}]", "keys[0].name"),
        (
            ",\n \"identities\": [{\"enterprisePolicy\": \"\(Synthetic.pairedPolicyID)\"}]",
            "identities[0].enterprisePolicy"
        ),
        (
            ",\n \"identities\": [{\"enterprisePolicy\": \"\(Synthetic.policyID)\", \"objectId\": \"x\"}]",
            "identities[0].objectId"
        ),
        (
            ",\n \"waivers\": [{\"id\": \"W\", \"rule\": \"no-such-rule\", \"justification\": \"j\","
                + " \"approver\": \"a\", \"expires\": \"2026-01-01\"}]", "waivers[0].rule"
        ),
        (
            ",\n \"waivers\": [{\"id\": \"W\", \"rule\": \"perimeter-claim-empty\", \"justification\": \" \","
                + " \"approver\": \"a\", \"expires\": \"2026-01-01\"}]", "waivers[0].justification"
        ),
        (
            ",\n \"waivers\": [{\"id\": \"W\", \"rule\": \"perimeter-claim-empty\", \"justification\": \"j\","
                + " \"approver\": \"a\", \"expires\": \"soon\"}]", "waivers[0].expires"
        ),
    ])
    func `a value the analyzer cannot honour is refused at its field`(extra: String, field: String) throws {
        let error = try refusal(minimal(extra: extra))
        guard case .invalidField(_, let named, _)? = error else {
            Issue.record("expected a field error for \(field), got \(String(describing: error))")
            return
        }
        #expect(named == field)
    }

    @Test func `an enterprise policy id of another resource type is refused`() throws {
        let text = minimal().replacingOccurrences(of: Synthetic.policyID, with: Synthetic.userAssignedClaim)
        let error = try refusal(text)
        #expect(error.map(String.init(describing:))?.contains("enterprisePolicies[0]") == true)
    }

    @Test func `a perimeter that is not a GUID is refused`() throws {
        let text = minimal().replacingOccurrences(of: Synthetic.perimeter, with: "perimeter-1")
        let error = try refusal(text)
        #expect(error.map(String.init(describing:))?.contains("'perimeter-1' is not a GUID") == true)
    }

    @Test func `a policy round-trips through its JSON encoding`() throws {
        var policy = Synthetic.policy(routes: [.privateEndpoint], subnets: ["10.0.0.0/24"])
        policy.tenantId = "00000000-0000-0000-0000-0000000000a7"
        policy.requirePublicNetworkAccessDisabled = true
        let data = try JSONEncoder().encode(policy)
        let back = try ProofPolicy.decode(data, file: "memory")
        #expect(back == policy)
    }
}
