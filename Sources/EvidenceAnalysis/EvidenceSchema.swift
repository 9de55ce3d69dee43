/// Which source-table columns the analyzer needs, so the runner can report the absent ones.

/// The columns of Key Vault's Log Analytics tables that carry the facts the analyzer checks.
///
/// The runner reads a table's schema (a column exists only once data created it) and passes
/// `missingColumns(table:columns:)` as `EvidenceSource.missingColumns`. A field counts as
/// missing only when none of its column variants exists.
public enum EvidenceSchema {
    /// Column variants per fact for `AzureDiagnostics` (legacy mode).
    public static let azureDiagnostics: [[String]] = [
        ["identity_claim_xms_az_nwperimid_s"],
        ["identity_claim_xms_mirid_s"],
        ["httpStatusCode_d", "httpStatusCode_s"],
        ["identity_claim_oid_g", "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g"],
        ["addrAuthType_s"], ["privateEndpointId_s"], ["subnetId_s"], ["trustedService_s"],
        ["isAddressAuthorized_b"], ["CallerIPAddress"], ["requestUri_s"], ["id_s"],
    ]

    /// Column variants per fact for `AZKVAuditLogs` (resource-specific mode); the claims are all
    /// inside `Identity`, the private endpoint inside `Properties`.
    public static let azkvAuditLogs: [[String]] = [
        ["Identity"], ["HttpStatusCode"], ["AddressAuthorizationType"], ["Properties"], ["SubnetId"],
        ["TrustedService"], ["IsAddressAuthorized"], ["CallerIpAddress", "CallerIPAddress"], ["RequestUri"], ["Id"],
    ]

    /// The first variant of every needed fact that `columns` (the table's schema) lacks entirely.
    ///
    /// Names compare exactly, as KQL column names do. An unknown table needs nothing listed here.
    public static func missingColumns(table: String, columns: [String]) -> [String] {
        let needed: [[String]]
        switch table {
        case "AzureDiagnostics": needed = azureDiagnostics
        case "AZKVAuditLogs": needed = azkvAuditLogs
        default: needed = []
        }
        let present = Set(columns)
        return needed.filter { variants in !variants.contains(where: present.contains) }.map { $0[0] }
    }
}
