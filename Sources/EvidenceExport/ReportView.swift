/// A report.json read back: the analyzer's typed report plus the run and query facts around it.

import EvidenceAnalysis
import Foundation
import TableModel

/// One query of a report as `verify` recorded it.
public struct ReportQuery: Sendable, Equatable {
    /// The shipped query file name, e.g. `keyvault-key-access.kql`.
    public var file: String
    /// The table it reads.
    public var table: String
    /// The exact KQL text that ran.
    public var kql: String
    /// SHA-256 of the KQL text as the report states it.
    public var sha256: String
    /// Rows returned; `nil` when the query did not run.
    public var rows: Int?
    /// Why the query did not run, when it did not.
    public var note: String?
    /// The raw result files of its answer, relative to the report (`results/….json`).
    public var resultFiles: [String] = []
}

/// A parsed `report.json`.
public struct ReportView: Sendable {
    /// The analysis part: verdict, accesses, violations, coverage and the rest.
    public let analysis: Report
    /// The whole document as JSON.
    public let document: Dynamic
    /// `run.id`, or an empty string when the report has none.
    public let runID: String
    /// The queries that produced the evidence.
    public let queries: [ReportQuery]

    /// A decoding failure in a few words: the field at fault and what is wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.readableText }
        switch error {
        case .keyNotFound(let key, let context):
            return "no '\(path(context.codingPath + [key]))' field"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "the top level is not a JSON object" : "'\(field)' has the wrong type"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty ? context.debugDescription : "'\(field)': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Parses report bytes; `source` names them in errors.
    public init(bytes: [UInt8], source: String) throws(ExportError) {
        do {
            document = try JSONParser.parse(bytes: bytes)
        } catch {
            throw .malformedReport(source: source, reason: error.description)
        }
        do {
            analysis = try JSONDecoder().decode(Report.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .malformedReport(source: source, reason: Self.describe(error))
        } catch {
            throw .malformedReport(source: source, reason: "\(error)")
        }
        runID = document["run"]?["id"]?.stringValue ?? ""
        queries = Self.queries(in: document)
    }

    /// The queries a report document lists; read on their own so that the KQL of a report this
    /// version cannot fully read is still exported.
    public static func queries(in document: Dynamic) -> [ReportQuery] {
        var queries: [ReportQuery] = []
        if case .array(let items)? = document["queries"] {
            for item in items {
                var rows: Int?
                if case .long(let count)? = item["rows"] { rows = Int(count) }
                var files: [String] = []
                if case .array(let results)? = item["results"] {
                    files = results.compactMap { $0["file"]?.stringValue }
                }
                queries.append(
                    ReportQuery(
                        file: item["file"]?.stringValue ?? "query.kql", table: item["table"]?.stringValue ?? "",
                        kql: item["kql"]?.stringValue ?? "", sha256: item["sha256"]?.stringValue ?? "",
                        rows: rows, note: item["note"]?.stringValue, resultFiles: files))
            }
        }
        return queries
    }

    /// Reads and parses the report file at `path`.
    public init(path: String) throws(ExportError) {
        try self.init(bytes: try BundleFiles.read(path), source: path)
    }

    /// The verdict text (PROVEN, VIOLATED, UNPROVEN).
    public var verdict: String { analysis.verdict.rawValue }

    /// Vault names in scope (lower case), from the counts, coverage and decisions.
    public var vaults: [String] {
        var names = Set(analysis.counts.byVault.keys.map { $0.lowercased() })
        names.formUnion(analysis.coverage.map { $0.vault.lowercased() })
        names.formUnion(analysis.decisions.map { $0.vault.lowercased() })
        return names.sorted()
    }
}
