/// Reading one audit event out of a row, whatever columns the table offers for each field.

import Foundation
import TableModel

/// Reads `EvidenceRecord`s out of a table whose columns follow the shipped queries' projection,
/// or the raw AzureDiagnostics / AZKVAuditLogs columns.
///
/// Column names match exactly first, then ignoring case. Where several columns can hold a field
/// (`PerimeterClaim`, `identity_claim_xms_az_nwperimid_s`; `httpStatusCode_d`, `httpStatusCode_s`)
/// the first non-empty one wins. A claim no column holds is read from AZKVAuditLogs' `Identity`
/// (object or JSON text, short or long claim names), then from AzureDiagnostics' `AdditionalFields`
/// bag (key with or without its type suffix).
struct EvidenceRowReader {
    private let columns: [Field: [Int]]
    private let identity: Int?
    private let additional: Int?
    private let table: String
    private let perimeterClaims = PerimeterClaimCache()

    enum Field: CaseIterable {
        case time, sourceTable, resourceId, vault, operation, resultType, resultSignature, resultDescription
        case httpStatus, callerIp, correlationId, requestUri, keyId, enterprisePolicy, perimeter, objectId, appId
        case addressAuthorizationType, privateEndpointId, subnetId, trustedService, isAddressAuthorized
        case callerTenant, issuer

        var names: [String] {
            switch self {
            case .time: return ["TimeGenerated"]
            case .sourceTable: return ["SourceTable"]
            case .resourceId: return ["ResourceId", "_ResourceId"]
            case .vault: return ["Vault", "Resource"]
            case .operation: return ["OperationName"]
            case .resultType: return ["ResultType"]
            case .resultSignature: return ["ResultSignature"]
            case .resultDescription: return ["ResultDescription"]
            case .httpStatus: return ["HttpStatus", "HttpStatusCode", "httpStatusCode_d", "httpStatusCode_s"]
            case .callerIp: return ["CallerIp", "CallerIPAddress", "CallerIpAddress"]
            case .correlationId: return ["CorrelationId"]
            case .requestUri: return ["RequestUri", "requestUri_s"]
            case .keyId: return ["KeyId", "Id", "id_s"]
            case .enterprisePolicy: return ["EnterprisePolicyClaim", "identity_claim_xms_mirid_s"]
            case .perimeter: return ["PerimeterClaim", "identity_claim_xms_az_nwperimid_s"]
            case .objectId:
                return [
                    "ObjectId", "identity_claim_oid_g",
                    "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g",
                ]
            case .appId: return ["AppId", "identity_claim_appid_g"]
            case .addressAuthorizationType: return ["AddressAuthorizationType", "addrAuthType_s"]
            case .privateEndpointId: return ["PrivateEndpointId", "privateEndpointId_s"]
            case .subnetId: return ["SubnetId", "subnetId_s"]
            case .trustedService: return ["TrustedService", "trustedService_s"]
            case .isAddressAuthorized: return ["IsAddressAuthorized", "isAddressAuthorized_b"]
            case .callerTenant:
                return [
                    "CallerTenant", "identity_claim_tid_g",
                    "identity_claim_http_schemas_microsoft_com_identity_claims_tenantid_g",
                ]
            case .issuer: return ["Issuer", "identity_claim_iss_s"]
            }
        }

        /// Claim names in the token (`Identity.claim`), for fields that are claims.
        var claims: [String] {
            switch self {
            case .enterprisePolicy: return ["xms_mirid"]
            case .perimeter: return ["xms_az_nwperimid"]
            case .objectId: return ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"]
            case .appId: return ["appid"]
            case .callerTenant: return ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"]
            case .issuer: return ["iss"]
            default: return []
            }
        }

        /// Keys in `AdditionalFields`: each source column name with and without its type suffix.
        var additionalKeys: [String] {
            names.filter { $0.first?.isLowercase == true }.flatMap { name -> [String] in
                let suffixes = ["_s", "_d", "_g", "_b", "_t"]
                guard let suffix = suffixes.first(where: { name.hasSuffix($0) }) else { return [name] }
                return [name, String(name.dropLast(suffix.count))]
            }
        }

        /// The fact an unknown value of this field takes away.
        var evidence: EvidenceField? {
            switch self {
            case .perimeter: return .perimeterClaim
            case .enterprisePolicy: return .enterprisePolicyClaim
            case .httpStatus: return .httpStatus
            case .objectId: return .objectId
            default: return nil
            }
        }
    }

    init(_ table: Table, sourceName: String) {
        self.table = sourceName
        func index(_ name: String) -> Int? {
            table.columnIndex(name) ?? table.columns.firstIndex { $0.name.lowercased() == name.lowercased() }
        }
        var found: [Field: [Int]] = [:]
        for field in Field.allCases {
            let indexes = field.names.compactMap(index)
            if !indexes.isEmpty { found[field] = indexes }
        }
        columns = found
        identity = index("Identity")
        additional = index("AdditionalFields")
    }

    /// Whether every row can supply `field` from a column or the `Identity` claim set.
    func has(_ field: Field) -> Bool {
        columns[field] != nil || (identity != nil && !field.claims.isEmpty)
    }

    /// Whether rows may supply fields through an `AdditionalFields` bag.
    var hasAdditionalFields: Bool { additional != nil }

