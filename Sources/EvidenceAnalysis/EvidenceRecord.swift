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
    /// Facts this row cannot supply: no column, no `Identity` claim set, no `AdditionalFields` key.
    var unknownFields: Set<EvidenceField> = []
}
