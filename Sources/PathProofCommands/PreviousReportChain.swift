/// Checking the `previous` link of every archived report: each names an earlier leaf, exactly.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel

/// The chain of reports within each series, as the reports themselves state it.
///
/// A report names the series' previous report by leaf index and by the SHA-256 of that leaf's
/// envelope and report. The Merkle log already makes every leaf tamper-evident; this check adds
/// that no report claims a predecessor that is missing, later than itself, of another series, or
/// different from what the archive holds.
enum PreviousReportChain {
    /// A leaf as this check reads it.
    struct Leaf {
        var index: Int
        var envelope: [UInt8]
        var report: [UInt8]
    }

    /// Every broken link of the archive's reports, in words an auditor can act on.
    static func problems(in entries: [ArchiveEntry]) -> [String] {
        problems(in: entries.map { Leaf(index: $0.index, envelope: $0.envelope, report: $0.report) })
    }

    /// Every broken link among `entries`, in words an auditor can act on.
    static func problems(in entries: [Leaf]) -> [String] {
        let byIndex = Dictionary(entries.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        for entry in entries {
            guard let report = try? JSONParser.parse(bytes: entry.report),
                case .object(let link)? = report["previous"]
            else { continue }
            let here = "leaf \(entry.index)"
            guard case .long(let claimed)? = link["leafIndex"], let index = Int(exactly: claimed) else {
                problems.append("\(here): its previous report has no leaf index")
                continue
            }
            guard index < entry.index, let earlier = byIndex[index] else {
                problems.append("\(here) names leaf \(index) as its previous report, which is not an earlier leaf")
                continue
            }
            if link["envelopeSha256"]?.stringValue != sha256Hex(earlier.envelope) {
                problems.append("\(here): the envelope digest of its previous report differs from leaf \(index)")
            }
            if link["reportSha256"]?.stringValue != sha256Hex(earlier.report) {
                problems.append("\(here): the report digest of its previous report differs from leaf \(index)")
            }
            if Self.series(earlier.report) != Self.series(entry.report) {
                problems.append("\(here) names leaf \(index) as its previous report, but that leaf is another series")
            }
        }
        return problems
    }

    /// The series a report belongs to, as `ScheduledProof` keys it (older spellings normalized).
    private static func series(_ bytes: [UInt8]) -> String? {
        guard let report = try? JSONParser.parse(bytes: bytes), let recorded = report["run"]?["series"]?.stringValue
        else { return nil }
        return SeriesIdentity.normalized(recorded, policyDigest: report["policyDigest"]?.stringValue)
    }
}
