/// One table of evidence the runner hands the analyzer, with what it knows about its gaps.

import TableModel

/// What a source's rows are.
public enum EvidenceRole: String, Codable, Sendable {
    /// Key Vault key operations in the shape the shipped queries project
    /// (`Queries/keyvault-key-access*.kql`).
    case keyAccess
    /// Signs of life of each vault: rows with `Vault` (or `ResourceId`) and `TimeGenerated`, plus an
    /// optional `Count`; any audit record of a vault, of any operation, shows logging was running.
    /// For example, from AzureDiagnostics:
    /// `AzureDiagnostics | where ResourceProvider =~ "MICROSOFT.KEYVAULT"
    /// | summarize Count = count() by Vault = toupper(Resource), TimeGenerated = bin(TimeGenerated, 5m)`.
    case signsOfLife
    /// `NSPAccessLogs` rows (`TimeGenerated`, `Category`, `TrafficType`, `SourceIpAddress`, …),
    /// used to corroborate or contradict the route of each access.
    case perimeterAccess
    /// Vault configuration events (`VaultGet`, `VaultPut`, `VaultPatch`): `TimeGenerated`, `Vault`
    /// (or `ResourceId`), `OperationName`, `HttpStatus`, and the settings each response showed in
    /// `PublicNetworkAccess`, `NetworkAclsDefaultAction`, `NetworkAclsBypass` and `VaultTenantId`
    /// (`Queries/keyvault-vault-configuration*.kql`).
    case vaultConfiguration
}

/// The rows of one table plus the runner's knowledge of what is missing from them.
///
/// The analyzer never runs queries: the runner resolves the schema, runs the query and says here
/// which columns the source table lacks and why the result may be incomplete.
public struct EvidenceSource: Sendable {
    /// The table the rows came from, such as `AzureDiagnostics` or `AZKVAuditLogs`.
    public var table: String
    /// The projected rows.
    public var rows: Table
    /// What the rows are.
    public var role: EvidenceRole
    /// Claim, route or status columns the source table's schema lacks, by their source name
    /// (`identity_claim_xms_az_nwperimid_s`, `httpStatusCode_d`, …) or projected name
    /// (`PerimeterClaim`, `HttpStatus`, …). List a field only when no variant of it exists.
    public var missingColumns: [String]
    /// Why the rows may not be all the evidence (a saved response with a `PartialError`, a
    /// truncated API result, a failed page). Any reason keeps the verdict from PROVEN.
    public var incompleteReasons: [String]
    /// Set when the table does not exist in the workspace at all (SEM0100 "Failed to resolve table"):
    /// it never received data, so it contributes no rows and this is reported, not counted as a gap.
    public var absentReason: String?

    /// Creates a source.
    public init(
        table: String, rows: Table, role: EvidenceRole = .keyAccess, missingColumns: [String] = [],
        incompleteReasons: [String] = [], absentReason: String? = nil
    ) {
        self.table = table
        self.rows = rows
        self.role = role
        self.missingColumns = missingColumns
        self.incompleteReasons = incompleteReasons
        self.absentReason = absentReason
    }
}
