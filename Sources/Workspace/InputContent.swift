/// Recognising what one parsed JSON value holds (records, rows, envelopes, saved responses) and
/// sending each record to the workspace.

import TableModel

extension FileIngest {
    /// Ingests one top-level JSON value found at `place` (a whole file, or one line of a JSON Lines
    /// file). `bytes` gives the value's text, for saved responses.
    ///
    /// - Throws: ``FileRefusal`` when the value is not Key Vault log data at all (an error body, a
    ///   response without Key Vault tables, a bare number).
    func take(_ value: Dynamic, bytes: () -> [UInt8], at place: RecordPlace) throws -> InputShape {
        switch value {
        case .array(let items):
            for (index, item) in items.enumerated() {
                try takeElement(item, at: RecordPlace(line: place.line, record: index + 1))
            }
            return .recordArray
        case .object(let bag):
            let keys = Dictionary(bag.keys.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            if keys["tables"] != nil {
                return try SavedResponseReader.ingest(bytes: bytes(), into: self)
            }
            if let key = keys["responses"], case .array(let items)? = bag[key] {
                return try SavedResponseReader.ingestBatch(items: items, into: self)
            }
            if bag["error"] != nil && bag["time"] == nil && bag["TimeGenerated"] == nil {
                throw FileRefusal(reason: APIErrorText.describeBody(bag))
            }
            if let key = keys["records"], case .array(let items)? = bag[key] {
                for (index, item) in items.enumerated() {
                    try takeElement(item, at: RecordPlace(line: place.line, record: index + 1))
                }
                return .recordsEnvelope
            }
            if let key = keys["value"], case .array(let items)? = bag[key] {
                for (index, item) in items.enumerated() {
                    try takeElement(item, at: RecordPlace(line: place.line, record: index + 1))
                }
                return .rowsEnvelope
            }
            return try take(object: bag, at: place)
        default:
            throw FileRefusal(reason: "holds a JSON \(kind(of: value)), not log records (objects)")
        }
    }

    private func takeElement(_ item: Dynamic, at place: RecordPlace) throws {
        guard case .object(let bag) = item else {
            reject("a JSON \(kind(of: item)) where a record object was expected", at: place)
            return
        }
        _ = try take(object: bag, at: place)
    }

    private func kind(of value: Dynamic) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .long, .real: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
