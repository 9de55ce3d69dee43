/// Turning one raw Key Vault resource-log record into an `AzureDiagnostics` row, flattened as Log
/// Analytics flattens it.

import TableModel

/// Why one record or row could not be read; the caller adds the file and line.
struct RecordProblem: Error {
    var reason: String
}

/// Flattens raw resource-log records (`time`, `resourceId`, `identity`, `properties`, …).
///
/// Top-level keys match case-insensitively. `identity.claim.xms_mirid` becomes the field
/// `identity_claim_xms_mirid`; the `properties` wrapper is dropped (`properties.httpStatusCode` →
/// `httpStatusCode`) while nested objects keep their names; null values make no field; arrays stay
/// whole, as JSON text. The column suffix is chosen later from each value.
enum RecordFlattener {
    /// The `AzureDiagnostics` row for `record`, or why it cannot be one.
    ///
    /// `resourceCache` keeps the derived resource columns of recent resource ids: the records of one
    /// blob share one id, and splitting it is a good part of the work per record.
    static func row(from record: [String: Dynamic], resourceCache: inout [String: [PendingCell]])
        throws(RecordProblem) -> PendingRow
    {
        var row = PendingRow(table: WorkspaceTables.azureDiagnostics)
        var time: Dynamic?
        var resourceId: String?
        var explicitParts: [String: String] = [:]
        var fields: [PendingCell] = []

        for key in orderedKeys(record) {
            let value = record[key]!
            switch key.lowercased() {
            case "time": time = value
            case "resourceid": resourceId = value.stringValue ?? value.jsonText
            case "operationname": row.cells.append(.fixed("OperationName", text(value)))
            case "operationversion": row.cells.append(.fixed("OperationVersion", text(value)))
            case "category": row.cells.append(.fixed("Category", text(value)))
            case "resulttype": row.cells.append(.fixed("ResultType", text(value)))
            case "resultsignature": row.cells.append(.fixed("ResultSignature", text(value)))
            case "resultdescription": row.cells.append(.fixed("ResultDescription", text(value)))
            case "calleripaddress": row.cells.append(.fixed("CallerIPAddress", text(value)))
            case "correlationid": row.cells.append(.fixed("CorrelationId", text(value)))
            case "tenantid": row.cells.append(.fixed("TenantId", text(value)))
            case "level": row.cells.append(.fixed("Level", text(value)))
            case "durationms":
                if let duration = ValueCoercion.coerce(value, to: .long) {
                    row.cells.append(.fixed("DurationMs", duration))
                } else {
                    fields.append(.field(base: "durationMs", value: value))
                }
            case "resourcegroup", "resourceprovider", "resource", "resourcetype", "subscriptionid":
                if let text = value.stringValue { explicitParts[key.lowercased()] = text }
            case "identity": flattenIdentity(value, into: &fields)
            case "properties":
                if case .object(let bag) = parsedIfJSONObject(value) {
                    for name in orderedKeys(bag) {
                        flatten(bag[name]!, path: canonicalProperty(name), into: &fields)
                    }
                } else {
                    flatten(value, path: "properties", into: &fields)
                }
            default:
                flatten(value, path: canonicalProperty(key), into: &fields)
            }
        }

        guard let time else {
            throw RecordProblem(reason: "record has no 'time' field; PathProof takes event time only from the record")
        }
        guard case .string(let timeText) = time, let instant = DateTime(iso8601: timeText) else {
            throw RecordProblem(reason: "'time' value \(time.jsonText.prefix(60)) is not an ISO 8601 date and time")
        }
        row.cells.insert(.fixed("TimeGenerated", .datetime(instant)), at: 0)
        // The record's own time, kept beside TimeGenerated (see `WorkspaceTables.azureDiagnosticsFixed`).
        // Placed first, it wins over a nested `properties.time` that would also be named `time_t`.
        row.cells.insert(.fixed("time_t", .datetime(instant)), at: 1)
        if let resourceId, explicitParts.isEmpty {
            if let cached = resourceCache[resourceId] {
                row.cells += cached
            } else {
                let cells = resourceCells(resourceId: resourceId, explicit: [:])
                if resourceCache.count >= 256 { resourceCache.removeAll() }
                resourceCache[resourceId] = cells
                row.cells += cells
            }
        } else {
            row.cells += resourceCells(resourceId: resourceId, explicit: explicitParts)
        }
        row.cells.append(.fixed("SourceSystem", .string("Azure")))
        row.cells.append(.fixed("Type", .string(WorkspaceTables.azureDiagnostics)))
        row.cells += fields
        return row
    }

