/// What every rendering of a bundle (summary, HTML, OCSF, JUnit, VERIFY.md) is made from.

import EvidenceAnalysis
import TableModel

/// The exported reports and the facts of the export.
struct RenderContext {
    /// The reports, by archive leaf index.
    var reports: [(index: Int, view: ReportView)]
    /// The export window [from, to).
    var window: (from: DateTime, to: DateTime)
    /// The checkpoint size the proofs lead to.
    var checkpointSize: Int
    /// Tool name and version.
    var tool: String
    /// When the export was made.
    var createdAt: String
    /// Exported reports this version could not read (written by another PathProof version).
    var unrendered: [UnrenderedReport] = []
}

/// A report exported as is but not rendered, and why.
struct UnrenderedReport {
    /// The archive leaf.
    var index: Int
    /// The verdict recorded next to the leaf, when there is one.
    var verdict: String
    /// Why it could not be read.
    var reason: String
}

/// Per-vault tallies over one report's decisions and coverage.
struct VaultTally {
    var vault: String
    var accesses = 0
    var proven = 0
    var violated = 0
    var waived = 0
    var undecided = 0
    var records = 0
    var firstSeen = ""
    var lastSeen = ""
    var silences = 0
    var hourBuckets = 0
    var hourBucketsWithRecords = 0

    /// Hours with at least one audit record over the hours of the window, e.g. `8/8`.
    var hoursLogged: String { "\(hourBucketsWithRecords)/\(hourBuckets)" }

    /// One tally per vault of `report`, sorted by vault.
    static func tallies(_ report: Report) -> [VaultTally] {
        var byVault: [String: VaultTally] = [:]
        for decision in report.decisions {
            let name = decision.vault.lowercased()
            var tally = byVault[name] ?? VaultTally(vault: name)
            tally.accesses += 1
            switch decision.outcome {
            case "proven": tally.proven += 1
            case "violated": tally.violated += 1
            case "waived": tally.waived += 1
            default: tally.undecided += 1
            }
            byVault[name] = tally
        }
        for coverage in report.coverage {
            let name = coverage.vault.lowercased()
            var tally = byVault[name] ?? VaultTally(vault: name)
            tally.records = coverage.records
            tally.firstSeen = coverage.firstSeen ?? ""
            tally.lastSeen = coverage.lastSeen ?? ""
            tally.silences = coverage.silences.count
            tally.hourBuckets = coverage.hourBuckets
            tally.hourBucketsWithRecords = coverage.hourBucketsWithRecords
            byVault[name] = tally
        }
        return byVault.values.sorted { $0.vault < $1.vault }
    }
}
