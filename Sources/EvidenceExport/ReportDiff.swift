/// Differences between two reports: new, resolved and persistent violations and UNPROVEN findings.

import EvidenceAnalysis
import TableModel

/// What changed from an earlier report to a later one.
///
/// A violation is the same one in both reports when its rule, vault, operation, time and
/// correlation id agree. UNPROVEN findings are the reports' UNPROVEN reasons (compared as text) and
/// the logging silences of each vault (compared by vault and interval). An item present in only one
/// report whose time lies outside the other report's window is marked `outsideOtherWindow`: the
/// other report could not have seen it, so "resolved" or "new" then says nothing about a fix.
public struct ReportDiff: Sendable {
    /// One violation or UNPROVEN finding.
    public struct Item: Sendable, Equatable {
        /// The identity the two reports are matched on.
        public var key: String
        /// A line for people.
        public var description: String
        /// When the finding happened, when it has a time.
        public var time: String?
        /// Whether `time` lies outside the window of the report that lacks the item.
        public var outsideOtherWindow: Bool
    }

    /// New, resolved and persistent items of one kind.
    public struct Changes: Sendable, Equatable {
        /// In the later report only.
        public var new: [Item] = []
        /// In the earlier report only.
        public var resolved: [Item] = []
        /// In both.
        public var persistent: [Item] = []
    }

    /// The earlier report's verdict and run id.
    public var before: (verdict: String, runID: String, window: String)
    /// The later report's verdict and run id.
    public var after: (verdict: String, runID: String, window: String)
    /// Violations (not waived).
    public var violations: Changes
    /// UNPROVEN reasons and logging silences.
    public var unproven: Changes

    /// Compares `before` with `after`.
    public static func compare(_ before: ReportView, _ after: ReportView) -> ReportDiff {
        let beforeWindow = window(before.analysis)
        let afterWindow = window(after.analysis)
        return ReportDiff(
            before: (before.verdict, before.runID, "\(before.analysis.window.from) to \(before.analysis.window.to)"),
            after: (after.verdict, after.runID, "\(after.analysis.window.from) to \(after.analysis.window.to)"),
            violations: changes(
                violationItems(before.analysis), violationItems(after.analysis), beforeWindow, afterWindow),
            unproven: changes(unprovenItems(before.analysis), unprovenItems(after.analysis), beforeWindow, afterWindow))
    }

    /// Whether anything got worse: a new violation or a new UNPROVEN finding inside both windows.
    public var hasNewFindings: Bool {
        (violations.new + unproven.new).contains { !$0.outsideOtherWindow }
    }

    private static func window(_ report: Report) -> (DateTime, DateTime)? {
        guard let from = TimeText.parse(report.window.from), let to = TimeText.parse(report.window.to) else {
            return nil
        }
        return (from, to)
    }

    private static func violationItems(_ report: Report) -> [Item] {
        report.violations.map { violation in
            let record = violation.record
            let key = [
                violation.rule.rawValue, record.vault.lowercased(), record.operation, record.time,
                record.correlationId,
            ].joined(separator: "|")
            let text =
                "\(violation.rule.rawValue) \(record.time) \(record.vault) \(record.operation) from "
                + "\(record.callerIp): \(violation.detail)"
            return Item(key: key, description: text, time: record.time, outsideOtherWindow: false)
        }
    }

    /// The report's UNPROVEN findings, each once: a logging silence is matched by vault and
    /// interval (its reason text names the policy's limit, which may differ between the reports),
    /// every other reason by its text.
    private static func unprovenItems(_ report: Report) -> [Item] {
        var reasons = report.unprovenReasons
        var items: [Item] = []
        for coverage in report.coverage {
            for silence in coverage.silences {
                // The analyzer states each silence as a reason too; it is this item, not a second one.
                let prefix = "vault \(coverage.vault) has no audit record from \(silence.from) to \(silence.to) ("
                let reason = reasons.firstIndex { $0.hasPrefix(prefix) }.map { reasons.remove(at: $0) }
                items.append(
                    Item(
                        key: "silence|\(coverage.vault.lowercased())|\(silence.from)|\(silence.to)",
                        description: reason
                            ?? "no audit record from \(coverage.vault) from \(silence.from) to \(silence.to) "
                            + "(\(silence.minutes) minutes)",
                        time: silence.from, outsideOtherWindow: false))
            }
        }
        let others = reasons.map { Item(key: "reason|" + $0, description: $0, time: nil, outsideOtherWindow: false) }
        return others + items
    }

    private static func changes(
        _ before: [Item], _ after: [Item], _ beforeWindow: (DateTime, DateTime)?, _ afterWindow: (DateTime, DateTime)?
    ) -> Changes {
        let beforeKeys = Set(before.map(\.key))
        let afterKeys = Set(after.map(\.key))
        func marked(_ item: Item, otherWindow: (DateTime, DateTime)?) -> Item {
            var item = item
            if let time = TimeText.parse(item.time), let (from, to) = otherWindow {
                item.outsideOtherWindow = time < from || time >= to
            }
            return item
        }
        var result = Changes()
        result.new = after.filter { !beforeKeys.contains($0.key) }.map { marked($0, otherWindow: beforeWindow) }
        result.resolved = before.filter { !afterKeys.contains($0.key) }.map { marked($0, otherWindow: afterWindow) }
        result.persistent = after.filter { beforeKeys.contains($0.key) }
        return result
    }
}

extension ReportDiff {
    /// The diff as text, one line per item.
    public var text: String {
        var lines = [
            "before: \(before.verdict) run \(before.runID) (\(before.window))",
            "after:  \(after.verdict) run \(after.runID) (\(after.window))",
        ]
        for (title, changes) in [("violations", violations), ("UNPROVEN", unproven)] {
            lines.append(
                "\(title): \(changes.new.count) new, \(changes.resolved.count) resolved, "
                    + "\(changes.persistent.count) persistent")
            for (label, items) in [
                ("new", changes.new), ("resolved", changes.resolved), ("persistent", changes.persistent),
            ] {
                for item in items {
                    let note = item.outsideOtherWindow ? " (outside the other report's window)" : ""
                    lines.append("  \(label): \(item.description)\(note)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The diff as JSON.
    public var json: Dynamic {
        func items(_ list: [Item]) -> Dynamic {
            .array(
                list.map {
                    .object([
                        "key": .string($0.key), "description": .string($0.description),
                        "time": $0.time.map { .string($0) } ?? .null,
                        "outsideOtherWindow": .bool($0.outsideOtherWindow),
                    ])
                })
        }
        func changes(_ value: Changes) -> Dynamic {
            .object(["new": items(value.new), "resolved": items(value.resolved), "persistent": items(value.persistent)])
        }
        return .object([
            "before": .object([
                "verdict": .string(before.verdict), "runId": .string(before.runID), "window": .string(before.window),
            ]),
            "after": .object([
                "verdict": .string(after.verdict), "runId": .string(after.runID), "window": .string(after.window),
            ]),
            "violations": changes(violations),
            "unproven": changes(unproven),
        ])
    }
}