    /// The derived resource columns: from `resourceId` when there is one, else from the record's own
    /// `resourceGroup`/`resourceProvider`/`resource`/`resourceType`/`subscriptionId` fields.
    static func resourceCells(resourceId: String?, explicit: [String: String]) -> [PendingCell] {
        var cells: [PendingCell] = []
        if let resourceId, !resourceId.isEmpty {
            let parts = ResourceIdParts(resourceId)
            cells.append(.fixed("ResourceId", .string(parts.resourceId)))
            cells.append(.fixed("_ResourceId", .string(parts.lowerResourceId)))
            cells.append(.fixed("SubscriptionId", .string(parts.subscriptionId)))
            cells.append(.fixed("ResourceGroup", .string(parts.resourceGroup)))
            cells.append(.fixed("ResourceProvider", .string(parts.resourceProvider)))
            cells.append(.fixed("ResourceType", .string(parts.resourceType)))
            cells.append(.fixed("Resource", .string(parts.resource)))
        }
        let names = [
            ("subscriptionid", "SubscriptionId"), ("resourcegroup", "ResourceGroup"),
            ("resourceprovider", "ResourceProvider"), ("resourcetype", "ResourceType"), ("resource", "Resource"),
        ]
        for (key, column) in names {
            if let text = explicit[key] {
                cells.append(.fixed(column, .string(key == "subscriptionid" ? text.lowercased() : text.uppercased())))
            }
        }
        return cells
    }

    private static func text(_ value: Dynamic) -> Value {
        switch value {
        case .null: return .string("")
        case .string(let text): return .string(text)
        default: return .string(value.jsonText)
        }
    }

    /// The object a string holds as JSON text (Managed HSM writes `identity` so), else `value` itself.
    private static func parsedIfJSONObject(_ value: Dynamic) -> Dynamic {
        guard case .string(let text) = value, text.utf8.first == UInt8(ascii: "{"),
            case .object(let bag)? = try? JSONParser.parse(text)
        else { return value }
        return .object(bag)
    }

    /// `identity` is an object, a JSON-encoded object (Managed HSM), or a plain string kept as `identity_s`.
    private static func flattenIdentity(_ value: Dynamic, into fields: inout [PendingCell]) {
        guard case .object(let bag) = parsedIfJSONObject(value) else {
            flatten(value, path: "identity", into: &fields)
            return
        }
        for key in orderedKeys(bag) {
            let inner = bag[key]!
            guard key.lowercased() == "claim", case .object(let claims) = inner else {
                flatten(inner, path: "identity_" + ColumnNaming.sanitize(key), into: &fields)
                continue
            }
            for claim in orderedKeys(claims) {
                let claimValue = claims[claim]!
                let name = ColumnNaming.canonicalClaimNames[claim.lowercased()] ?? claim
                flatten(claimValue, path: "identity_claim_" + ColumnNaming.sanitize(name), into: &fields)
            }
        }
    }

    /// The keys in an order that does not depend on their casing, so column order does not either.
    private static func orderedKeys(_ bag: [String: Dynamic]) -> [String] {
        let pairs: [(lower: String, key: String)] = bag.keys.map { ($0.lowercased(), $0) }
        let ordered = pairs.sorted { (left, right) -> Bool in
            left.lower == right.lower ? left.key < right.key : left.lower < right.lower
        }
        return ordered.map(\.key)
    }

    private static func canonicalProperty(_ key: String) -> String {
        ColumnNaming.sanitize(ColumnNaming.canonicalPropertyNames[key.lowercased()] ?? key)
    }

    /// Objects recurse (`a.b` → `a_b`); every other non-null value is a leaf field.
    private static func flatten(_ value: Dynamic, path: String, into fields: inout [PendingCell]) {
        switch value {
        case .null: return
        case .object(let bag):
            for key in orderedKeys(bag) {
                flatten(bag[key]!, path: path + "_" + ColumnNaming.sanitize(key), into: &fields)
            }
        default:
            fields.append(.field(base: path, value: value))
        }
    }
}
