/// The route of every access, decided from its network fields, and enforced when the policy says so.

import EvidenceAnalysis
import Testing

struct RouteTests {
    func decide(_ edit: (inout Row) -> Void, policy: ProofPolicy) -> (Report, AccessDecision?) {
        var row = Row()
        row.addressAuthorizationType = ""
        row.trustedService = ""
        edit(&row)
        let report = Analyzer(policy: policy).run([Tables.source([row])])
        return (report, report.decisions.first)
    }

    static let subnetID =
        "/subscriptions/00000000-0000-0000-0000-0000000001e1/resourceGroups/rg-net/providers/"
        + "Microsoft.Network/virtualNetworks/vnet-pp/subnets/pp-delegated"

    @Test(arguments: [
        (
            "", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateEndpoints/pe-kv", "", "",
            "10.9.9.9",
            NetworkRoute.privateEndpoint
        ),
        ("PrivateLink", "", "", "", "10.9.9.9", .privateEndpoint),
        ("TrustedService", "", "", "", "20.40.1.1", .trustedService),
        ("", "", "", "Microsoft PowerPlatform", "20.40.1.1", .trustedService),
        ("PublicIP", "", "", "", "10.10.0.5", .publicInternet),
        ("Subnet", "", subnetID.uppercased(), "", "10.200.0.4", .delegatedSubnet),
        (
            "Subnet", "", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/x",
            "", "10.200.0.4", .serviceEndpoint
        ),
        ("", "", "", "", "10.10.0.30", .delegatedSubnet),
        ("", "", "", "", "[fd00:10::5]:443", .delegatedSubnet),
        ("", "", "", "", "203.0.113.9", .publicInternet),
        ("", "", "", "", "10.99.0.1", .unknown),
        ("", "", "(unknown)", "", "", .unknown),
        // Placeholders are no value, and an explicit PublicIP is not overridden by an id field.
        ("PublicIP", "(unknown)", "", "", "203.0.113.7", .publicInternet),
        (
            "PublicIP", "/subscriptions/s/providers/Microsoft.Network/privateEndpoints/pe", "", "", "20.1.1.1",
            .publicInternet
        ),
        ("", "none", "", "", "203.0.113.7", .publicInternet),
        ("PublicIP", "", "", "false", "203.0.113.7", .publicInternet),
        ("", "", "", "false", "203.0.113.7", .publicInternet),
        ("", "", "", "(unknown)", "10.99.0.1", .unknown),
        ("Public IP", "", "", "Microsoft PowerPlatform", "203.0.113.7", .publicInternet),
        ("", "[]", "", "", "203.0.113.7", .publicInternet),
        ("", "undefined", "", "", "203.0.113.7", .publicInternet),
        ("", "", "", "NotTrusted", "203.0.113.7", .publicInternet),
        ("", "", "", "", "203.0.113.7, 10.1.1.1", .unknown),
        ("", "", "", "", "100.64.1.2", .unknown),
        // Markers that speak of the public network are public; a marker nobody knows decides nothing.
        ("Internet", "", "", "Microsoft PowerPlatform", "203.0.113.7", .publicInternet),
        (
            "PublicNetwork", "/subscriptions/s/providers/Microsoft.Network/privateEndpoints/pe", "", "", "20.1.1.1",
            .publicInternet
        ),
        ("PublicIPv6", "", "", "", "2001:db8::1", .publicInternet),
        ("Tunnel", "/subscriptions/s/providers/Microsoft.Network/privateEndpoints/pe", "", "", "10.9.9.9", .unknown),
        ("", "nil", "", "Unknown.", "203.0.113.7", .publicInternet),
        ("", "[ ]", "", "n/a", "203.0.113.7", .publicInternet),
    ])
    func `each access is classified by the field that decides its route`(
        marker: String, endpoint: String, subnet: String, trusted: String, ip: String, expected: NetworkRoute
    ) {
        let policy = Synthetic.policy(subnets: ["10.10.0.0/27", "fd00:10::/64", RouteTests.subnetID])
        let (_, decision) = decide(
            {
                $0.addressAuthorizationType = marker
                $0.privateEndpointId = endpoint
                $0.subnetId = subnet
                $0.trustedService = trusted
                $0.callerIp = ip
            }, policy: policy)
        #expect(decision?.route == expected)
        #expect(decision?.routeRule.isEmpty == false)
    }

    @Test func `without a routes list every known route but public is accepted and reported`() {
        let (report, decision) = decide({ $0.callerIp = "203.0.113.9" }, policy: Synthetic.policy())
        #expect(report.verdict == .violated)
        #expect(decision?.route == .publicInternet)
        #expect(report.violations.map(\.rule) == [.routeNotAccepted])
        #expect(decision?.explanation.contains("public is never accepted") == true)
        #expect(report.counts.byRoute == ["public": 1])
        for (marker, route) in [("TrustedService", NetworkRoute.trustedService), ("PrivateLink", .privateEndpoint)] {
            let (accepted, decision) = decide(
                {
                    $0.addressAuthorizationType = marker
                    $0.callerIp = "20.40.1.1"
                }, policy: Synthetic.policy())
            #expect(accepted.verdict == .proven)
            #expect(decision?.route == route)
            #expect(decision?.explanation.contains("not enforced") == true)
        }
        let (unknown, _) = decide({ $0.callerIp = "10.99.0.1" }, policy: Synthetic.policy())
        #expect(unknown.verdict == .unproven, "an unknown route is never proof, with or without a routes list")
        let (listed, _) = decide(
            { $0.callerIp = "203.0.113.9" }, policy: Synthetic.policy(routes: [.publicInternet, .trustedService]))
        #expect(listed.verdict == .proven, "a policy may accept public explicitly")
    }

    @Test func `a route the policy does not accept violates`() {
        let policy = Synthetic.policy(routes: [.privateEndpoint, .delegatedSubnet], subnets: ["10.10.0.0/27"])
        let (report, _) = decide({ $0.addressAuthorizationType = "TrustedService" }, policy: policy)
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.routeNotAccepted])
        #expect(report.violations[0].detail.contains("trustedService"))
    }

    @Test func `an unknown route is undecided, not a violation`() {
        let policy = Synthetic.policy(routes: [.privateEndpoint])
        let (report, decision) = decide({ $0.callerIp = "" }, policy: policy)
        #expect(report.verdict == .unproven)
        #expect(decision?.outcome == "undecided")
        #expect(report.unprovenReasons.contains { $0.contains("the route is unknown") })
    }

    @Test func `an identity's own routes override the policy's`() {
        let rule = IdentityRule(enterprisePolicy: Synthetic.policyID, routes: [.trustedService])
        let policy = Synthetic.policy(routes: [.privateEndpoint], identities: [rule])
        let (report, decision) = decide({ $0.addressAuthorizationType = "TrustedService" }, policy: policy)
        #expect(report.verdict == .proven)
        #expect(decision?.explanation.contains("route trustedService accepted") == true)
        let (other, _) = decide({ $0.privateEndpointId = "/subscriptions/s/pe" }, policy: policy)
        #expect(other.violations.map(\.rule) == [.routeNotAccepted])
    }
}
