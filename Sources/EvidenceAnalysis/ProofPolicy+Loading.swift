/// Loading a proof policy from a JSON file and checking every field before any analysis runs.

import Foundation
import TableModel

extension ProofPolicy {
    /// Reads, decodes and validates the policy at `path`.
    ///
    /// - Throws: `PolicyError` naming the file and the field (or line and column for bad JSON).
    /// - Returns: the policy with operation names in their canonical spelling.
    public static func load(path: String) throws(PolicyError) -> ProofPolicy {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
        return try decode(data, file: path)
    }

    /// Decodes and validates a policy held in memory; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(PolicyError) -> ProofPolicy {
        let bytes = [UInt8](data)
        do { _ = try JSONParser.parse(bytes: bytes) } catch {
            let (line, column) = lineAndColumn(of: error.offset, in: bytes)
            throw .invalidJSON(file: file, line: line, column: column, reason: error.reason)
        }
        let policy: ProofPolicy
        do { policy = try JSONDecoder().decode(ProofPolicy.self, from: data) } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch {
            throw .invalidField(file: file, field: "(root)", reason: "\(error)")
        }
        return try policy.validated(file: file)
    }

    private static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        let prefix = bytes.prefix(min(offset, bytes.count))
        let line = prefix.filter { $0 == 0x0A }.count + 1
        let column = offset - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return (line, column)
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "(root)" : keys.readableText
    }

    private static func describe(_ error: DecodingError, file: String) -> PolicyError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidField(file: file, field: path(context.codingPath + [key]), reason: "required but missing")
        case .typeMismatch(let type, let context):
            return .invalidField(file: file, field: path(context.codingPath), reason: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalidField(
                file: file, field: path(context.codingPath), reason: "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
            return .invalidField(file: file, field: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidField(file: file, field: "(root)", reason: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is [String].Type: return "a list of strings"
        default: return "\(type)".contains("Array") ? "a list" : "an object"
        }
    }
}
