/// Late arrivals: rows that reached the evidence after their window was already proven.
///
/// Each scheduled run re-reads every window of the series that ended within the late-arrival
/// horizon (one gather over their span, analysed window by window) and compares it with what the
/// archive already holds for that window: the window's own report plus the late arrivals earlier
/// runs reported for it. Only the difference is reported, so a late row is reported exactly once,
/// however many runs re-read its window, and a row later than one window is still caught.

import EvidenceAnalysis
import Foundation
import KQLEngine
import TableModel

/// Accesses and violations that arrived for one already-proven window after it was proven.
struct LateArrival: Equatable {
    let from: DateTime
    let to: DateTime
    /// Key accesses in the window beyond those already reported for it.
    let accesses: Int
    /// Violations in the window not reported before, by `ViolationKey`, sorted.
    let violationKeys: [String]

    /// The form stored in the report's `lateArrivals` array.
    var json: Dynamic {
        .object([
            "from": .string(from.apiText), "to": .string(to.apiText), "accesses": .long(Int64(accesses)),
            "violations": .array(violationKeys.map { .string($0) }),
        ])
    }

    init(from: DateTime, to: DateTime, accesses: Int, violationKeys: [String]) {
        self.from = from
        self.to = to
        self.accesses = accesses
        self.violationKeys = violationKeys
    }

    /// Reads one element of a report's `lateArrivals` array; `nil` when it is malformed.
    init?(json: Dynamic) {
        guard let from = json["from"]?.stringValue.flatMap({ DateTime(iso8601: $0) }),
            let to = json["to"]?.stringValue.flatMap({ DateTime(iso8601: $0) }),
            case .long(let accesses)? = json["accesses"]
        else { return nil }
        var keys: [String] = []
        if case .array(let items)? = json["violations"] { keys = items.compactMap(\.stringValue) }
        self.init(from: from, to: to, accesses: Int(accesses), violationKeys: keys)
    }

    /// The lines printed and kept in the report's `lateFindings`.
    func findings(alreadyReported: Int, verdict: String) -> [String] {
        let span = "\(from.apiText) to \(to.apiText)"
        var lines: [String] = []
        if accesses > 0 {
            lines.append(
                "\(accesses) access(es) arrived late for the window \(span), already reported \(verdict) with "
                    + "\(alreadyReported)")
        }
        lines += violationKeys.map { "late violation in the window \(span): \($0)" }
        return lines
    }
}

/// Re-reads the windows within the late-arrival horizon and reports what is new in them.
struct LateArrivalCheck {
    let policy: ProofPolicy
    /// How far back (ticks before now) a window's end may lie and still be re-read.
    let horizon: Int64

    /// The late arrivals found now, each with its finding lines.
    func run(history: [PastReport], gatherer: any EvidenceGatherer, now: DateTime, progress: Progress)
        throws(CLIError) -> [(arrival: LateArrival, findings: [String])]
    {
        // The newest report of each window ending within the horizon.
        var windows: [String: PastReport] = [:]
        for report in history where report.to.ticks > now.ticks - horizon {
            windows["\(report.from.ticks)/\(report.to.ticks)"] = report
        }
        let recheck = windows.values.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        guard let first = recheck.first, let last = recheck.map(\.to).max() else { return [] }
        progress.phase("re-checking \(recheck.count) earlier window(s) for rows that arrived late")
        let span = ClosedOpenWindow(from: first.from, to: last)
        let gathered = try gatherer.gather(window: span, now: now, progress: progress, keep: nil)

        var result: [(arrival: LateArrival, findings: [String])] = []
        for report in recheck {
            let earlier = history.flatMap(\.lateArrivals).filter { $0.from == report.from && $0.to == report.to }
            let knownAccesses = report.accesses + earlier.reduce(0) { $0 + $1.accesses }
            let knownKeys = report.violationKeys.union(earlier.flatMap(\.violationKeys))
            let sources = gathered.sources.map { Self.restrict($0, from: report.from, to: report.to) }
            let again = Analyzer(policy: policy).analyze(
                sources: sources, window: (report.from, report.to), now: now)
            let againJSON = (try? JSONEncoder().encode(again)).flatMap { try? JSONParser.parse(bytes: Array($0)) }
            let newKeys = ViolationKey.keys(inReportJSON: againJSON ?? .null).subtracting(knownKeys).sorted()
            let newAccesses = max(0, again.accesses - knownAccesses)
            progress.detail(
                "  window \(report.from.apiText) to \(report.to.apiText): \(again.accesses) access(es) now, "
                    + "\(knownAccesses) known, \(newKeys.count) new violation(s)")
            guard newAccesses > 0 || !newKeys.isEmpty else { continue }
            let arrival = LateArrival(
                from: report.from, to: report.to, accesses: newAccesses, violationKeys: newKeys)
            result.append((arrival, arrival.findings(alreadyReported: knownAccesses, verdict: report.verdict)))
        }
        return result
    }

    /// The rows of `source` whose TimeGenerated lies in [from, to), as a query over that window
    /// would have returned them. A source without a TimeGenerated column is kept whole.
    static func restrict(_ source: EvidenceSource, from: DateTime, to: DateTime) -> EvidenceSource {
        guard let column = source.rows.columnIndex("TimeGenerated") else { return source }
        var restricted = source
        restricted.rows.rows = source.rows.rows.filter { row in
            guard column < row.count, case .datetime(let time) = row[column] else { return false }
            return from <= time && time < to
        }
        return restricted
    }
}
