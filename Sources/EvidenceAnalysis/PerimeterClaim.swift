/// Reading the `xms_az_nwperimid` perimeter claim by parsing it, never by testing for emptiness.

import Foundation
import TableModel

/// What a record's perimeter claim says.
public enum PerimeterClaim: Sendable, Hashable {
    /// No claim: the column value is `""` or null.
    case absent
    /// The empty list `[]`: the caller is in no perimeter. Non-empty text, yet no perimeter.
    case empty
    /// Text that is not a JSON list of strings.
    case unparsable(String)
    /// The perimeter GUIDs the token lists, in comparison form (non-GUID strings kept lower-cased).
    case perimeters([String])

    /// Reads the claim from a cell: JSON text (AzureDiagnostics' `_s` column, or `tostring()` of
    /// a dynamic array) or a dynamic array (AZKVAuditLogs' `Identity.claim.xms_az_nwperimid`).
    public init(_ value: Value) {
        switch value {
        case .null: self = .absent
        case .dynamic(.null): self = .absent
        case .dynamic(.array(let items)): self = PerimeterClaim(items: items, text: Dynamic.array(items).jsonText)
        case .dynamic(.string(let text)), .string(let text): self = PerimeterClaim(text: text)
        default: self = .unparsable(value.kqlString)
        }
    }

    /// Reads the claim from its text form.
    public init(text: String) {
        let trimmed = text.trimmed
        if trimmed.isEmpty {
            self = .absent
            return
        }
        guard case .array(let items) = try? JSONParser.parse(trimmed) else {
            self = .unparsable(text)
            return
        }
        self = PerimeterClaim(items: items, text: text)
    }

    private init(items: [Dynamic], text: String) {
        var guids: [String] = []
        for item in items {
            guard case .string(let entry) = item else {
                self = .unparsable(text)
                return
            }
            guids.append(Identifiers.normalizedGUID(entry) ?? entry.lowercased())
        }
        self = guids.isEmpty ? .empty : .perimeters(guids)
    }
}
