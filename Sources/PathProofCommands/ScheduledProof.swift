/// Scheduled proof: the archive's watermark for a series, the next window, and continuity.
///
/// A series is one policy over one evidence source. Each `verify --since-last` proves
/// [watermark, now − settle margin) and appends its report; the watermark only moves when a report
/// is committed to the archive, so a run killed midway is simply repeated by the next one: nothing
/// is lost and nothing is counted twice.

import EvidenceArchive
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
}

enum ScheduledProof {
    /// Every report of `series` in the archive at `path`, oldest first; empty when there is no archive.
    static func history(archivePath path: String, series: String) throws(CLIError) -> [PastReport] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let entries: [ArchiveEntry]
        do { entries = try EvidenceArchive(path: path).entries() } catch {
            throw .runtime("cannot read the archive \(path): \(error)")
        }
        var reports: [PastReport] = []
        for entry in entries {
            guard let report = try? JSONParser.parse(bytes: entry.report),
                report["run"]?["series"]?.stringValue == series,
                let from = report["window"]?["from"]?.stringValue.flatMap({ DateTime(iso8601: $0) }),
                let to = report["window"]?["to"]?.stringValue.flatMap({ DateTime(iso8601: $0) })
            else { continue }
            var accesses = 0
            if case .long(let count)? = report["accesses"] { accesses = Int(count) }
            reports.append(
                PastReport(
                    index: entry.index, from: from, to: to, verdict: report["verdict"]?.stringValue ?? "",
                    accesses: accesses, violationKeys: ViolationKey.keys(inReportJSON: report),
                    unprovenReasons: stringList(report["unprovenReasons"])))
        }
        return reports.sorted { ($0.to, $0.index) < ($1.to, $1.index) }
    }

    /// The latest end of a window already proven for the series.
    static func watermark(_ history: [PastReport]) -> DateTime? {
        history.map(\.to).max()
    }

    /// The start of the unbroken run of contiguous PROVEN windows that ends with the newest report,
    /// counting `current` (from, to, verdict) as the newest; `nil` when the newest is not PROVEN.
    static func provenSince(_ history: [PastReport], current: (from: DateTime, to: DateTime, verdict: String))
        -> DateTime?
    {
        guard current.verdict == "PROVEN" else { return nil }
        var start = current.from
        for report in history.reversed() where report.to <= current.from {
            guard report.to == start, report.verdict == "PROVEN" else { break }
            start = report.from
        }
        return start
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
