/// One Key Vault audit event read from a projected row into named, typed fields.

import Foundation
import TableModel

/// The fields of one audit event the analyzer reasons about.
struct EvidenceRecord: Sendable, Hashable {
    /// The table the event came from (`SourceTable` column, else the source's table).
    var sourceTable: String
    /// When the event happened (`TimeGenerated`, UTC).
    var time: DateTime
    /// The vault ARM id, upper case as Key Vault writes it.
    var resourceId: String
    /// The vault name.
    var vault: String
    /// `OperationName`.
    var operation: String
    /// `ResultType`; never used to decide an outcome (Key Vault writes `Success` for 403s).
    var resultType: String
    /// `ResultSignature`, the HTTP status text.
    var resultSignature: String
    /// `ResultDescription`.
    var resultDescription: String
    /// The HTTP status, or `nil` when the row has none.
    var httpStatus: Int?
    /// The caller's IP address as logged.
    var callerIp: String
    /// `CorrelationId`.
    var correlationId: String
    /// The request URI.
    var requestUri: String
    /// The key id (`id_s` / `Id`).
    var keyId: String
    /// The `xms_mirid` claim.
    var enterprisePolicyClaim: String
    /// The `xms_az_nwperimid` claim, parsed.
    var perimeterClaim: PerimeterClaim
    /// The perimeter claim as logged, for the report.
    var perimeterClaimText: String
    /// The caller's object id (`oid`), lower case.
    var objectId: String
    /// The caller's application id.
    var appId: String
    /// `addrAuthType` / `AddressAuthorizationType`.
    var addressAuthorizationType: String
    /// `privateEndpointId`.
    var privateEndpointId: String
    /// `subnetId`.
    var subnetId: String
    /// `trustedService`.
    var trustedService: String
    /// `isAddressAuthorized` as text (`True`, `False`, or empty).
    var isAddressAuthorized: String
    /// The token's tenant claim (`tid`, or its long URI form), lower case.
    var callerTenant: String
    /// The token's issuer (`iss`), which names the tenant that issued it.
    var issuer: String
    /// Facts this row cannot supply: no column, no `Identity` claim set, no `AdditionalFields` key.
    var unknownFields: Set<EvidenceField> = []
}
