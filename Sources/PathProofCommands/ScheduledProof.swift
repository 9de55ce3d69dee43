/// Scheduled proof: the archive's watermark for a series, the next window, and continuity.
///
/// A series is one policy over one evidence source. Each `verify --since-last` proves
/// [watermark, now − settle margin) and appends its report; the watermark only moves when a report
/// is committed to the archive, so a run killed midway is simply repeated by the next one: nothing
/// is lost and nothing is counted twice.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel

/// One earlier report of the series, as read back from the archive.
struct PastReport {
    let index: Int
    let from: DateTime
    let to: DateTime
    let verdict: String
    let accesses: Int
    let violationKeys: Set<String>
    let unprovenReasons: [String]
    /// Late arrivals this run reported for earlier windows.
    let lateArrivals: [LateArrival]
    /// Whether a scheduled run (`--since-last`) made it: its report has `lateArrivals`.
    let scheduled: Bool
    /// Whether the window had settled when the report was made: it ended no later than the run's
    /// clock minus the settle margin (`window.settledBefore`). Reports from before that field
    /// existed count as settled.
    let settled: Bool
    /// SHA-256 (hex) of the leaf's DSSE envelope bytes, the archive leaf itself.
    var envelopeSha256 = ""
    /// SHA-256 (hex) of the report the envelope signs.
    var reportSha256 = ""
}

enum ScheduledProof {
    /// Every report of `series` in the archive at `path`, oldest first; empty when there is no archive.
    static func history(archivePath path: String, series: String) throws(CLIError) -> [PastReport] {
        try histories(archivePath: path)[series] ?? []
    }

    /// The reports of every series in the archive at `path`, each oldest first (by window end).
    static func histories(archivePath path: String) throws(CLIError) -> [String: [PastReport]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let entries: [ArchiveEntry]
        do { entries = try EvidenceArchive(path: path).entries() } catch {
            throw .runtime("cannot read the archive \(path): \(error)")
        }
        var reports: [String: [PastReport]] = [:]
        for entry in entries {
            guard let report = try? JSONParser.parse(bytes: entry.report),
                let recorded = report["run"]?["series"]?.stringValue,
                let from = report["window"]?["from"]?.stringValue.flatMap({ DateTime(iso8601: $0) }),
                let to = report["window"]?["to"]?.stringValue.flatMap({ DateTime(iso8601: $0) })
            else { continue }
            let series = SeriesIdentity.normalized(recorded, policyDigest: report["policyDigest"]?.stringValue)
            var accesses = 0
            if case .long(let count)? = report["accesses"] { accesses = Int(count) }
            reports[series, default: []].append(
                PastReport(
                    index: entry.index, from: from, to: to, verdict: report["verdict"]?.stringValue ?? "",
                    accesses: accesses, violationKeys: ViolationKey.keys(inReportJSON: report),
                    unprovenReasons: stringList(report["unprovenReasons"]),
                    lateArrivals: lateArrivals(report["lateArrivals"]), scheduled: report["lateArrivals"] != nil,
                    settled: settledBefore(report).map { to <= $0 } ?? true,
                    envelopeSha256: sha256Hex(entry.envelope), reportSha256: sha256Hex(entry.report)))
        }
        return reports.mapValues { $0.sorted { ($0.to, $0.index) < ($1.to, $1.index) } }
    }

    /// The reports that make up the schedule: those of `--since-last` runs, or while there is none
    /// yet the manual ones whose window had settled when they were made (a schedule may start where
    /// a manual proof ended). A manual window proven later never moves the watermark: it could leave
    /// a gap behind it. Nor does one that ran past its own clock minus the settle margin (no `--to`,
    /// or a `--to` in the future): its end is not proven, and taking it would freeze the schedule.
    static func schedule(_ history: [PastReport]) -> [PastReport] {
        let scheduled = history.filter(\.scheduled)
        return scheduled.isEmpty ? history.filter(\.settled) : scheduled
    }

    /// The report of the series appended to the archive last (the highest leaf index), which the
    /// next report names as its `previous`: a chain in append order, so a report taken out of the
    /// series breaks it whatever windows the reports cover.
    static func lastAppended(_ history: [PastReport]) -> PastReport? {
        history.max { $0.index < $1.index }
    }

    /// The latest end of a window already proven for the series.
    static func watermark(_ history: [PastReport]) -> DateTime? {
        history.map(\.to).max()
    }

    /// The start of the unbroken run of contiguous PROVEN windows that ends with the newest report,
    /// counting `current` (from, to, verdict) as the newest; `nil` when the newest is not PROVEN.
    /// A window in which a violation arrived late (`lateArrivals`, this run's included) is no longer
    /// proven and breaks the run.
    static func provenSince(
        _ history: [PastReport], current: (from: DateTime, to: DateTime, verdict: String),
        lateArrivals: [LateArrival] = []
    ) -> DateTime? {
        guard current.verdict == "PROVEN" else { return nil }
        let refuted = (history.flatMap(\.lateArrivals) + lateArrivals).filter { !$0.violationKeys.isEmpty }
        var start = current.from
        for report in history.reversed() where report.to <= current.from {
            let lateViolation = refuted.contains { $0.from == report.from && $0.to == report.to }
            guard report.to == start, report.verdict == "PROVEN", !lateViolation else { break }
            start = report.from
        }
        return start
    }

    /// The instant before which the report's records had settled, as the report recorded it.
    private static func settledBefore(_ report: Dynamic) -> DateTime? {
        let text = report["window"]?["settledBefore"]?.stringValue ?? report["run"]?["generatedAt"]?.stringValue
        return text.flatMap { DateTime(iso8601: $0) }
    }

    private static func lateArrivals(_ value: Dynamic?) -> [LateArrival] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { LateArrival(json: $0) }
    }

    private static func stringList(_ value: Dynamic?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }
}

/// A stable identity for a violation, so the same finding is recognised in two reports.
enum ViolationKey {
    /// The key of one violation object of a report: rule, time, vault, operation and the caller's
    /// fingerprint (correlation id, IP, request URI).
    static func key(_ violation: Dynamic) -> String {
        let record = violation["record"]
        let parts = [
            violation["rule"]?.stringValue, record?["time"]?.stringValue, record?["vault"]?.stringValue?.lowercased(),
            record?["operation"]?.stringValue, record?["correlationId"]?.stringValue, record?["callerIp"]?.stringValue,
            record?["requestUri"]?.stringValue,
        ]
        return parts.map { $0 ?? "" }.joined(separator: "|")
    }

    /// The keys of every violation in a report document.
    static func keys(inReportJSON report: Dynamic) -> Set<String> {
        guard case .array(let violations)? = report["violations"] else { return [] }
        return Set(violations.map(key))
    }
}
