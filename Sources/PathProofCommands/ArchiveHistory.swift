/// `pathproof archive history`: each series' windows, verdicts and late arrivals, and its
/// continuity (gaps, overlaps, "proven without a gap since T"), recomputed from the archive.

import Foundation
import TableModel

enum ArchiveHistory {
    /// Where a schedule's consecutive windows fail to meet, and since when it has been proven.
    struct Continuity {
        var gaps: [(from: DateTime, to: DateTime)] = []
        var overlaps: [(from: DateTime, to: DateTime)] = []
        var provenSince: DateTime?
    }

    /// The continuity of a schedule's reports.
    static func continuity(_ schedule: [PastReport]) -> Continuity {
        var result = Continuity()
        let windows = schedule.sorted { ($0.from, $0.to, $0.index) < ($1.from, $1.to, $1.index) }
        for (earlier, later) in zip(windows, windows.dropFirst()) {
            if later.from > earlier.to { result.gaps.append((earlier.to, later.from)) }
            if later.from < earlier.to { result.overlaps.append((later.from, min(earlier.to, later.to))) }
        }
        if let newest = schedule.last {
            result.provenSince = ScheduledProof.provenSince(
                Array(schedule.dropLast()), current: (newest.from, newest.to, newest.verdict))
        }
        return result
    }

    /// Prints every series of the archive at `path`; exit 1 when a schedule has a gap or an overlap.
    static func run(archivePath path: String, console: Console) throws(CLIError) -> Int32 {
        guard FileManager.default.fileExists(atPath: path) else { throw .runtime("no archive at \(path)") }
        let histories = try ScheduledProof.histories(archivePath: path)
        guard !histories.isEmpty else {
            console.print("archive \(path): no report with a window")
            return ExitCode.success
        }
        var broken = false
        for series in histories.keys.sorted() {
            let history = histories[series] ?? []
            // Continuity is a property of a schedule: of the windows `verify --since-last` proved.
            // Manual --from/--to reports may cover any windows, overlapping or not, and are listed.
            let schedule = history.filter(\.scheduled)
            guard !schedule.isEmpty else {
                for line in manualLines(series: series, history: history) { console.print(OutputGuard.line(line)) }
                continue
            }
            let continuity = continuity(schedule)
            broken = broken || !continuity.gaps.isEmpty || !continuity.overlaps.isEmpty
            for line in lines(series: series, history: history, schedule: schedule, continuity: continuity) {
                console.print(OutputGuard.line(line))
            }
        }
        return broken ? ExitCode.violated : ExitCode.success
    }

    /// A series without a schedule: its manual reports, and that no continuity is tracked for it.
    static func manualLines(series: String, history: [PastReport]) -> [String] {
        var lines = ["series \(series): no schedule (no 'verify --since-last' run), \(history.count) manual report(s)"]
        lines += history.sorted { ($0.from, $0.index) < ($1.from, $1.index) }.map { report in
            "  #\(report.index) \(report.from.apiText) to \(report.to.apiText) \(report.verdict) "
                + "\(report.accesses) access(es)"
        }
        lines.append("  continuity (gaps, overlaps, proven since) is tracked for scheduled windows only")
        return lines
    }

    static func lines(series: String, history: [PastReport], schedule: [PastReport], continuity: Continuity)
        -> [String]
    {
        var lines = ["series \(series): \(schedule.count) window(s)"]
        let gaps = continuity.gaps.map {
            (at: $0.from, text: "  GAP \($0.from.apiText) to \($0.to.apiText): no report")
        }
        let overlaps = continuity.overlaps.map {
            (at: $0.from, text: "  OVERLAP \($0.from.apiText) to \($0.to.apiText): covered by two scheduled windows")
        }
        var rows = schedule.map { report -> (at: DateTime, text: String) in
            var text =
                "  #\(report.index) \(report.from.apiText) to \(report.to.apiText) \(report.verdict) "
                + "\(report.accesses) access(es)"
            for late in report.lateArrivals {
                text +=
                    "; late for \(late.from.apiText) to \(late.to.apiText): \(late.accesses) access(es), "
                    + "\(late.violationKeys.count) violation(s)"
            }
            return (report.from, text)
        }
        rows += gaps + overlaps
        lines += rows.sorted { $0.at < $1.at }.map(\.text)
        let manual = history.count - schedule.count
        if manual > 0 {
            lines.append("  \(manual) manual report(s) of this series (--from/--to) are not part of the schedule")
        }
        if let since = continuity.provenSince {
            lines.append("  proven without a gap since \(since.apiText)")
        } else if let newest = schedule.last {
            lines.append("  not proven now: the newest window is \(newest.verdict)")
        }
        return lines
    }
}
