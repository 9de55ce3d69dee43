/// Classifying the network route of one request from its address-authorization fields.

import Foundation

/// A route and the rule that chose it, in words an auditor can re-check.
struct RouteClassification: Sendable, Hashable {
    /// The route.
    var route: NetworkRoute
    /// Why: the field and value that decided.
    var rule: String
}

/// Classifies requests by route using the policy's delegated subnets.
///
/// Order: an explicit public marker, private endpoint, trusted service, the policy's subnets (by
/// subnet id, then caller IP in a CIDR), other service endpoints, then the caller IP alone.
/// Placeholder ids (`(unknown)`, `none`, `false`, ...) do not count.
struct RouteClassifier: Sendable {
    private let ranges: [(text: String, range: CIDRRange)]
    private let subnetIDs: Set<String>

    init(subnets: [String]) {
        ranges = subnets.compactMap { text in CIDRRange(text).map { (text, $0) } }
        subnetIDs = Set(subnets.filter { CIDRRange($0) == nil }.map(Identifiers.normalizedResourceID))
    }

    func classify(_ record: EvidenceRecord) -> RouteClassification {
        // "PublicIP", "Public IP" and "public_ip" are one marker.
        let marker = String(
            record.addressAuthorizationType.lowercased().unicodeScalars.filter { !" _-".unicodeScalars.contains($0) })
        let subnet = Self.meaningful(record.subnetId) ? record.subnetId : ""
        let privateEndpoint = Self.meaningful(record.privateEndpointId) ? record.privateEndpointId : ""
        let trustedService = Self.meaningful(record.trustedService) ? record.trustedService : ""
        let address = IPAddress(record.callerIp)

        // An explicit public marker, written by Key Vault itself, decides over the id fields: a
        // PublicIP request that also carries a privateEndpointId or trustedService value is public.
        // So does any marker that speaks of the public network or the internet.
        if marker.contains("public") || marker == "internet" {
            let ignored = [("privateEndpointId", privateEndpoint), ("trustedService", trustedService)]
                .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1)" }
            let note = ignored.isEmpty ? "" : " (\(ignored.joined(separator: ", ")) does not override it)"
            return RouteClassification(
                route: .publicInternet, rule: "addrAuthType is \(record.addressAuthorizationType)\(note)")
        }
        // A marker PathProof does not know decides nothing, and nothing else may decide over it.
        if !marker.isEmpty, !Self.knownMarkers.contains(marker) {
            return RouteClassification(
                route: .unknown,
                rule: "addrAuthType '\(record.addressAuthorizationType)' is not a marker PathProof knows")
        }
        if !privateEndpoint.isEmpty {
            return RouteClassification(route: .privateEndpoint, rule: "privateEndpointId is \(privateEndpoint)")
        }
        if ["privatelink", "privateendpoint", "privateconnection", "private"].contains(marker) {
            return RouteClassification(
                route: .privateEndpoint, rule: "addrAuthType is \(record.addressAuthorizationType)")
        }
        if marker == "trustedservice" || !trustedService.isEmpty {
            let name = trustedService.isEmpty ? "" : " (\(trustedService))"
            return RouteClassification(route: .trustedService, rule: "trusted-service bypass\(name)")
        }
        if !subnet.isEmpty, subnetIDs.contains(Identifiers.normalizedResourceID(subnet)) {
            return RouteClassification(route: .delegatedSubnet, rule: "subnetId \(subnet) is a policy subnet")
        }
        if let address, let match = ranges.first(where: { $0.range.contains(address) }) {
            return RouteClassification(
                route: .delegatedSubnet, rule: "caller IP \(record.callerIp) is inside policy subnet \(match.text)")
        }
        if !subnet.isEmpty || marker == "subnet" || marker == "virtualnetwork" || marker == "serviceendpoint" {
            let from = subnet.isEmpty ? "an unnamed subnet" : "subnet \(subnet)"
            return RouteClassification(
                route: .serviceEndpoint, rule: "service endpoint from \(from), not a policy subnet")
        }
        if let address, address.isPublic {
            return RouteClassification(
                route: .publicInternet, rule: "no network marker; caller IP \(record.callerIp) is a public address")
        }
        if address != nil {
            return RouteClassification(
                route: .unknown,
                rule: "no network marker; caller IP \(record.callerIp) is private but in no policy subnet")
        }
        let ip = record.callerIp.isEmpty ? "no caller IP" : "caller IP '\(record.callerIp)' unreadable"
        return RouteClassification(route: .unknown, rule: "no network marker and \(ip)")
    }

    /// Whether an id field holds a value rather than a placeholder (`(unknown)`, `none`, `false`,
    /// ...): only a value says the request came through a private endpoint or a trusted service.
    static func meaningful(_ text: String) -> Bool {
        // Compared on letters and digits only, so `(unknown)`, `Unknown.`, `[ ]` and `n/a` are all
        // placeholders.
        let letters = String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        let placeholders: Set<String> = [
            "", "unknown", "none", "null", "nil", "undefined", "na", "false", "0", "no", "nottrusted", "untrusted",
            "notapplicable", "disabled", "empty",
        ]
        return !placeholders.contains(letters) && !letters.hasPrefix("not")
    }

    /// The `addrAuthType` values (spaces, dashes and underscores removed, lower case) whose meaning
    /// PathProof knows.
    static let knownMarkers: Set<String> = [
        "privatelink", "privateendpoint", "privateconnection", "private", "trustedservice", "subnet",
        "virtualnetwork", "serviceendpoint",
    ]
}
