/// The report that `verify` signs: the analyzer's findings plus how they were obtained.

import EvidenceAnalysis
import EvidenceSigning
import Foundation
import KQLEngine
import TableModel

/// How one evidence query ran.
struct QueryRun {
    let query: EvidenceQuery
    let text: String
    /// Rows returned; `nil` when the query did not run (its table is absent).
    let rows: Int?
    /// Why the query did not run, when it did not.
    let note: String?
    /// The raw result files of what it returned (one per Log Analytics slice); empty when it did not
    /// run or results were not kept.
    let results: [RawResultFile]
}

/// Builds the report document: `verdict`, `accesses`, `violations` and the rest of the analysis at the
/// top level, with `run`, `policy` and `queries` telling how it was obtained.
enum ReportDocument {
    static func make(
        analysis: Report, policyPath: String, policyBytes: [UInt8], evidence: String, window: ClosedOpenWindow?,
        now: DateTime, queries: [QueryRun], series: String, provenSince: DateTime?, lateFindings: [String],
        policy: ProofPolicy, previous: PastReport?
    ) throws(CLIError) -> Dynamic {
        let analysisJSON: Dynamic
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(analysis)
            analysisJSON = try JSONParser.parse(bytes: Array(data))
        } catch {
            throw .runtime("cannot encode the report: \(error)")
        }
        guard case .object(var document) = analysisJSON else { throw .runtime("the report is not a JSON object") }
        document["schemaVersion"] = .string("pathproof.report/v1")
        document["policyDigest"] = .string(sha256Hex(policyBytes))
        document["policyFile"] = .string((policyPath as NSString).lastPathComponent)
        document["run"] = .object([
            "id": .string(UUID().uuidString.lowercased()),
            "tool": .string("pathproof \(PathProofVersion.current)"),
            "generatedAt": .string(now.apiText),
            "evidence": .string(evidence),
            "series": .string(series),
            "provenSince": provenSince.map { .string($0.apiText) } ?? .null,
            "window": window.map {
                .object(["from": .string($0.from.apiText), "to": .string($0.to.apiText)])
            } ?? .null,
        ])
        document["policy"] = .object([
            "file": .string((policyPath as NSString).lastPathComponent),
            "sha256": .string(sha256Hex(policyBytes)),
        ])
        document["scope"] = scope(policy)
        document["previous"] =
            previous.map { report in
                .object([
                    "leafIndex": .long(Int64(report.index)),
                    "envelopeSha256": .string(report.envelopeSha256),
                    "reportSha256": .string(report.reportSha256),
                ])
            } ?? .null
        document["lateFindings"] = .array(lateFindings.map { .string($0) })
        document["queries"] = .array(
            queries.map { run in
                .object([
                    "file": .string(run.query.fileName),
                    "table": .string(run.query.table),
                    "sha256": .string(sha256Hex(Array(run.text.utf8))),
                    "kql": .string(run.text),
                    "rows": run.rows.map { .long(Int64($0)) } ?? .null,
                    "note": run.note.map { .string($0) } ?? .null,
                    "results": .array(run.results.map(\.reportEntry)),
                ])
            })
        return .object(document)
    }

    /// What the proof covers and expects, as the policy states it once defaults are applied.
    static func scope(_ policy: ProofPolicy) -> Dynamic {
        func strings(_ list: [String]) -> Dynamic { .array(list.map { .string($0) }) }
        return .object([
            "vaults": strings(policy.vaults),
            "operations": strings(policy.operations),
            "keys": .array(
                policy.keys.map { key in
                    .object(["name": .string(key.name), "version": key.version.map { .string($0) } ?? .null])
                }),
            "routes": policy.routes.map { strings($0.map(\.rawValue)) } ?? .null,
            "perimeters": strings(policy.perimeters),
            "enterprisePolicies": strings(policy.enterprisePolicies),
        ])
    }
}