    /// The record in `row`, or `nil` when the row has no readable `TimeGenerated`.
    func record(_ row: [Value]) -> EvidenceRecord? {
        let claims = identity.flatMap { EvidenceRowReader.claims(row[$0]) }
        let bag = additional.flatMap { EvidenceRowReader.object(row[$0]) }
        var unknown: Set<EvidenceField> = []
        func value(_ field: Field) -> Value {
            let direct = (columns[field] ?? []).map { row[$0] }
            if let found = direct.first(where: { !EvidenceRowReader.isBlank($0) }) { return found }
            if identity != nil, !field.claims.isEmpty {
                guard let claims else {
                    if let evidence = field.evidence { unknown.insert(evidence) }
                    return .null
                }
                let claim = field.claims.lazy.compactMap { claims.property(caseInsensitive: $0) }.first
                return claim.map(Value.dynamic) ?? .null
            }
            if let bag, let found = field.additionalKeys.lazy.compactMap({ bag.property(caseInsensitive: $0) }).first {
                return .dynamic(found)
            }
            if direct.isEmpty, let evidence = field.evidence { unknown.insert(evidence) }
            return direct.first ?? .null
        }
        func text(_ field: Field) -> String { value(field).kqlString.trimmed }

        guard let time = EvidenceRowReader.dateTime(value(.time)) else { return nil }
        let resourceId = text(.resourceId)
        var vault = text(.vault)
        if vault.isEmpty {
            vault =
                Identifiers.vaultName(fromResourceID: resourceId)
                ?? Identifiers.vaultName(fromURI: text(.requestUri)) ?? Identifiers.vaultName(fromURI: text(.keyId))
                ?? ""
        }
        let sourceTable = text(.sourceTable)
        let perimeter = value(.perimeter)
        var record = EvidenceRecord(
            sourceTable: sourceTable.isEmpty ? table : sourceTable, time: time, resourceId: resourceId.uppercased(),
            vault: vault, operation: text(.operation), resultType: text(.resultType),
            resultSignature: text(.resultSignature), resultDescription: text(.resultDescription),
            httpStatus: EvidenceRowReader.status(value(.httpStatus)), callerIp: text(.callerIp),
            correlationId: text(.correlationId).lowercased(), requestUri: text(.requestUri), keyId: text(.keyId),
            enterprisePolicyClaim: text(.enterprisePolicy), perimeterClaim: perimeterClaims.claim(perimeter),
            perimeterClaimText: perimeter.kqlString, objectId: text(.objectId).lowercased(),
            appId: text(.appId).lowercased(), addressAuthorizationType: text(.addressAuthorizationType),
            privateEndpointId: text(.privateEndpointId), subnetId: text(.subnetId),
            trustedService: text(.trustedService), isAddressAuthorized: text(.isAddressAuthorized),
            callerTenant: text(.callerTenant).lowercased(), issuer: text(.issuer))
        record.unknownFields = unknown
        return record
    }

    static func isBlank(_ value: Value) -> Bool {
        switch value {
        case .null, .dynamic(.null): return true
        case .string(let text), .dynamic(.string(let text)): return text.trimmed.isEmpty
        default: return false
        }
    }

    /// A property bag from a dynamic cell or its JSON text.
    static func object(_ value: Value) -> Dynamic? {
        switch value {
        case .dynamic(let bag) where { if case .object = bag { return true } else { return false } }():
            return bag
        case .string(let text), .dynamic(.string(let text)):
            guard let parsed = try? JSONParser.parse(text), case .object = parsed else { return nil }
            return parsed
        default:
            return nil
        }
    }

    /// The claim set of an `Identity` cell (`{"claim":{…}}`, as an object or as JSON text);
    /// an empty set when the cell is empty (the request carried no token).
    static func claims(_ value: Value) -> Dynamic? {
        guard let identity = object(value) else { return isBlank(value) ? .object([:]) : nil }
        return identity.property(caseInsensitive: "claim") ?? .object([:])
    }

    static func dateTime(_ value: Value) -> DateTime? {
        switch value {
        case .datetime(let instant): return instant
        case .string(let text), .dynamic(.string(let text)): return DateTime(iso8601: text)
        default: return nil
        }
    }

    static func status(_ value: Value) -> Int? {
        switch value {
        case .int(let number): return Int(number)
        case .long(let number), .dynamic(.long(let number)): return Int(exactly: number)
        case .real(let number), .dynamic(.real(let number)):
            return number.isFinite && number == number.rounded() ? Int(number) : nil
        case .decimal(let number): return Int(exactly: NSDecimalNumber(decimal: number).doubleValue)
        case .string(let text), .dynamic(.string(let text)):
            let trimmed = text.trimmed
            if let number = Int(trimmed) { return number }
            return Double(trimmed).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
        default: return nil
        }
    }
}

/// Parsed perimeter claims by their text: a window holds few distinct claim values, so each is
/// parsed once. A reference type so the reader can stay a value.
final class PerimeterClaimCache {
    private var parsed: [String: PerimeterClaim] = [:]

    func claim(_ value: Value) -> PerimeterClaim {
        guard case .string(let text) = value else { return PerimeterClaim(value) }
        if let known = parsed[text] { return known }
        let claim = PerimeterClaim(value)
        parsed[text] = claim
        return claim
    }
}
