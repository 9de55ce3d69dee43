/// One Key Vault audit event read from a projected row into named, typed fields.

import Foundation
import TableModel

/// The fields of one audit event the analyzer reasons about.
public struct EvidenceRecord: Sendable, Hashable {
    /// The table the event came from (`SourceTable` column, else the source's table).
    public var sourceTable: String
    /// When the event happened (`TimeGenerated`, UTC).
    public var time: DateTime
    /// The vault ARM id, upper case as Key Vault writes it.
    public var resourceId: String
    /// The vault name.
    public var vault: String
    /// `OperationName`.
    public var operation: String
    /// `ResultType`; never used to decide an outcome (Key Vault writes `Success` for 403s).
    public var resultType: String
    /// `ResultSignature`, the HTTP status text.
    public var resultSignature: String
    /// `ResultDescription`.
    public var resultDescription: String
    /// The HTTP status, or `nil` when the row has none.
    public var httpStatus: Int?
    /// The caller's IP address as logged.
    public var callerIp: String
    /// `CorrelationId`.
    public var correlationId: String
    /// The request URI.
    public var requestUri: String
    /// The key id (`id_s` / `Id`).
    public var keyId: String
    /// The `xms_mirid` claim.
    public var enterprisePolicyClaim: String
    /// The `xms_az_nwperimid` claim, parsed.
    public var perimeterClaim: PerimeterClaim
    /// The perimeter claim as logged, for the report.
    public var perimeterClaimText: String
    /// The caller's object id (`oid`), lower case.
    public var objectId: String
    /// The caller's application id.
    public var appId: String
    /// `addrAuthType` / `AddressAuthorizationType`.
    public var addressAuthorizationType: String
    /// `privateEndpointId`.
    public var privateEndpointId: String
    /// `subnetId`.
    public var subnetId: String
    /// `trustedService`.
    public var trustedService: String
    /// `isAddressAuthorized` as text (`True`, `False`, or empty).
    public var isAddressAuthorized: String
}

/// Reads `EvidenceRecord`s out of a table whose columns follow the shipped queries' projection.
///
/// Column names are matched exactly first, then ignoring case, and a few source spellings are
/// accepted as aliases (`CallerIPAddress`, `CallerIpAddress`, `HttpStatusCode`, `httpStatusCode_d`).
struct EvidenceRowReader {
    private let columns: [Field: Int]
    private let table: String

    enum Field: CaseIterable {
        case time, sourceTable, resourceId, vault, operation, resultType, resultSignature, resultDescription
        case httpStatus, callerIp, correlationId, requestUri, keyId, enterprisePolicy, perimeter, objectId, appId
        case addressAuthorizationType, privateEndpointId, subnetId, trustedService, isAddressAuthorized

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
            case .objectId: return ["ObjectId", "identity_claim_oid_g"]
            case .appId: return ["AppId", "identity_claim_appid_g"]
            case .addressAuthorizationType: return ["AddressAuthorizationType", "addrAuthType_s"]
            case .privateEndpointId: return ["PrivateEndpointId", "privateEndpointId_s"]
            case .subnetId: return ["SubnetId", "subnetId_s"]
            case .trustedService: return ["TrustedService", "trustedService_s"]
            case .isAddressAuthorized: return ["IsAddressAuthorized", "isAddressAuthorized_b"]
            }
        }
    }

    init(_ table: Table, sourceName: String) {
        self.table = sourceName
        var found: [Field: Int] = [:]
        for field in Field.allCases {
            for name in field.names {
                if let index = table.columnIndex(name)
                    ?? table.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() })
                {
                    found[field] = index
                    break
                }
            }
        }
        columns = found
    }

    /// Whether the table has a column for `field`.
    func has(_ field: Field) -> Bool { columns[field] != nil }

    /// The record in `row`, or `nil` when the row has no readable `TimeGenerated`.
    func record(_ row: [Value]) -> EvidenceRecord? {
        func value(_ field: Field) -> Value {
            guard let index = columns[field], index < row.count else { return .null }
            return row[index]
        }
        func text(_ field: Field) -> String { value(field).kqlString.trimmingCharacters(in: .whitespaces) }
        guard let time = EvidenceRowReader.dateTime(value(.time)) else { return nil }
        let resourceId = text(.resourceId)
        var vault = text(.vault)
        if vault.isEmpty { vault = Identifiers.vaultName(fromResourceID: resourceId) ?? "" }
        let sourceTable = text(.sourceTable)
        return EvidenceRecord(
            sourceTable: sourceTable.isEmpty ? table : sourceTable, time: time, resourceId: resourceId.uppercased(),
            vault: vault, operation: text(.operation), resultType: text(.resultType),
            resultSignature: text(.resultSignature), resultDescription: text(.resultDescription),
            httpStatus: EvidenceRowReader.status(value(.httpStatus)), callerIp: text(.callerIp),
            correlationId: text(.correlationId).lowercased(), requestUri: text(.requestUri), keyId: text(.keyId),
            enterprisePolicyClaim: text(.enterprisePolicy), perimeterClaim: PerimeterClaim(value(.perimeter)),
            perimeterClaimText: value(.perimeter).kqlString, objectId: text(.objectId).lowercased(),
            appId: text(.appId).lowercased(), addressAuthorizationType: text(.addressAuthorizationType),
            privateEndpointId: text(.privateEndpointId), subnetId: text(.subnetId),
            trustedService: text(.trustedService), isAddressAuthorized: text(.isAddressAuthorized))
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
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let number = Int(trimmed) { return number }
            return Double(trimmed).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
        default: return nil
        }
    }
}
