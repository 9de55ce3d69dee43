/// A row on its way into a workspace table, before its fields are matched to columns.

import TableModel

/// One field of a pending row.
enum PendingCell {
    /// A fixed column of the table (`TimeGenerated`, `OperationName`, …), already typed.
    case fixed(String, Value)
    /// A flattened record field (`identity_claim_xms_mirid`): the column suffix is chosen from the
    /// value, as Log Analytics chooses it.
    case field(base: String, value: Dynamic)
    /// A column named by the source (a Log Analytics row or response) with the type it declares.
    case column(String, ColumnType, Value)
}

/// A row for one table.
struct PendingRow {
    /// The Log Analytics table the row belongs to.
    var table: String
    /// The fields, in source order; a later cell for the same column does not replace an earlier one.
    var cells: [PendingCell] = []
}

/// The Log Analytics tables a workspace holds, and their columns that exist from the start.
enum WorkspaceTables {
    /// The legacy "Azure diagnostics" table shared by many resource types.
    static let azureDiagnostics = "AzureDiagnostics"
    /// The resource-specific Key Vault audit table.
    static let keyVaultAudit = "AZKVAuditLogs"

    /// Columns every `AzureDiagnostics` table has, whatever data reached it. Record fields that are not
    /// one of these become suffixed columns only when a record carries them.
    ///
    /// `time_t` is PathProof's own: the raw record's `time`, the event time the record itself carries.
    /// Log Analytics consumes `time` into `TimeGenerated` and keeps no copy, so it is empty for rows
    /// exported from Log Analytics; for rows read from archive or Event Hub records it shows that
    /// `TimeGenerated` is the event time, not a receipt time the service substituted.
    static let azureDiagnosticsFixed: [Column] = [
        Column("TenantId", .string), Column("TimeGenerated", .datetime), Column("ResourceId", .string),
        Column("Category", .string), Column("ResourceGroup", .string), Column("SubscriptionId", .string),
        Column("ResourceProvider", .string), Column("Resource", .string), Column("ResourceType", .string),
        Column("OperationName", .string), Column("ResultType", .string), Column("CorrelationId", .string),
        Column("ResultDescription", .string), Column("DurationMs", .long), Column("CallerIPAddress", .string),
        Column("OperationVersion", .string), Column("ResultSignature", .string), Column("Level", .string),
        Column("SourceSystem", .string), Column("Type", .string), Column("AdditionalFields", .dynamic),
        Column("_ResourceId", .string), Column("time_t", .datetime),
    ]

    /// Columns an `AZKVAuditLogs` table has from its first row: the ones PathProof's shipped query reads
    /// without `column_ifexists`. Every other column exists only once a saved row carried it, so a
    /// route or claim column that no source projected stays absent rather than empty.
    static let keyVaultAuditFixed: [Column] = [
        Column("TimeGenerated", .datetime), Column("OperationName", .string), Column("ResultType", .string),
        Column("ResultSignature", .string), Column("Identity", .dynamic), Column("_ResourceId", .string),
        Column("Type", .string),
    ]

    /// Types of the documented `AZKVAuditLogs` columns, for rows saved as plain JSON objects (a saved
    /// query response declares its own types). Columns not listed are strings.
    static let keyVaultAuditTypes: [String: ColumnType] = [
        "TimeGenerated": .datetime, "HttpStatusCode": .int, "DurationMs": .int, "Identity": .dynamic,
        "Properties": .dynamic, "Nsp": .dynamic, "NetworkAcls": .dynamic, "IsRbacAuthorized": .bool,
        "IsAccessPolicyMatch": .bool, "IsAddressAuthorized": .bool, "EnabledForDeployment": .bool,
        "EnabledForDiskEncryption": .bool, "EnabledForTemplateDeployment": .bool, "EnablePurgeProtection": .bool,
        "EnableRbacAuthorization": .bool, "EnableSoftDelete": .bool, "SoftDeleteRetentionInDays": .int,
        "KeyProperties": .dynamic, "SecretProperties": .dynamic, "CertificateProperties": .dynamic,
        "CertificatePolicyProperties": .dynamic, "CertificateIssuerProperties": .dynamic,
        "CertificateRequestProperties": .dynamic, "StorageAccountProperties": .dynamic,
        "StorageSasDefinitionProperties": .dynamic, "VaultProperties": .dynamic, "Sku": .dynamic,
        "_BilledSize": .real,
    ]

    /// The columns a new table starts with.
    static func fixedColumns(of table: String) -> [Column] {
        table == azureDiagnostics ? azureDiagnosticsFixed : keyVaultAuditFixed
    }
}
