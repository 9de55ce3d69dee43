/// Synthetic Key Vault audit events for the field-case tests, written in each native shape (raw
/// archive record, Managed HSM record, AzureDiagnostics row, AZKVAuditLogs row) so that
/// `pathproof ingest` and `pathproof verify` read them as they would read real exports.
///
/// Every identifier here is synthetic (all-zero GUIDs, documentation-range IPs); no real tenant.

import Foundation

/// The proof policy every field case is checked against, and its identifiers.
enum FieldPolicy {
    static let enterprisePolicy =
        "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-pp/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/ep-field"
    /// The policy as `xms_mirid` writes it (lower-case `resourcegroups`).
    static let claim =
        "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourcegroups/rg-pp/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/ep-field"
    static let perimeter = "6a1f3c52-7d0e-4b8a-9c31-2f4e5d6a7b80"
    static let objectId = "00000000-0000-0000-0000-0000000001f1"
    static let tenant = "00000000-0000-0000-0000-0000000000a7"

    /// The policy JSON; `extra` is spliced in as further top-level fields.
    static func json(vaults: [String] = ["kv-field"], operations: [String]? = nil, extra: String = "") -> String {
        let vaultList = vaults.map { "\"\($0)\"" }.joined(separator: ",")
        let operationList = operations.map { ",\"operations\":[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        return """
            {"vaults":[\(vaultList)],"enterprisePolicies":["\(enterprisePolicy)"],"perimeters":["\(perimeter)"],\
            "routes":["trustedService","privateEndpoint","delegatedSubnet"],"subnets":["10.10.0.0/27"],\
            "maxSilenceMinutes":120\(operationList ?? "")\(extra)}
            """
    }
}

/// One audit event; the defaults are an in-policy KeyUnwrap through the trusted-service bypass.
struct FieldEvent {
    var time = "2026-11-02T10:00:00.1234567Z"
    var vault = "KV-FIELD"
    var resourceType = "VAULTS"
    var operation = "KeyUnwrap"
    var status = 200
    var signature = "OK"
    var resultDescription = ""
    var callerIp = "20.50.0.9"
    var correlationId = "7c1e0000-0000-0000-0000-000000000001"
    var mirid: String? = FieldPolicy.claim
    var perimeters: [String]? = [FieldPolicy.perimeter]
    var objectId = FieldPolicy.objectId
    var tenant: String?
    var issuer: String?
    var addrAuthType: String? = "TrustedService"
    var trustedService: String? = "PowerPlatform"
    var vaultProperties: [String: Any]?
    var privateEndpointId: String?
    /// Write the object id under its long claim name, as ARM tokens do.
    var longObjectIdClaim = false
    var keyName = "cmk"
    var keyVersion = "0123456789abcdef0123456789abcdef"

    var resourceId: String {
        "/SUBSCRIPTIONS/00000000-0000-0000-0000-0000000000F1/RESOURCEGROUPS/RG-FIELD/PROVIDERS/"
            + "MICROSOFT.KEYVAULT/\(resourceType)/\(vault)"
    }
    var host: String { vault.lowercased() + ".vault.azure.net" }
    var keyId: String {
        operation.hasPrefix("Vault") ? "https://\(host)/" : "https://\(host)/keys/\(keyName)/\(keyVersion)"
    }
    var requestUri: String {
        operation.hasPrefix("Vault")
            ? "https://management.azure.com/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/"
                + "rg-field/providers/Microsoft.KeyVault/vaults/\(vault.lowercased())?api-version=2023-07-01"
            : keyId + "/" + operation.dropFirst(3).lowercased() + "key?api-version=7.4"
    }

    /// The token's claims as the record writes them.
    var claims: [String: Any] {
        let objectIdName = longObjectIdClaim ? "http://schemas.microsoft.com/identity/claims/objectidentifier" : "oid"
        var claims: [String: Any] = [objectIdName: objectId, "appid": "00000000-0000-0000-0000-0000000001f2"]
        if let mirid { claims["xms_mirid"] = mirid }
        if let perimeters { claims["xms_az_nwperimid"] = perimeters }
        if let tenant { claims["tid"] = tenant }
        if let issuer { claims["iss"] = issuer }
        return claims
    }

    /// The `properties` of a raw record.
    var properties: [String: Any] {
        var properties: [String: Any] = [
            "id": keyId, "requestUri": requestUri, "httpStatusCode": status, "clientInfo": "PowerPlatform/1.0",
        ]
        if let addrAuthType { properties["addrAuthType"] = addrAuthType }
        if let trustedService { properties["trustedService"] = trustedService }
        if let vaultProperties { properties["properties"] = vaultProperties }
        if let privateEndpointId { properties["privateEndpointId"] = privateEndpointId }
        return properties
    }

    /// The raw resource-log record, as a storage archive or Event Hub holds it.
    var raw: [String: Any] {
        [
            "time": time, "resourceId": resourceId, "operationName": operation, "operationVersion": "7.4",
            "category": "AuditEvent", "resultType": "Success", "resultSignature": signature,
            "resultDescription": resultDescription, "durationMs": "12", "callerIpAddress": callerIp,
            "correlationId": correlationId, "identity": ["claim": claims], "properties": properties,
        ]
    }

    /// The raw record with every key written in lower case, as some services emit them.
    var lowerCaseRaw: [String: Any] { Self.lowerCased(raw) as! [String: Any] }

    /// The record as Managed HSM writes it: `identity` as JSON text, properties at the top level.
    var managedHSM: [String: Any] {
        var record = raw
        record["identity"] = Self.text(["claim": claims])
        record.removeValue(forKey: "properties")
        for (key, value) in properties { record[key] = value }
        record["durationMs"] = 12
        return record
    }

    /// The AzureDiagnostics row Log Analytics makes of the record.
    var diagnosticsRow: [String: Any] {
        var row: [String: Any] = [
            "TimeGenerated": time, "ResourceId": resourceId, "OperationName": operation, "OperationVersion": "7.4",
            "Category": "AuditEvent", "ResultType": "Success", "ResultSignature": signature,
            "ResultDescription": resultDescription, "DurationMs": 12, "CallerIPAddress": callerIp,
            "CorrelationId": correlationId, "id_s": keyId, "requestUri_s": requestUri, "httpStatusCode_d": status,
            "clientInfo_s": "PowerPlatform/1.0", "identity_claim_oid_g": objectId,
            "identity_claim_appid_g": "00000000-0000-0000-0000-0000000001f2", "Type": "AzureDiagnostics",
        ]
        if let mirid { row["identity_claim_xms_mirid_s"] = mirid }
        if let perimeters { row["identity_claim_xms_az_nwperimid_s"] = Self.text(perimeters) }
        if let tenant { row["identity_claim_tid_g"] = tenant }
        if let issuer { row["identity_claim_iss_s"] = issuer }
        if let addrAuthType { row["addrAuthType_s"] = addrAuthType }
        if let trustedService { row["trustedService_s"] = trustedService }
        if let privateEndpointId { row["privateEndpointId_s"] = privateEndpointId }
        return row
    }

    /// The AzureDiagnostics row of a table past its 500 columns: the claims are properties of the
    /// `AdditionalFields` bag, keyed with their type suffix or (`suffixed` false) without it.
    func spilledRow(suffixed: Bool) -> [String: Any] {
        var row = diagnosticsRow
        var bag: [String: Any] = [:]
        for name in ["identity_claim_xms_mirid_s", "identity_claim_xms_az_nwperimid_s"] {
            guard let value = row.removeValue(forKey: name) else { continue }
            bag[suffixed ? name : String(name.dropLast(2))] = value
        }
        row["AdditionalFields"] = bag
        return row
    }

    /// The AZKVAuditLogs row of the event (resource-specific mode).
    var auditRow: [String: Any] {
        var row: [String: Any] = [
            "TimeGenerated": time, "_ResourceId": resourceId.lowercased(), "OperationName": operation,
            "OperationVersion": "7.4", "ResultType": "Success", "ResultSignature": signature,
            "ResultDescription": resultDescription, "DurationMs": 12, "CallerIpAddress": callerIp,
            "CorrelationId": correlationId, "Id": keyId, "RequestUri": requestUri, "HttpStatusCode": status,
            "ClientInfo": "PowerPlatform/1.0", "Identity": ["claim": claims], "Type": "AZKVAuditLogs",
        ]
        if let addrAuthType { row["AddressAuthorizationType"] = addrAuthType }
        if let trustedService { row["TrustedService"] = trustedService }
        return row
    }

    /// Compact JSON text with sorted keys.
    static func text(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON Lines: one record a line.
    static func jsonLines(_ records: [[String: Any]]) -> String {
        records.map { text($0) }.joined(separator: "\n") + "\n"
    }

    /// The legacy `{"records":[…]}` envelope (blobs before November 2018, Event Hub messages).
    static func envelope(_ records: [[String: Any]]) -> String {
        text(["records": records])
    }

    private static func lowerCased(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return Dictionary(uniqueKeysWithValues: object.map { ($0.key.lowercased(), lowerCased($0.value)) })
        }
        if let list = value as? [Any] { return list.map(lowerCased) }
        return value
    }
}
